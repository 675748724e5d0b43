"""Checks of the edition's TEI sources: text fidelity, schema validity, references, dates, mentions.

These tests read source/tei/ directly with lxml and do not import the teisite package.
Regenerate the mentions listing with TEISITE_REGEN_GOLDEN=1 and review the diff by eye.
"""

from __future__ import annotations

import os
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from lxml import etree

REPO = Path(__file__).resolve().parents[1]
TEI_DIR = REPO / "source" / "tei"
EDITION = TEI_DIR / "albazin-nerchinsk.xml"
SEED = REPO.parent / "shared" / "seed" / "albazin-nerchinsk.txt"
SCHEMA = REPO.parent / "shared" / "schema" / "tei_all.rng"
GOLDEN = Path(__file__).resolve().parent / "golden" / "edition-mentions.txt"

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
NS = {"tei": TEI_NS}

# Inside <choice>, only the source's own reading belongs to the text.
CHOICE_KEEP = {"sic", "orig", "abbr"}
MENTION_TAGS = ("persName", "placeName", "orgName", "date")
DATE_ATTRS = (
    "when",
    "notBefore",
    "notAfter",
    "when-custom",
    "notBefore-custom",
    "notAfter-custom",
)
ISO_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
# Julian -> proleptic Gregorian offset for dates between 1 March 1600 and 28 February 1700.
JULIAN_OFFSET = timedelta(days=10)

TEI_FILES = sorted(TEI_DIR.glob("*.xml"))


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname


def _parse(path: Path) -> etree._ElementTree:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.parse(str(path), parser)


def _keeps(parent: etree._Element, child: etree._Element) -> bool:
    """Whether a child element's content is part of the text (its tail always is)."""
    if _local(child) == "note":
        return False
    return _local(parent) != "choice" or _local(child) in CHOICE_KEEP


def _text_of(el: etree._Element) -> str:
    """Text of an element as the edition reads it: notes dropped, editorial readings skipped."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if isinstance(child.tag, str) and _keeps(node, child):  # skip comments, PIs
                walk(child)
            if child.tail:  # a child's tail belongs to its parent's text
                parts.append(child.tail)

    walk(el)
    return "".join(parts)


def _paragraphs() -> list[etree._Element]:
    """The source's paragraphs: not a note's paragraphs (a note in two languages), not the
    editors' translation."""
    return _parse(EDITION).xpath("/tei:TEI/tei:text/tei:body//tei:p[not(ancestor::tei:note)]"
                                 "[not(ancestor::tei:div[@type='translation'])]", namespaces=NS)


# --- 1. text fidelity -------------------------------------------------------------------------


def test_text_reproduces_seed_exactly() -> None:
    if not SEED.is_file():
        pytest.skip(f"seed text not found at {SEED} (shared/ must sit beside the repository)")
    seed = SEED.read_text(encoding="utf-8")
    extracted = "\n".join(_text_of(p) for p in _paragraphs())
    if extracted != seed:
        for i, (a, b) in enumerate(zip(extracted, seed)):
            if a != b:
                pytest.fail(
                    f"first difference at character {i}: "
                    f"edition {extracted[max(0, i - 40) : i + 40]!r} vs seed {seed[max(0, i - 40) : i + 40]!r}"
                )
        pytest.fail(f"lengths differ: edition {len(extracted)}, seed {len(seed)}")


def test_paragraphs_have_stable_ids_and_numbers() -> None:
    paras = _paragraphs()
    assert [p.get(XML_ID) for p in paras] == [f"p{i}" for i in range(1, 10)]
    assert [p.get("n") for p in paras] == [str(i) for i in range(1, 10)]


# --- 2. schema validation ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def tei_all() -> etree.RelaxNG:
    if not SCHEMA.is_file():
        pytest.skip(f"TEI schema not found at {SCHEMA}")
    return etree.RelaxNG(etree.parse(str(SCHEMA)))  # ~11 s: compiled once per module


@pytest.mark.parametrize("path", TEI_FILES, ids=lambda p: p.name)
def test_validates_against_tei_all(tei_all: etree.RelaxNG, path: Path) -> None:
    ok = tei_all.validate(_parse(path))
    errors = "\n".join(f"{path.name}:{e.line}:{e.column}: {e.message}" for e in tei_all.error_log)
    assert ok, f"{path.name} is not valid TEI:\n{errors}"


# --- 3. references, identifiers, dates --------------------------------------------------------


def _ids_by_file() -> dict[str, set[str]]:
    return {path.name: set(_parse(path).xpath("//@xml:id")) for path in TEI_FILES}


def test_xml_ids_unique_across_sources() -> None:
    seen: dict[str, str] = {}
    clashes = []
    for path in TEI_FILES:
        for xml_id in _parse(path).xpath("//@xml:id"):
            if xml_id in seen:
                clashes.append(f"{xml_id} in {seen[xml_id]} and {path.name}")
            seen[xml_id] = path.name
    assert not clashes, clashes


def test_refs_resolve_into_registers() -> None:
    ids = _ids_by_file()
    bad = []
    for el in _parse(EDITION).xpath("//tei:text//*[@ref]", namespaces=NS):
        for ref in el.get("ref").split():
            file, _, frag = ref.partition("#")
            if not file or not frag or frag not in ids.get(file, set()):
                bad.append(f"line {el.sourceline}: {_local(el)} ref={ref!r}")
    assert not bad, bad


def test_local_pointers_resolve() -> None:
    tree = _parse(EDITION)
    local_ids = set(tree.xpath("//@xml:id"))
    bad = [
        f"line {el.sourceline}: {attr}={el.get(attr)!r}"
        for attr in ("datingMethod", "who")
        for el in tree.xpath(f"//*[@{attr}]")
        if el.get(attr).removeprefix("#") not in local_ids or not el.get(attr).startswith("#")
    ]
    assert not bad, bad


def _as_date(value: str, end: bool) -> date:
    """The first (or last) day a YYYY / YYYY-MM / YYYY-MM-DD value covers."""
    parts = [int(x) for x in value.split("-")]
    if len(parts) == 3:
        return date(*parts)
    if len(parts) == 2:
        if not end:
            return date(parts[0], parts[1], 1)
        nxt = date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
        return nxt - timedelta(days=1)
    return date(parts[0], 12, 31) if end else date(parts[0], 1, 1)


def _date_elements() -> list[etree._Element]:
    return [
        el
        for path in TEI_FILES
        for el in _parse(path).iter(f"{{{TEI_NS}}}*")
        if any(el.get(a) is not None for a in DATE_ATTRS)
    ]


def test_date_values_are_iso_and_ordered() -> None:
    bad = []
    for el in _date_elements():
        where = f"{Path(el.getroottree().docinfo.URL).name}:{el.sourceline}"
        for attr in DATE_ATTRS:
            value = el.get(attr)
            if value is None:
                continue
            if not ISO_DATE.match(value):
                bad.append(f"{where}: {attr}={value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
                continue
            try:
                _as_date(value, end=False)
            except ValueError:
                bad.append(f"{where}: {attr}={value!r} is no calendar date")
        for suffix in ("", "-custom"):
            lo, hi = el.get("notBefore" + suffix), el.get("notAfter" + suffix)
            ordered = not (lo and hi and ISO_DATE.match(lo) and ISO_DATE.match(hi)) or (
                _as_date(lo, end=False) <= _as_date(hi, end=True)
            )
            if not ordered:
                bad.append(f"{where}: notBefore{suffix}={lo} is after notAfter{suffix}={hi}")
    assert not bad, "\n".join(bad)


def test_text_dates_follow_the_julian_convention() -> None:
    """Every date in the text is machine-readable; Julian values sit in -custom, Gregorian = Julian + 10 days."""
    bad = []
    for el in _parse(EDITION).xpath("//tei:text//tei:date", namespaces=NS):
        where = f"line {el.sourceline} {_text_of(el)!r}"
        if el.get("dur") is not None:
            if any(el.get(a) is not None for a in DATE_ATTRS):
                bad.append(f"{where}: a duration carries no point in time")
            continue
        if el.get("datingMethod") != "#julian":
            bad.append(f"{where}: datingMethod must be #julian")
        for attr in ("when", "notBefore", "notAfter"):
            greg, jul = el.get(attr), el.get(attr + "-custom")
            if (greg is None) != (jul is None):
                bad.append(f"{where}: {attr} and {attr}-custom must come together")
            elif greg is not None and len(greg) == 10 and len(jul) == 10:
                if date.fromisoformat(jul) + JULIAN_OFFSET != date.fromisoformat(greg):
                    bad.append(f"{where}: {attr}={greg} is not {attr}-custom={jul} + 10 days")
            elif greg is not None and greg != jul:
                bad.append(f"{where}: year/month values must agree ({greg} vs {jul})")
        if el.get("when") is None and el.get("notBefore") is None and el.get("notAfter") is None:
            bad.append(f"{where}: no machine-readable value")
    assert not bad, "\n".join(bad)


# --- 4. mentions listing (golden) -------------------------------------------------------------


def _describe(el: etree._Element) -> str:
    if _local(el) == "date":
        values = [f"{a}={el.get(a)}" for a in ("dur", *DATE_ATTRS, "cert") if el.get(a) is not None]
        return " ".join(values)
    return el.get("ref", "(no ref)")


def mentions_listing() -> str:
    lines = []
    for p in _paragraphs():
        for el in p.iter(*(f"{{{TEI_NS}}}{t}" for t in MENTION_TAGS)):
            if el.xpath("ancestor::tei:note", namespaces=NS):
                continue
            lines.append(f'¶{p.get("n")} {_local(el)} "{_text_of(el)}" -> {_describe(el)}')
    return "\n".join(lines) + "\n"


def test_mentions_match_golden() -> None:
    listing = mentions_listing()
    if os.environ.get("TEISITE_REGEN_GOLDEN") == "1":
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(listing, encoding="utf-8")
        pytest.skip(f"rewrote {GOLDEN}; review the diff")
    assert GOLDEN.is_file(), f"{GOLDEN} missing: run with TEISITE_REGEN_GOLDEN=1"
    assert listing == GOLDEN.read_text(encoding="utf-8")


# --- 5. what the about page and the change log claim --------------------------------------------

REGISTERS = ("persons.xml", "places.xml", "organisations.xml")
ENTRY_TAGS = ("person", "place", "org")


def _cites_a_work(el: etree._Element) -> bool:
    return any(b.get("corresp", "").startswith("bibliography.xml#")
               for b in el.iter(f"{{{TEI_NS}}}bibl"))


def test_every_editorial_note_cites_a_work() -> None:
    """The about page: every editorial note cites a work of the bibliography (note 6 on the Dutch
    envoy too, since it reports what Witsen writes of Kangxi's letter)."""
    notes = _parse(EDITION).xpath("//tei:text//tei:note[@type='editorial']", namespaces=NS)
    uncited = [n.get(XML_ID) for n in notes if not _cites_a_work(n)]
    assert len(notes) > 20
    assert not uncited, f"editorial notes citing no work: {uncited}"


def test_every_register_entry_cites_a_work() -> None:
    """The change log of 1.1: every register entry's description cites a work."""
    entries = [el for name in REGISTERS for el in _parse(TEI_DIR / name).iter(
        *(f"{{{TEI_NS}}}{t}" for t in ENTRY_TAGS)) if el.get(XML_ID)]
    uncited = [e.get(XML_ID) for e in entries
               if not any(_cites_a_work(n) for n in e.findall(f"{{{TEI_NS}}}note"))]
    assert len(entries) >= 33
    assert not uncited, f"register entries citing no work: {uncited}"


def test_every_citation_names_a_work_of_the_bibliography() -> None:
    ids = _ids_by_file()["bibliography.xml"]
    bad = [f"{path.name}:{b.sourceline}: {b.get('corresp')}" for path in TEI_FILES
           for b in _parse(path).iter(f"{{{TEI_NS}}}bibl")
           if b.get("corresp") and b.get("corresp").partition("#")[2] not in ids]
    assert not bad, bad


def test_source_errors_point_at_their_mention() -> None:
    """A note on an error of the source that names a mention (@target) points at one that exists,
    so that the mention can show it (¶6 «Джунгарией»)."""
    tree = _parse(EDITION)
    ids = set(tree.xpath("//@xml:id"))
    notes = tree.xpath("//tei:note[@subtype='source-error']", namespaces=NS)
    assert {n.get(XML_ID) for n in notes} >= {"note-11", "note-16", "note-18", "note-20"}
    bad = [n.get(XML_ID) for n in notes for t in (n.get("target") or "").split()
           if t.removeprefix("#") not in ids]
    assert not bad, bad
    assert tree.xpath("//tei:note[@xml:id='note-11']/@target", namespaces=NS) == ["#p6-m3"]



def test_every_note_and_register_entry_has_an_english_variant_citing_the_same_works() -> None:
    """The English interface shows every editorial note and entry description in English: each
    note is a Russian and an English paragraph, each entry a note without xml:lang and one in
    English, and both cite the same works (the translation adds and drops no authority)."""
    def works(el: etree._Element) -> list[str]:
        return sorted({b.get("corresp") for b in el.iter(f"{{{TEI_NS}}}bibl") if b.get("corresp")})

    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    bad = []
    for note in _parse(EDITION).xpath("//tei:text//tei:note", namespaces=NS):
        parts = {p.get(lang): p for p in note if isinstance(p.tag, str)}
        if set(parts) != {"ru", "en"} or works(parts["ru"]) != works(parts["en"]):
            bad.append(note.get(XML_ID))
    for name in REGISTERS:
        for e in _parse(TEI_DIR / name).iter(*(f"{{{TEI_NS}}}{t}" for t in ENTRY_TAGS)):
            notes = {n.get(lang, "ru"): n for n in e.findall(f"{{{TEI_NS}}}note")}
            if set(notes) != {"ru", "en"} or works(notes["ru"]) != works(notes["en"]):
                bad.append(e.get(XML_ID))
    assert not bad, f"without an English variant citing the same works: {bad}"


def test_the_editors_translation_has_every_paragraph_pointing_to_its_original() -> None:
    (div,) = _parse(EDITION).xpath("//tei:body/tei:div[@type='translation']", namespaces=NS)
    assert div.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert div.get("resp") == "#teisite-project"   # the editors' (respStmt/orgName xml:id)
    paras = div.findall(f"{{{TEI_NS}}}p")
    assert [(p.get(XML_ID), p.get("n"), p.get("corresp")) for p in paras] == \
        [(f"p{i}-en", str(i), f"#p{i}") for i in range(1, 10)]
    assert all(len(_text_of(p).split()) > 10 for p in paras)

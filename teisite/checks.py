"""The checks of a loaded edition: ids unique in a file, dates well formed, elements the table
knows, each @ref pointing to a register entry and each entry named (with did-you-means), and
register entries no text mentions."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import cache
from pathlib import Path

from lxml import etree

from .dates import (
    CALENDARS,
    ERAS,
    calendar_for,
    check_iso,
    convert,
    declared_calendars,
    era_problem,
    gregorian_span,
    human,
    span_text,
    start_key,
)
from .diagnostics import Diagnostics
from .document import Document
from .media import graphic_urls
from .parsing import TEI_NS, XML_ID, localname, span
from .registers import ELEMENT_KINDS, KINDS, Entry, Occurrence, References, duplicate_id
from .targets import resolve_target
from .trees import source
from .walk import A_ANCHOR, Mention, model_of

# @when and kin are dates wherever they stand; @from/@to only on dated elements (locus has pages)
_DATED = ("date", "birth", "death", "floruit", "event", "origDate", "docDate", "time", "state",
          "residence", "occupation", "change", "affiliation", "education")
_ANYWHERE = tuple(f"{a}{c}" for a in ("when", "notBefore", "notAfter") for c in ("", "-custom"))
_ON_DATED = ("from", "to", "from-custom", "to-custom")
_DATE_ATTRIBUTES = frozenset(_ANYWHERE + _ON_DATED)
# every attribute of the tree in one walk in C; picking the dates from them in Python is faster
# than any XPath predicate that names them
_ATTRIBUTES = etree.XPath(".//@*")
_POINTERS = etree.XPath("//@datingMethod")


def check_dates(doc: Document, diags: Diagnostics) -> None:
    root = doc.tree.getroot()
    declared = declared_calendars(root, doc.path) if _POINTERS(root) else {"": {}}
    unknown_told: set[tuple[str, str]] = set()
    for value in _ATTRIBUTES(root):
        name = value.attrname
        if name == "datingMethod":
            _check_method(doc, value, declared, unknown_told, diags)
            continue
        if name not in _DATE_ATTRIBUTES:
            continue
        el = value.getparent()
        if name in _ON_DATED and not (localname(el) in _DATED and el.tag.startswith(f"{{{TEI_NS}}}")):
            continue
        custom = name.endswith("-custom")
        found = calendar_for(el.get("datingMethod", ""), declared) if custom else None
        kind = found[0] if found else ""
        if custom and kind in ERAS:
            problem = era_problem(str(value), kind)
            if problem:
                diags.error_at(doc.path, span(el, doc.path, name),
                               f"@{name}=\"{value}\" ({_ERA_NAMES[kind]}) {problem[1]}", problem[0])
            else:
                _check_agreement(doc, el, name, kind, diags)
            continue
        problem = check_iso(str(value), julian=kind == "julian")
        # a value in a calendar teisite does not know is not checked
        if problem and not (custom and kind not in ("julian", "gregorian")):
            diags.error_at(doc.path, span(el, doc.path, name), f"@{name}=\"{value}\" {problem}",
                           "date.invalid")
        elif custom and kind == "julian" and not problem:
            _check_agreement(doc, el, name, kind, diags)
        elif name == "notBefore" and not problem:
            a, b = str(value), el.get("notAfter")
            if b is not None and not check_iso(b) and start_key(a) > start_key(b):
                diags.error_at(doc.path, span(el, doc.path, "notAfter"), f"@notBefore=\"{a}\" is "
                               f"after @notAfter=\"{b}\"; swap them", "date.order")


_ERA_NAMES = {"byzantine": "from the Creation, September year",
              "byzantine-march": "from the Creation, March year"}
_TWINS = {"when-custom": "when", "notBefore-custom": "notBefore", "notAfter-custom": "notAfter",
          "from-custom": "from", "to-custom": "to"}


def _check_method(doc: Document, value, declared: dict, told: set, diags: Diagnostics) -> None:
    """A @datingMethod that points nowhere is an error; one that names a calendar teisite does
    not know, a warning (once per calendar and file): its dates are shown as written."""
    el, pointer = value.getparent(), str(value).strip()
    found = calendar_for(pointer, declared)
    file, _, xid = pointer.rpartition("#")
    if found is None:
        known = sorted({*(declared.get(file) or {}), *CALENDARS})
        close = max(known, key=lambda k: closeness(xid.casefold(), k.casefold()))
        meant = f"did you mean `{file}#{close}`? " if close_enough(
            closeness(xid.casefold(), close.casefold()), xid, close) else ""
        where = f"no file {file} next to this one" if file and declared.get(file) is None else \
            f"no <calendar xml:id=\"{xid}\"> in {file or 'this file'}"
        diags.error_at(doc.path, span(el, doc.path, "datingMethod"),
                       f"@datingMethod=\"{pointer}\" points nowhere ({where}); {meant}declare the "
                       "calendar in profileDesc/calendarDesc, as <calendar xml:id=\"…\" type=\"julian\"> "
                       f"(teisite knows the types {', '.join(CALENDARS)})", "date.method")
    elif not found[0] and (file, xid) not in told:
        told.add((file, xid))
        diags.warning_at(doc.path, span(el, doc.path, "datingMethod"),
                         f"@datingMethod=\"{pointer}\" names a calendar teisite does not know (its "
                         f"@type or xml:id is none of {', '.join(CALENDARS)}): its dates are shown "
                         "as written, not converted; if it is one of them, give its <calendar> that "
                         "@type", "date.calendar")


def _check_agreement(doc: Document, el, name: str, kind: str, diags: Diagnostics) -> None:
    """A Gregorian value beside a custom one must mean the same day (or overlap the same period)."""
    twin = _TWINS[name]
    given = el.get(twin)
    if not given or check_iso(given):
        return
    converted = convert(el.get(name, ""), kind)
    if converted is None:
        return
    start, end = gregorian_span(given)
    first, last = converted.gregorian_span
    same_day = start == end and first == last
    if (start == first) if same_day else (start <= last and first <= end):
        return
    words = human(first) if first == last else span_text("", first, last, "en")
    fix = converted.gregorian or (first if twin in ("notBefore", "from") else last if twin in (
        "notAfter", "to") else f"{first}/{last}")
    diags.error_at(doc.path, span(el, doc.path, twin),
                   f"@{twin}=\"{given}\" disagrees with @{name}=\"{el.get(name)}\", which is {words} "
                   f"in the Gregorian calendar; write @{twin}=\"{fix}\", or leave @{twin} out "
                   "(teisite converts the date)", "date.disagree")


_IDS = etree.XPath("//@xml:id")


def check_ids(doc: Document, diags: Diagnostics) -> None:
    """Each xml:id once in its file (across register files, registers.collect_entries)."""
    seen: dict[str, etree._Element] = {}
    for xid in _IDS(doc.tree):
        el = xid.getparent()
        if xid in seen:
            first = span(seen[xid], doc.path)
            diags.error_at(doc.path, span(el, doc.path, XML_ID), duplicate_id(str(xid), first[0]),
                           "id.duplicate", related=(doc.path, first[0], first[1]))
        else:
            seen[str(xid)] = el


_FACS = etree.XPath("//@facs")


def check_facs(doc: Document, diags: Diagnostics) -> None:
    """Each @facs pointer (`#surface`) names an element of its file that holds an image."""
    urls: dict[str, str] | None = None
    for value in _FACS(doc.tree):
        pointer = next(iter(str(value).split()), "")
        if not pointer.startswith("#"):
            continue
        if urls is None:
            urls = graphic_urls(doc.tree.getroot())
        if urls.get(pointer[1:]):
            continue
        el = value.getparent()
        what = "holds no <graphic url>" if pointer[1:] in urls else "is no xml:id of this file"
        diags.warning_at(doc.path, span(el, doc.path, "facs"),
                         f'@facs="{pointer}" shows no page image: "{pointer[1:]}" {what}; point it '
                         f"to a <surface> or <graphic> of the <facsimile>, or remove it",
                         "facs.unresolved")


_TARGETS = etree.XPath("//*[@target]")


def link_targets(doc: Document, table) -> tuple:
    """Each link's @target that names no place on its own page (those are found by the walk's
    anchors): looked up once the edition is loaded (resolve), where its location is kept."""
    anchored = {el.get(XML_ID) for el in doc.tree.iter() if el.get(A_ANCHOR) and el.get(XML_ID)}
    found = []
    for el in _TARGETS(doc.tree):
        if table.behaviour(model_of(el, table).behaviour).context != "target":
            continue
        token = next(iter(el.get("target").split()), "")
        if token and not (token.startswith("#") and token[1:] in anchored):
            found.append((token, span(el, doc.path, "target")))
    return tuple(found)


# -- did you mean ---------------------------------------------------------------------------------

def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance: the insertions, deletions and substitutions from a to b."""
    if len(a) < len(b):
        a, b = b, a
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def closeness(a: str, b: str) -> float:
    """1 for the same string, less by each edit (as a share of the longer one), 0 for nothing alike."""
    longest = max(len(a), len(b))
    if not longest:
        return 1.0
    if abs(len(a) - len(b)) > max(1, longest * (1 - CLOSE)):  # too many edits: not worth counting
        return 0.0
    return 1 - edit_distance(a, b) / longest


def close_enough(score: float, a: str, b: str) -> bool:
    """Close enough to suggest: CLOSE, or one edit apart (`hii` is `hi`)."""
    return score >= min(CLOSE, 1 - 1 / max(len(a), len(b), 1))


CLOSE = 0.7  # how close a suggestion must be (as closeness counts), when more than one edit apart


# Russian (the seed's language) and Ukrainian in the Latin letters their names are most often
# written with; spellings that differ (Moskva/Moskwa, Jurij/Yuri) are left to the edit distance.
# Ё, Й and Ї lose their marks before this table is read (ё is е).
_CYRILLIC = dict(pair.split("=") for pair in [
    "а=a", "б=b", "в=v", "г=g", "д=d", "е=e", "ж=zh", "з=z", "и=i", "к=k", "л=l", "м=m", "н=n",
    "о=o", "п=p", "р=r", "с=s", "т=t", "у=u", "ф=f", "х=kh", "ц=ts", "ч=ch", "ш=sh", "щ=shch",
    "ъ=", "ы=y", "ь=", "э=e", "ю=yu", "я=ya", "і=i", "є=ie", "ґ=g"])


def name_key(text: str) -> str:
    """A name or id as compared for a suggestion: case, marks (ё is е), script (Москва is
    moskva) and everything but letters and digits left out."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(_CYRILLIC.get(c, c) for c in text if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "", text)


@cache
def tei_elements() -> dict[str, str]:
    """The element names of TEI P5, by their lower case (schema/tei_elements.txt says whence)."""
    lines = (Path(__file__).parent / "schema" / "tei_elements.txt").read_text(encoding="utf-8")
    return {n.casefold(): n for n in (ln.strip() for ln in lines.splitlines())
            if n and not n.startswith("#")}


def suggest_element(name: str) -> str | None:
    """The TEI element a name not in TEI was most likely meant to be (`persname`: persName)."""
    names = tei_elements()
    key = name.casefold()
    if key in names:
        return names[key]
    scored = [(closeness(key, k), k, n) for k, n in names.items()]
    score, k, best = max(scored, key=lambda s: (s[0], -len(s[1])))
    return best if close_enough(score, key, k) else None


# TEI classes (tei_all.rng), most telling first, and the behaviour closest to what their members
# are: an element with no model is placed by the first class whose members include it
_CLASS_BEHAVIOURS = (
    ("model.noteLike", "note"), ("model.milestoneLike", "marker"),
    ("model.headLike", "heading"), ("model.pLike", "paragraph"), ("model.lLike", "line"),
    ("model.divLike", "section"), ("model.divGenLike", "section"), ("model.phrase", "inline"),
    ("model.global.spoken", "inline"), ("model.global", "marker"), ("model.frontPart", "block"),
    ("model.inter", "block"), ("model.divPart", "block"), ("model.common", "block"),
    ("model.divTop", "block"), ("model.divBottom", "block"), ("model.divWrapper", "block"),
    ("model.listLike", "block"), ("model.teiHeaderPart", "omit"), ("model.headerPart", "omit"),
)
_RNG = "{http://relaxng.org/ns/structure/1.0}"
# behaviours of those that show none of an element's words and do not report them as omitted
# (`omit` reports them: text.omitted): proposed for an element with words, they would lose them,
# so such an element is proposed `inline` (tests/test_checks.py applies every proposal)
_WORDLESS = {"marker"}


def proposal(name: str, has_words: bool) -> tuple[str, str]:
    """The behaviour to propose for a TEI element with no model, and why: its TEI class's closest
    one, unless that would drop the words the element has (in any of its uses)."""
    cls, behaviour = tei_classes().get(name, ("", "inline"))
    if not cls:
        return "inline", "it is in none of TEI's text classes; `inline` is closest"
    why = f"as a member of TEI's {cls}, its closest behaviour is `{behaviour}`"
    if behaviour in _WORDLESS and has_words:
        return "inline", (f"as a member of TEI's {cls} it would be a `{behaviour}`, which shows no "
                          "words, but this one has words; `inline` keeps them")
    return behaviour, why


@cache
def tei_classes() -> dict[str, tuple[str, str]]:
    """For each TEI element in one of _CLASS_BEHAVIOURS' classes (directly or through a
    subclass), (that class, its closest behaviour), read once from the schema teisite ships."""
    tree = etree.parse(str(Path(__file__).parent / "schema" / "tei_all.rng"))
    refs: dict[str, set[str]] = {}
    for define in tree.iter(f"{_RNG}define"):
        if define.get("name", "").startswith("model."):
            refs.setdefault(define.get("name"), set()).update(
                r.get("name") for r in define.iter(f"{_RNG}ref"))
    elements = set(tei_elements().values())

    def members(cls: str, seen: set[str]) -> set[str]:
        out: set[str] = set()
        for name in refs.get(cls, ()):
            if name in refs and name not in seen:
                seen.add(name)
                out |= members(name, seen)
            elif name in elements:
                out.add(name)
        return out

    found: dict[str, tuple[str, str]] = {}
    for cls, behaviour in _CLASS_BEHAVIOURS:
        for name in members(cls, {cls}):
            found.setdefault(name, (cls, behaviour))
    return found


def qualified_name(el: etree._Element) -> str:
    """An element's name as its file writes it: with its prefix (`xi:include`), or, in a
    default namespace not TEI's, `{namespace}name`."""
    q = etree.QName(el)
    if el.prefix:
        return f"{el.prefix}:{q.localname}"
    return f"{{{q.namespace}}}{q.localname}" if q.namespace and q.namespace != TEI_NS else q.localname


def report_unknown_elements(path: Path, unknown: list[etree._Element], diags: Diagnostics) -> None:
    """One warning per name of element the table has no model for, at its first use: a valid
    TEI element wants a model (the message names the behaviour its TEI class is closest to); a
    name TEI does not have is most likely a typo."""
    counts = Counter(el.tag for el in unknown)
    first: dict[str, etree._Element] = {}
    for el in unknown:
        first.setdefault(el.tag, el)
    for tag, el in first.items():
        name, namespace = localname(el), etree.QName(el).namespace
        more = f" ({counts[tag]} times in this file)" if counts[tag] > 1 else ""
        if namespace != TEI_NS:
            where = f"in the namespace \"{namespace}\"" if namespace else "in no namespace"
            message = (f"<{qualified_name(el)}> is {where}, not TEI's{more}; it is shown as plain "
                       "inline text")
        elif tei_elements().get(name.casefold()) != name:
            meant = suggest_element(name)
            hint = f"did you mean `{meant}`?" if meant else "check its spelling in the TEI Guidelines."
            message = f"<{name}> is not a TEI element{more}; {hint} It is shown as plain inline text"
        else:
            behaviour, why = proposal(name, any("".join(e.itertext()).strip() for e in unknown
                                                if e.tag == tag))
            message = (f"<{name}> has no model in the element table{more}; it is shown as plain "
                       f"inline text ({why}: add `{name}: [{{behaviour: {behaviour}}}]` to "
                       "templates/models.yml)")
        diags.warning_at(path, span(el, path), message, "models.unknown-element")


_URI = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


def resolve(docs: list[Document], entries: dict[str, Entry], diags: Diagnostics) -> None:
    """Turn each mention's @ref into entries, reporting refs that point nowhere.

    While serving, an unchanged document keeps what it resolved to as long as the registers
    hold the same ids: only its occurrences are handed to the (new) entries."""
    refs = References(entries, docs)  # which entry or document a token names (registers.py)
    ids_key = refs.key
    meant = EntrySuggestions(entries)  # did-you-mean, once per unknown id
    for doc in docs:
        if doc.resolution is None or doc.resolution[0] != ids_key:
            problems = Diagnostics()
            _resolve_document(doc, refs, meant, problems)
            doc.resolution = (ids_key, problems)
        for m in doc.mentions:
            for i in m.resolved:
                entries[i].mentions.append(Occurrence(doc, m))
        diags.extend(doc.resolution[1])


class EntrySuggestions:
    """The entry an @ref that points nowhere was most likely meant for: the one whose id, or one
    of whose names (whole, or a word of it), is closest to the ref's id, compared as name_key
    compares them (`#moskva` finds `#moscow` named Москва); of those close enough, one of the
    kind the mention's element names (a person for persName) first."""

    def __init__(self, entries: dict[str, Entry]):
        self.entries = entries
        self._forms: list[tuple[Entry, str, list[str]]] | None = None
        self._found: dict[tuple[str, str], Entry | None] = {}

    def _all_forms(self) -> list[tuple[Entry, str, list[str]]]:
        if self._forms is None:  # made when the first ref points nowhere: most editions have none
            self._forms = []
            for e in self.entries.values():
                names = [e.label, *(n.text for n in e.names)]
                words = [w for n in names for w in re.split(r"[\W_]+", n) if len(w) >= 4]
                forms = {name_key(f) for f in names + words} - {""}
                self._forms.append((e, name_key(e.id), sorted(forms)))
        return self._forms

    def __call__(self, xid: str, kind: str = "") -> Entry | None:
        key = (xid, kind)
        if key not in self._found:
            wanted, best, best_rank = name_key(xid), None, None
            for e, id_form, forms in self._all_forms():
                score, form = max((closeness(wanted, f), f) for f in (id_form, *forms))
                rank = (e.kind == kind, score)
                if close_enough(score, wanted, form) and (best_rank is None or rank > best_rank):
                    best, best_rank = e, rank
            self._found[key] = best
        return self._found[key]


def entry_names(e: Entry, most: int = 3) -> str:
    """An entry's names as a suggestion shows them: "Moscow, Москва"."""
    return ", ".join(([e.label] + e.variants)[:most]) if e.names else ""


def _where(doc: Document, m: Mention, attribute: str | None = None
           ) -> tuple[int, int, int | None, int | None]:
    """Where a mention is (parsing.span): from its element, or (once the loaded tree has been let
    go, see trees.shed_text) from its file, parsed again to find the element by its path."""
    if m.el is not None:
        return span(m.el, doc.path, attribute)
    again = source(doc)
    found = again.xpath(m.where) if again is not None and m.where else []
    return span(found[0], doc.path, attribute) if found else (m.line, 1, None, None)


# where an entry of each kind is defined, for the message of a reference that finds none
_LIST_OF = {"person": "listPerson", "place": "listPlace", "org": "listOrg", "event": "listEvent",
            "bibl": "listBibl", "object": "listObject"}
_ANY_LIST = "listPerson, listPlace, listOrg"


def _resolve_document(doc: Document, refs: References, meant: EntrySuggestions,
                      diags: Diagnostics) -> None:
    for m in doc.mentions:
        resolved = []
        for token in m.refs:
            if ":" in token and _URI.match(token):
                continue  # an external URI: linked as it is, no register entry
            file, _, xid = token.rpartition("#")
            entry, several = refs.entry(doc, xid)
            if entry is None and refs.document(doc, token) is not None:
                continue  # another document of the edition: a link to its page
            if entry is None and m.attr == "key":
                diags.warning_at(doc.path, _where(doc, m, "key"), f"@key=\"{xid}\" is not used: "
                                 "no register entry has this xml:id (teisite links a @key only "
                                 f"when one has); write @ref=\"#id\" to link <{m.element}> to "
                                 "its entry", "ref.key")
                continue
            if entry is None:
                where = _where(doc, m, m.attr)
                if several:
                    scopes = ", ".join(sorted({e.scope for e in several}))
                    diags.error_at(doc.path, where, f"@{m.attr} `{token}` names entries that "
                                   f"several texts define ({scopes}), none in this text or in a "
                                   "register file; define it once in a register file", "ref.ambiguous")
                    continue
                kind = ELEMENT_KINDS.get(m.element) or (m.element if m.element in KINDS else "")
                close = meant(xid, kind)
                names = entry_names(close) if close is not None else ""
                hint = f"; did you mean `{file}#{close.xml_id}`{f' ({names})' if names else ''}?" \
                    if close is not None else \
                    f"; add an entry with this xml:id to a register ({_LIST_OF.get(kind, _ANY_LIST)})"
                diags.error_at(doc.path, where, f"@{m.attr} `{token}` is not in any register{hint}",
                               "ref.unresolved")
                continue
            if entry.id not in resolved:
                resolved.append(entry.id)
        m.resolved = resolved
        if not m.text.strip() and m.date is None:
            diags.warning_at(doc.path, _where(doc, m), f"<{m.element}> is empty: a mention needs "
                             "the words of the text it tags", "mention.empty")
        if m.date is not None and m.date.empty and not m.dur:
            diags.warning_at(doc.path, _where(doc, m), "<date> has no @when, @notBefore or "
                             "@notAfter; add a machine-readable value so the chronology can place "
                             "it", "date.no-value")
    for token, at in doc.targets:
        if resolve_target(doc, token, refs) is None:
            diags.warning_at(doc.path, at, f"@target `{token}` names no place of this page, no "
                             "text, register entry or file of the project, so it is shown as plain "
                             "text; correct it, or point it to a full address (https://…)",
                             "ref.unresolved")


def warn_unused(entries: dict[str, Entry], diags: Diagnostics, mentioned_only: bool = False) -> None:
    """A warning for each entry of a register file that no text mentions; with `entries:
    mentioned` (only mentioned entries are published) one notice counting them, at the first."""
    unused = [e for e in entries.values() if not e.mentions and not e.cited_by and e.from_register_file]
    if mentioned_only:
        if unused:
            first = unused[0]
            n = len(unused)
            diags.info_at(first.path, first.span, f"{n} entr{'ies' if n != 1 else 'y'} of the registers "
                          f"{'are' if n != 1 else 'is'} never mentioned in the texts and not published "
                          f"(`entries: mentioned`); the first is {first.kind} \"{first.id}\"", "entry.unused")
        return
    for e in unused:
        diags.warning_at(e.path, e.span, f"{e.kind} entry \"{e.id}\" ({e.label}) is never "
                         "mentioned in the texts", "entry.unused")


def warn_geo(entries: dict[str, Entry], diags: Diagnostics, mentioned_only: bool = False) -> None:
    """A warning for each place whose <geo> cannot be read, is out of range, or had to be read
    with decimal commas (registers.read_geo); not for an entry that is not published."""
    for e in entries.values():
        if e.geo_problem and (e.mentions or not mentioned_only):
            diags.warning_at(e.path, e.span, e.geo_problem, "entry.geo")


def warn_nameless(entries: dict[str, Entry], diags: Diagnostics, mentioned_only: bool = False) -> None:
    """A warning for each entry with no name: the site would show its bare id instead (not for
    an entry that is not published)."""
    for e in entries.values():
        if not e.names and (e.mentions or not mentioned_only):
            name = KINDS[e.kind].names[0]
            diags.warning_at(e.path, e.span, f"{e.kind} entry \"{e.id}\" has no name, so it is "
                             f"published under its id; add a <{name}> with its name to it",
                             "entry.nameless")


def report_omitted(path: Path, omitted: dict, diags: Diagnostics) -> None:
    """Once per element name and file, what the page leaves out on purpose (walk.Omitted), at its
    first element: a warning when words are lost to the page, a notice (info) when the elements
    hold none or their words are shown elsewhere (register lists: in the indexes). Words shown on
    the page in another form (a figure's description as its image's alt text) are not reported."""
    for gone in omitted.values():
        if gone.shown not in ("", "indexes"):
            continue
        label = f"<{localname(gone.first)}>"
        many = gone.count != 1
        what = f"{gone.count} {label} element{'s' * many}"
        words = f"{gone.words} word{'s' * (gone.words != 1)}" if gone.words else "no words"
        verb = "are" if many else "is"
        if gone.shown == "indexes":
            diags.info_at(path, span(gone.first, path), f"{what} ({words}) {verb} not shown on the "
                          f"text's page: {'their' if many else 'its'} entries are in the indexes", "text.omitted")
        elif gone.words:
            diags.warning_at(path, span(gone.first, path), f"{what} ({words}) {verb} not shown; "
                             f"to show {'them' if many else 'it'}, give <{localname(gone.first)}> a "
                             "model that is not `omit` in templates/models.yml", "text.omitted")
        else:
            diags.info_at(path, span(gone.first, path), f"{what} ({words}) {verb} not shown",
                          "text.omitted")

"""Downloads written into the site at build time: each text as plain text and its notes, the
registers as CSV and JSON-LD, the chronology as CSV, and one zip of all of it (with the TEI) and a
README."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Callable
from functools import partial

from lxml import html as lxml_html

from . import trees
from .generators import Generator, Page
from .registers import KINDS

FOLDER = "downloads"
SCHEMA_TYPES = {"person": "Person", "role": "Person", "place": "Place", "org": "Organization",
                "event": "Event", "bibl": "CreativeWork", "object": "Thing", "term": "DefinedTerm"}
CSV_FIELDS = ["id", "kind", "label", "names", "type", "life", "role", "description", "latitude",
              "longitude", "authority", "mentions", "url"]
# a dated mention: the words of the text, the date in the Gregorian and the Julian calendar and as
# its calendar writes it, its first and last day (Gregorian, ISO), in the chronology's order
CHRONOLOGY_FIELDS = ["words", "gregorian", "julian", "written", "calendar", "first_day", "last_day",
                     "uncertain", "document", "url"]


def _one_of(make: Callable[[], dict], path: str) -> str | None:
    """One of the files make() makes (None: it makes no such file)."""
    return make().get(path)


def _translations(doc) -> dict[str, list]:
    """The paragraphs of the text's translations by their language ("" when none is given), in
    the order of the text: each language is a plain-text file of its own."""
    out: dict[str, list] = {}
    for p in doc.translated:
        out.setdefault(p.lang, []).append(p)
    return out


def _translation_name(doc, lang: str) -> str:
    return f"{FOLDER}/{doc.slug}-translation{'-' + lang if lang else ''}.txt"


def _text_names(doc) -> list[str]:
    """The plain-text files of a text: the text, its notes (if any), each translation."""
    return ([f"{FOLDER}/{doc.slug}.txt"] + ([f"{FOLDER}/{doc.slug}-notes.txt"] if doc.notes else []) +
            [_translation_name(doc, lang) for lang in _translations(doc)])


def _plain(markup: str) -> str:
    """The words of a piece of HTML, its whitespace folded."""
    if not markup.strip():
        return ""
    return re.sub(r"\s+", " ", lxml_html.fragment_fromstring(str(markup), create_parent="div")
                  .text_content()).strip()


class DownloadPages(Generator):
    """The downloads page and its files, for any project."""

    def pages(self) -> list[Page]:
        return [Page(f"{FOLDER}/index.md", self.t("downloads"))]

    def folders(self) -> list[str]:
        return [FOLDER]

    @property
    def zip_name(self) -> str:
        return f"{FOLDER}/edition.zip"

    def text_files(self, doc) -> dict[str, str]:
        """The text as plain text (paragraphs numbered as on the page), its notes, numbered, and
        each of its translations, its paragraphs numbered as the ones they translate."""
        meta = doc.meta or {}
        head = [doc.title] + ([meta["subtitle"]] if meta.get("subtitle") else [])

        def numbered(passages) -> str:
            return "\n\n".join(f"¶{p.n} {p.text}" if p.n else p.text for p in passages)

        out = {f"{FOLDER}/{doc.slug}.txt": "\n".join(head) + "\n\n" + numbered(doc.passages) + "\n"}
        for lang, paragraphs in _translations(doc).items():
            title = f"{doc.title} — {self.t('translation_heading')}" + (f" ({lang})" if lang else "")
            out[_translation_name(doc, lang)] = title + "\n\n" + numbered(paragraphs) + "\n"
        notes = self.site.renderer.render_notes(doc)
        trees.unparse(doc)  # a shed text's tree, parsed again for its notes, goes at once
        if notes:
            out[f"{FOLDER}/{doc.slug}-notes.txt"] = (
                f"{doc.title} — {self.t('notes')}\n\n" +
                "\n\n".join(f"[{n['n']}] {_plain(n['html'])}" for n in notes) + "\n")
        return out

    def register_rows(self, kind: str) -> list[dict]:
        site_url = (self.site.config.site_url or "").rstrip("/")
        rows = []
        for e in self.edition.entries_of(kind):
            rows.append({
                "id": e.id, "kind": e.kind, "label": e.label,
                "names": "; ".join(f"{n.text} [{n.lang}]" if n.lang else n.text for n in e.names),
                "type": e.place_type, "life": e.life, "role": e.role, "description": e.description,
                "latitude": e.geo[0] if e.geo else "", "longitude": e.geo[1] if e.geo else "",
                "authority": " ".join(href for _, href in e.links), "mentions": len(e.mentions),
                "url": f"{site_url}/{e.url}" if site_url else e.url})
        return rows

    def register_jsonld(self, kind: str) -> dict:
        site_url = (self.site.config.site_url or "").rstrip("/")
        graph = []
        for e in self.edition.entries_of(kind):
            item = {"@type": SCHEMA_TYPES.get(e.kind, "Thing"),
                    "@id": f"{site_url}/{e.url}" if site_url else e.url, "identifier": e.id,
                    "name": e.label}
            others = [{"@value": n.text, "@language": n.lang} if n.lang else n.text
                      for n in e.names if n.text != e.label]
            if others:
                item["alternateName"] = others
            if e.description:
                item["description"] = e.description
            if e.geo:
                item["geo"] = {"@type": "GeoCoordinates", "latitude": e.geo[0], "longitude": e.geo[1]}
            if e.links:
                item["sameAs"] = [href for _, href in e.links]
            graph.append(item)
        return {"@context": "https://schema.org", "@graph": graph}

    def chronology_rows(self) -> list[dict]:
        site_url = (self.site.config.site_url or "").rstrip("/")
        lang = self.edition.lang or "en"
        rows = []
        for doc, m in self.edition.dated:
            d = m.date
            first, last = d.gregorian_days
            url = f"{doc.url}#{m.anchor}"
            rows.append({
                "words": m.text, "gregorian": d.gregorian(lang),
                "julian": d.julian(lang) or (d.original(lang) if d.method == "julian" else ""),
                "written": d.original(lang) if d.method else "", "calendar": d.method,
                "first_day": first, "last_day": last, "uncertain": "yes" if d.uncertain else "",
                "document": doc.rel, "url": f"{site_url}/{url}" if site_url else url})
        return rows

    def register_files(self) -> dict[str, str]:
        out = {}
        if self.edition.dated:
            buf = io.StringIO()
            writer = csv.DictWriter(buf, fieldnames=CHRONOLOGY_FIELDS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(self.chronology_rows())
            out[f"{FOLDER}/chronology.csv"] = buf.getvalue()
        for kind in self.edition.kinds:
            folder = KINDS[kind].folder
            buf = io.StringIO()
            writer = csv.DictWriter(buf, fieldnames=CSV_FIELDS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(self.register_rows(kind))
            out[f"{FOLDER}/{folder}.csv"] = buf.getvalue()
            out[f"{FOLDER}/{folder}.jsonld"] = json.dumps(self.register_jsonld(kind), ensure_ascii=False,
                                                          indent=1) + "\n"
        return out

    def readme(self, names: list[str]) -> str:
        site_url = self.site.config.site_url or ""
        licences = sorted({d.meta.get("licence") for d in self.edition.texts if d.meta.get("licence")})
        return "\n".join([
            self.site.site_name, "=" * len(self.site.site_name), "",
            *([site_url, ""] if site_url else []),
            *([f"{self.t('licence')}: {', '.join(licences)}", ""] if licences else []),
            self.t("downloads_readme"), "", *(f"- {n}" for n in names), ""])

    def files(self) -> list[tuple[str, str | bytes | Callable[[], bytes]]]:
        out: dict = {}
        cache = self.site.cache
        # while serving, a text's files are made again only when it changed, and then when they
        # are written, after the reload (as callables; see the plugin): it renders the text again
        # (in a one-off build, they are made when the build cache does not have them)
        for doc in self.edition.texts:
            name, key = f"{FOLDER}/{doc.slug}", (self.site.key, doc.digest)
            made = partial(self.site.cached, name, key, lambda doc=doc, name=name, key=key: self.site.on_disk(
                name, key, lambda: self.text_files(doc)))
            if cache is None or (cache.get(name) or (None,))[0] == key:
                out.update(made())
                continue
            out.update((path, partial(_one_of, made, path)) for path in _text_names(doc))
        out.update(self.register_files())
        # made again only when a document or a register changed (the build cache keeps it); while
        # serving, when it is written (after the reload; see the plugin)
        key = (self.site.key, [(d.rel, d.digest) for d in self.edition.documents])
        if cache is None:
            zipped = self.site.on_disk(self.zip_name, key, partial(self.edition_zip, out))
        else:
            zipped = partial(self.site.cached, self.zip_name, key, partial(self.edition_zip, out))
        return [*out.items(), (self.zip_name, zipped)]

    def edition_zip(self, out: dict[str, str]) -> bytes:
        """The zip of the TEI and of the other downloads (`out`), with a README."""
        buf = io.BytesIO()
        names = []
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            def put(name: str, content) -> None:
                # a fixed time: the same edition makes the same zip
                z.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), content,
                           compress_type=zipfile.ZIP_DEFLATED)
                names.append(name)
            for doc in self.edition.documents:
                # while serving, an unchanged file is not read again
                put(f"tei/{doc.rel}", self.site.cached(f"{FOLDER}/tei/{doc.rel}", doc.digest,
                                                       doc.path.read_bytes))
            for path, content in out.items():
                content = content() if callable(content) else content
                if content is not None:
                    put(path.removeprefix(f"{FOLDER}/"), content)
            put("README.txt", self.readme(names))
        return buf.getvalue()

    def render(self, page: Page, url: str) -> str:
        texts = [(d, f"{d.slug}.txt", f"{d.slug}-notes.txt" if d.notes else "",
                  [(lang, _translation_name(d, lang).removeprefix(f"{FOLDER}/")) for lang in _translations(d)])
                 for d in self.edition.texts]
        registers = [(KINDS[k].folder, len(self.edition.entries_of(k))) for k in self.edition.kinds]
        return self.site.page("downloads.html", url, texts=texts, registers=registers,
                              translations=any(tr for *_, tr in texts),
                              chronology=bool(self.edition.dated),
                              zip_name=self.zip_name.removeprefix(f"{FOLDER}/"))

"""CITATION.cff and .zenodo.json, made from the TEI header: what an archive needs to mint a DOI.

GitHub shows a repository's CITATION.cff as "Cite this repository", and Zenodo's GitHub release
archiving reads .zenodo.json (else CITATION.cff) for the record of each release: so both live
beside mkdocs.yml, written by `teisite citation`, and `check` says when they no longer say what
the header says. The DOI Zenodo mints goes back into the header
(publicationStmt/idno[@type='DOI']), from where every citation and the page metadata show it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from . import trees
from .diagnostics import Diagnostics
from .document import Document
from .edition import Edition
from .parsing import TEI_NS

FILES = ("CITATION.cff", ".zenodo.json")
_CC = re.compile(r"creativecommons\.org/licenses/(by(?:-nc)?(?:-sa|-nd)?)/(\d\.\d)", re.IGNORECASE)
_CC0 = re.compile(r"creativecommons\.org/publicdomain/zero/(\d\.\d)", re.IGNORECASE)
# ISO 639-2 codes Zenodo takes, for the languages an edition is most likely in
_ISO639_2 = {"ru": "rus", "en": "eng", "de": "deu", "fr": "fra", "uk": "ukr", "la": "lat", "pl": "pol",
             "it": "ita", "es": "spa", "zh": "zho", "mn": "mon", "cs": "ces", "be": "bel"}


def spdx(licence: str) -> str:
    """The SPDX identifier of a Creative Commons licence URL ("" for any other)."""
    m = _CC.search(licence)
    if m:
        return f"CC-{m.group(1).upper()}-{m.group(2)}"
    m = _CC0.search(licence)
    return f"CC0-{m.group(1)}" if m else ""


def _cited(edition: Edition) -> Document | None:
    return next((d for d in edition.texts if d.meta.get("version")), None) or \
        next(iter(edition.texts), None)


def _description(doc: Document) -> str:
    source = trees.source(doc)
    found = source.getroot().find(f".//{{{TEI_NS}}}encodingDesc/{{{TEI_NS}}}projectDesc") \
        if source is not None else None
    return " ".join("".join(found.itertext()).split()) if found is not None else ""


def _yaml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def made(edition: Edition, site_url: str) -> dict[str, str]:
    """The two files' contents, from the header of the edition's (first versioned) text."""
    doc = _cited(edition)
    if doc is None:
        return {}
    meta = doc.meta
    url = site_url.rstrip("/") + "/" if site_url else ""
    licence = spdx(meta.get("licence", ""))
    released = meta.get("version_date") or meta.get("date", "")
    cff = ["# Made by `teisite citation` from the TEI header of " + doc.rel + "; edit the header, not this.",
           "cff-version: 1.2.0",
           'message: "If you cite this edition, please cite it as below."',
           "type: dataset",
           f"title: {_yaml(meta.get('title', doc.title))}",
           "authors:"]
    cff += [f"  - name: {_yaml(name)}" for name in meta.get("editors") or [meta.get("publisher") or doc.title]]
    if meta.get("version"):
        cff.append(f"version: {_yaml(meta['version'])}")
    if re.fullmatch(r"\d{4}-\d\d-\d\d", released or ""):
        cff.append(f"date-released: {released}")
    if licence:
        cff.append(f"license: {licence}")
    if url:
        cff.append(f"url: {_yaml(url)}")
    if meta.get("doi"):
        cff.append(f"doi: {_yaml(meta['doi'])}")
    zenodo: dict = {"title": meta.get("title", doc.title), "upload_type": "dataset",
                    "description": _description(doc) or meta.get("title", doc.title),
                    "creators": [{"name": name} for name in meta.get("editors") or
                                 [meta.get("publisher") or doc.title]],
                    "access_right": "open"}
    if licence:
        zenodo["license"] = licence
    if meta.get("version"):
        zenodo["version"] = meta["version"]
    if re.fullmatch(r"\d{4}-\d\d-\d\d", released or ""):
        zenodo["publication_date"] = released
    if doc.lang.split("-")[0] in _ISO639_2:
        zenodo["language"] = _ISO639_2[doc.lang.split("-")[0]]
    if url:  # the sources archived are the source of the edition at its (versioned) address
        zenodo["related_identifiers"] = [{"identifier": url + (f"v/{meta['version']}/" if meta.get("version") else ""),
                                          "relation": "isSourceOf", "resource_type": "dataset"}]
    return {"CITATION.cff": "\n".join(cff) + "\n",
            ".zenodo.json": json.dumps(zenodo, ensure_ascii=False, indent=2) + "\n"}


def stale(root: Path, edition: Edition, site_url: str, diags: Diagnostics) -> None:
    """A warning at each of the two files that is there but no longer what the header gives."""
    if not any((root / name).is_file() for name in FILES):
        return
    for name, content in made(edition, site_url).items():
        path = root / name
        if path.is_file() and path.read_text(encoding="utf-8") != content:
            diags.warning(path, 1, 1, f"{name} no longer says what the TEI header says (title, editors, "
                          "version, licence, DOI); run `teisite citation --write` to make it again",
                          "citation.stale")

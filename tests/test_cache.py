"""The build cache on disk (teisite/cache.py): what each edit makes again, and nothing else; a
corrupt or foreign cache discarded with a warning; --no-cache; entries replaced, pruned, and
written whole. What was made again is seen through counters (entries written, walks), not time."""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

import pytest

from teisite import cache as cache_module
from teisite import loading
from teisite.cache import FOLDER, BuildCache
from teisite.commands import build, main
from teisite.project import find_project

TEI = '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>{title}</title>' \
      '</titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc>' \
      '</teiHeader>\n<text><body>\n{body}\n</body></text></TEI>'
REGISTER = TEI.format(title="Persons", body='<listPerson><person xml:id="tolbuzin"><persName>{name}'
                      '</persName></person><person xml:id="beiton"><persName>Бейтон</persName></person>'
                      '</listPerson>')
TEXT_A = '<p>Воевода <persName ref="persons.xml#tolbuzin">Толбузин</persName> <hi rend="b">жирно</hi>.</p>'
TEXT_B = '<p>Полковник <persName ref="persons.xml#beiton">Бейтон</persName>.</p>'
MKDOCS = "site_name: Test\nsite_url: https://example.org/\ntheme: {name: material, font: false}\n" \
         "docs_dir: source\nplugins:\n  - teisite: {jobs: 1, templates: templates}\n"


@pytest.fixture(autouse=True)
def own_key(tmp_path, monkeypatch):
    """Each test signs its cache with a key of its own (not the user's)."""
    monkeypatch.setenv("TEISITE_CACHE_DIR", str(tmp_path / "user-cache"))


@pytest.fixture
def made(monkeypatch) -> dict:
    """What the builds of a test made anew: cache entries written by name, and walks by title."""
    seen: dict = {"put": [], "walked": 0}
    put, walk = BuildCache.put, loading.walk

    def counting_put(self, namespace, name, key, value):
        seen["put"].append((namespace, name))
        return put(self, namespace, name, key, value)

    def counting_walk(*args, **kwargs):
        seen["walked"] += 1
        return walk(*args, **kwargs)
    monkeypatch.setattr(BuildCache, "put", counting_put)
    monkeypatch.setattr(loading, "walk", counting_walk)
    return seen


def make_project(tmp_path: Path, name: str = "Толбузин") -> Path:
    root = tmp_path / "proj"
    tei = root / "source" / "tei"
    tei.mkdir(parents=True)
    (tei / "a.xml").write_text(TEI.format(title="Text A", body=TEXT_A), encoding="utf-8")
    (tei / "b.xml").write_text(TEI.format(title="Text B", body=TEXT_B), encoding="utf-8")
    (tei / "persons.xml").write_text(REGISTER.format(name=name), encoding="utf-8")
    (root / "templates").mkdir()
    (root / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    return root


def rebuild(root: Path, made: dict | None = None, cache: bool = True) -> dict:
    """Build (the command's own code path); what it made anew (with `made`, emptied first)."""
    if made is not None:
        made["put"].clear()
        made["walked"] = 0
    assert build(find_project(root), cache=cache) == 0
    if made is None:
        return {}
    return {"walked": made["walked"],
            "pages": sorted(n for ns, n in made["put"] if ns.startswith("pages") and not n.startswith("search/")),
            "documents": sorted(Path(n).name for ns, n in made["put"] if ns == "documents"),
            "search": sorted(n.removeprefix("search/") for ns, n in made["put"] if n.startswith("search/"))}


def page(root: Path, path: str) -> str:
    return (root / "site" / path / "index.html").read_text(encoding="utf-8")


def site_files(root: Path) -> dict[str, str]:
    """Every file of the site but Pagefind's (whose fragment names differ from build to build)."""
    site = root / "site"
    return {str(p.relative_to(site)): hashlib.sha1(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file() and "pagefind" not in p.parts}


def entries(root: Path) -> list[Path]:
    return sorted((root / FOLDER).glob("*/*"))


# --- what an edit makes again ---------------------------------------------------------------------

def test_an_unchanged_project_makes_nothing_again_and_the_same_site(tmp_path, made):
    root = make_project(tmp_path)
    first = rebuild(root, made)
    assert first["walked"] == 2 and first["documents"] == ["a.xml", "b.xml"]
    assert {"texts/a", "texts/b", "persons/tolbuzin/", "persons/beiton/"} <= set(first["pages"])
    built = site_files(root)
    assert rebuild(root, made) == {"walked": 0, "pages": [], "documents": [], "search": []}
    assert site_files(root) == built
    (root / "site").rename(tmp_path / "cached")
    rebuild(root, cache=False)
    assert site_files(root) == built  # what the cache gave is what a build without it makes


def test_one_changed_text_is_the_only_one_walked_and_rendered(tmp_path, made):
    root = make_project(tmp_path)
    rebuild(root, made)
    a = root / "source" / "tei" / "a.xml"
    a.write_text(a.read_text(encoding="utf-8").replace("Воевода", "Воевода албазинский"), encoding="utf-8")
    again = rebuild(root, made)
    assert again["walked"] == 1 and again["documents"] == ["a.xml"]
    # its page, its plain text, the zip, its DTS files, and the page of the entry it names (whose mentions it holds)
    assert again["pages"] == ["downloads/a", "downloads/edition.zip", "dts/a", "persons/tolbuzin/", "texts/a"]
    assert "Воевода албазинский" in page(root, "texts/a")
    assert "Воевода албазинский" in page(root, "persons/tolbuzin")
    # the search records of the pages whose HTML changed are read again, the others' are kept
    assert {"texts/a/", "persons/tolbuzin/"} <= set(again["search"])
    assert not {"texts/b/", "persons/beiton/"} & set(again["search"]), again["search"]


def test_a_register_edit_renders_the_pages_again_but_walks_no_text(tmp_path, made):
    root = make_project(tmp_path)
    rebuild(root, made)
    (root / "source" / "tei" / "persons.xml").write_text(REGISTER.format(name="Толбузин Алексей"),
                                                         encoding="utf-8")
    again = rebuild(root, made)
    assert again["walked"] == 0 and again["documents"] == []
    # the popovers and links of every text show the registers' names
    assert {"texts/a", "texts/b", "persons/tolbuzin/"} <= set(again["pages"])
    assert "Толбузин Алексей" in page(root, "texts/a")


def test_any_field_of_an_entry_counts_not_only_those_of_its_popover(tmp_path, made):
    """A popover shows six of an entry's names; its page shows all of them."""
    root = make_project(tmp_path)
    names = "".join(f"<persName>Имя {i}</persName>" for i in range(1, 8))
    register = root / "source" / "tei" / "persons.xml"
    register.write_text(REGISTER.format(name="Толбузин</persName>" + names + "<persName>Толбузин"),
                        encoding="utf-8")
    rebuild(root, made)
    register.write_text(register.read_text(encoding="utf-8").replace("Имя 7", "Имя седьмое"),
                        encoding="utf-8")
    assert "persons/tolbuzin/" in rebuild(root, made)["pages"]
    assert "Имя седьмое" in page(root, "persons/tolbuzin")


def test_a_template_edit_renders_again_but_walks_no_text(tmp_path, made):
    root = make_project(tmp_path)
    shipped = Path(cache_module.__file__).parent / "templates" / "behaviours" / "mention.html"
    own = root / "templates" / "behaviours" / "mention.html"
    own.parent.mkdir(parents=True)
    own.write_text(shipped.read_text(encoding="utf-8"), encoding="utf-8")
    rebuild(root, made)
    assert "own-mention" not in page(root, "texts/a")
    own.write_text(shipped.read_text(encoding="utf-8").replace('class="mention ', 'class="own-mention mention '),
                   encoding="utf-8")
    again = rebuild(root, made)
    assert again["walked"] == 0 and {"texts/a", "texts/b"} <= set(again["pages"])
    assert "own-mention" in page(root, "texts/a")


def test_an_element_table_edit_walks_the_texts_again(tmp_path, made):
    root = make_project(tmp_path)
    rebuild(root, made)
    assert "<em class=\"tei-hi\">жирно</em>" not in page(root, "texts/a")
    (root / "templates" / "models.yml").write_text(
        "hi: [{behaviour: inline, params: {tag: em}}]\n", encoding="utf-8")
    again = rebuild(root, made)
    assert again["walked"] == 2 and again["documents"] == ["a.xml", "b.xml"]
    assert "texts/a" in again["pages"]
    assert "<em class=\"tei-hi\">жирно</em>" in page(root, "texts/a")


def test_a_teisite_upgrade_makes_everything_again(tmp_path, made, monkeypatch):
    root = make_project(tmp_path)
    first = rebuild(root, made)
    monkeypatch.setattr(cache_module, "__version__", "99.0")
    cache_module.code_key.cache_clear()
    try:
        again = rebuild(root, made)
    finally:
        cache_module.code_key.cache_clear()
    assert again == first
    # each replaced, none added: pages, the pages' search records, the two documents
    assert len(entries(root)) == len(set(first["pages"])) + len(set(first["search"])) + 2


# --- a cache not to be trusted ------------------------------------------------------------------------

def test_a_corrupt_cache_is_discarded_with_a_warning_and_the_build_is_right(tmp_path, made, caplog):
    root = make_project(tmp_path)
    rebuild(root, made)
    built = site_files(root)
    docs = {p: p.read_bytes() for p in (root / FOLDER / "documents").iterdir()}
    for path, data in docs.items():
        if b"Text A" in data:      # changed, and still loads: only its signature tells
            path.write_bytes(data.replace(b"Text A", b"Text Z"))
        else:                      # cut short (a full disk)
            path.write_bytes(data[:len(data) // 2])
    texts = [p for p in (root / FOLDER / "pages-en").iterdir()]
    for p in texts:
        p.write_bytes(b"not a cache entry at all")
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.teisite"):
        again = rebuild(root, made)
    warned = [r.getMessage() for r in caplog.records if "[cache.corrupt]" in r.getMessage()]
    assert warned and all(m.startswith(str(root / FOLDER)) for m in warned)
    assert again["walked"] == 2 and again["documents"] == ["a.xml", "b.xml"]
    assert site_files(root) == built


def test_an_entry_signed_but_not_loadable_is_discarded(tmp_path, caplog):
    disk = BuildCache.open(tmp_path / FOLDER)
    disk.put("documents", "x", "k", [1, 2, 3])
    assert disk.get("documents", "x", "k") == [1, 2, 3]
    assert disk.get("documents", "x", "other key") is None  # made from other inputs: a miss, no warning
    path = disk._path("documents", "x")
    header = path.read_bytes().split(b"\n", 1)[0] + b"\n"
    payload = b"\x80\x05not a pickle"
    path.write_bytes(header + disk._mac(header, "x", payload) + payload)
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.teisite"):
        assert disk.get("documents", "x", "k") is None
    assert "it does not load" in caplog.text and not path.exists()


@pytest.mark.parametrize("version", [None, "teisite-cache 0\n", "other"])
def test_a_foreign_cache_is_discarded_whole_with_a_warning(tmp_path, made, caplog, version):
    root = make_project(tmp_path)
    rebuild(root, made)
    stranger = root / FOLDER / "documents" / "stranger.entry"
    stranger.write_bytes(b"whatever")
    if version is None:
        (root / FOLDER / "VERSION").unlink()
    else:
        (root / FOLDER / "VERSION").write_text(version, encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.teisite"):
        again = rebuild(root, made)
    assert f"{root / FOLDER}: warning: this build cache was not made by this teisite" in caplog.text
    assert "[cache.foreign]" in caplog.text
    assert again["walked"] == 2 and not stranger.exists()


def test_another_users_cache_is_foreign(tmp_path, made, monkeypatch, caplog):
    """A cache that comes with a project from elsewhere (signed with another key) is never read."""
    root = make_project(tmp_path)
    rebuild(root, made)
    monkeypatch.setenv("TEISITE_CACHE_DIR", str(tmp_path / "someone-else"))
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.teisite"):
        again = rebuild(root, made)
    assert "another user's or machine's" in caplog.text and again["walked"] == 2
    # the entries of another key, under a VERSION file that says they are this user's
    version = (root / FOLDER / "VERSION").read_bytes()
    monkeypatch.setenv("TEISITE_CACHE_DIR", str(tmp_path / "user-cache"))
    rebuild(root, made)
    (root / FOLDER / "VERSION").write_bytes(version)
    monkeypatch.setenv("TEISITE_CACHE_DIR", str(tmp_path / "someone-else"))
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.teisite"):
        again = rebuild(root, made)
    assert "its signature does not match" in caplog.text and again["walked"] == 2
    assert "[cache.foreign]" not in caplog.text


def test_no_cache_neither_reads_nor_writes_it(tmp_path, made, caplog):
    root = make_project(tmp_path)
    assert rebuild(root, made, cache=False)["walked"] == 2
    assert not (root / FOLDER).exists()
    rebuild(root, made)
    (root / FOLDER / "VERSION").write_text("other", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.teisite"):
        again = rebuild(root, made, cache=False)
    assert again == {"walked": 2, "pages": [], "documents": [], "search": []} and "cache" not in caplog.text
    # on the command line, for build and check; and the plugin's option
    made["walked"] = 0
    assert main(["check", str(root), "--no-cache"]) == 0 and made["walked"] == 2
    assert main(["build", str(root), "--no-cache"]) == 0 and made["walked"] == 4
    (root / "mkdocs.yml").write_text(MKDOCS.replace("jobs: 1,", "jobs: 1, cache: false,"), encoding="utf-8")
    assert rebuild(root, made) == {"walked": 2, "pages": [], "documents": [], "search": []}


def test_check_uses_the_cache_of_documents(tmp_path, made):
    root = make_project(tmp_path)
    rebuild(root, made)
    made["walked"] = 0
    assert main(["check", str(root)]) == 0 and made["walked"] == 0


# --- entries replaced, pruned, written whole ----------------------------------------------------------

def test_the_cache_does_not_grow_and_forgets_what_is_gone(tmp_path, made):
    root = make_project(tmp_path)
    rebuild(root, made)
    count = len(entries(root))
    a = root / "source" / "tei" / "a.xml"
    for i in range(3):
        a.write_text(TEI.format(title="Text A", body=TEXT_A + f"<p>Правка {i}.</p>"), encoding="utf-8")
        rebuild(root, made)
        assert len(entries(root)) == count
    (root / "source" / "tei" / "b.xml").unlink()
    rebuild(root, made)
    names = [p.name for p in (root / FOLDER / "documents").iterdir()]
    assert names == [hashlib.sha1(str(a).encode()).hexdigest() + ".entry"]
    assert len(entries(root)) < count


def test_what_a_killed_build_left_is_harmless_and_cleaned(tmp_path, made):
    root = make_project(tmp_path)
    rebuild(root, made)
    folder = root / FOLDER / "documents"
    left = folder / ".tmp-killed"
    left.write_bytes(b"teisite-cache 1\thalf")  # a temporary file a killed build never renamed
    old = os.stat(folder).st_mtime - 60
    os.utime(left, (old, old))
    assert rebuild(root, made)["walked"] == 0
    assert not left.exists()


def test_nothing_is_written_into_the_sources(tmp_path, made):
    root = make_project(tmp_path)
    before = sorted(p.relative_to(root) for p in (root / "source").rglob("*"))
    rebuild(root, made)
    rebuild(root, made)
    assert sorted(p.relative_to(root) for p in (root / "source").rglob("*")) == before
    assert (root / FOLDER / "CACHEDIR.TAG").exists()


def test_an_included_file_or_an_image_changed_makes_its_text_again(tmp_path, made):
    root = make_project(tmp_path)
    tei = root / "source" / "tei"
    (tei / "part.xml").write_text('<p xmlns="http://www.tei-c.org/ns/1.0">Вставка первая.</p>',
                                  encoding="utf-8")
    (tei / "c.xml").write_text(TEI.format(title="Text C", body=(
        '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="part.xml"/>'
        '<p><graphic url="img/p1.png"/></p>')), encoding="utf-8")
    rebuild(root, made)
    assert "Вставка первая" in page(root, "texts/c")
    (tei / "part.xml").write_text('<p xmlns="http://www.tei-c.org/ns/1.0">Вставка вторая.</p>',
                                  encoding="utf-8")
    again = rebuild(root, made)
    assert again["documents"] == ["c.xml"] and "Вставка вторая" in page(root, "texts/c")
    (tei / "img").mkdir()
    (tei / "img" / "p1.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    again = rebuild(root, made)
    assert again["documents"] == ["c.xml"]  # its media.missing warning goes


def test_workers_fill_the_cache_too(tmp_path):
    """With two processes loading and rendering, what the forked workers made is kept as well."""
    root = make_project(tmp_path)
    tei = root / "source" / "tei"
    for i in range(6):
        (tei / f"t{i}.xml").write_text(TEI.format(title=f"T{i}", body=TEXT_B), encoding="utf-8")
    (root / "mkdocs.yml").write_text(MKDOCS.replace("jobs: 1", "jobs: 2"), encoding="utf-8")
    rebuild(root)
    assert len(list((root / FOLDER / "documents").iterdir())) == 8  # every text, none of the register
    texts = [f"texts/t{i}" for i in range(6)] + ["texts/a", "texts/b"]
    store = root / FOLDER / "pages-en"
    assert all((store / (hashlib.sha1(t.encode()).hexdigest() + ".entry")).exists() for t in texts)


def test_a_folder_of_tei_alone_keeps_its_cache_in_the_users(tmp_path, made):
    """A folder without mkdocs.yml is its own source folder: its cache is not written into it."""
    folder = tmp_path / "tei"
    folder.mkdir()
    (folder / "a.xml").write_text(TEI.format(title="Text A", body=TEXT_A.replace("persons.xml", "")),
                                  encoding="utf-8")
    (folder / "persons.xml").write_text(REGISTER.format(name="Толбузин"), encoding="utf-8")
    out = tmp_path / "out"
    assert build(find_project(folder, out), strict=False) == 0
    assert sorted(p.name for p in folder.iterdir()) == ["a.xml", "persons.xml"]
    made["walked"] = 0
    assert build(find_project(folder, out), strict=False) == 0 and made["walked"] == 0
    assert len(list((tmp_path / "user-cache" / "builds").iterdir())) == 1


def test_the_users_cache_keeps_the_folders_last_built(tmp_path, monkeypatch):
    monkeypatch.setattr(cache_module, "KEEP_BUILDS", 3)
    for i in range(5):
        folder = tmp_path / f"tei{i}"
        folder.mkdir()
        assert BuildCache.open(cache_module.folder_for(folder, folder)) is not None
    builds = tmp_path / "user-cache" / "builds"
    assert len(list(builds.iterdir())) == 3
    assert cache_module.folder_for(tmp_path / "tei4", tmp_path / "tei4").exists()

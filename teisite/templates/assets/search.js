// teisite's search box (issue 15): Pagefind's chunked index (pagefind/, written by teisite/search.py)
// behind Material's own search markup (overrides/main.html). Pagefind's code and its small meta
// file are loaded once the page has loaded and the browser is idle (cached for the next pages),
// the index's words and fragments only as a query needs them; every URL is relative to the site's root, so the site works from a subfolder.
(function () {
  "use strict";
  const form = document.querySelector("form[data-ts-search]");
  if (form) {
    setUp(form);
  }
  highlightOnArrival();

  function setUp(form) {
    const words = JSON.parse(form.dataset.words || "{}");
    const root = new URL(form.dataset.root.replace(/\/?$/, "/"), location.href);
    const toggle = document.getElementById("__search");
    const input = form.querySelector("input[name=query]");
    const dialog = form.closest(".ts-search");
    const meta = dialog.querySelector(".md-search-result__meta");
    const list = dialog.querySelector(".md-search-result__list");
    const more = dialog.querySelector(".ts-search-more");
    const filterBox = dialog.querySelector(".ts-search-filters");
    const selects = Array.from(filterBox.querySelectorAll("select"));
    dialog.hidden = false;
    document.querySelectorAll(".ts-search-button").forEach((b) => { b.hidden = false; });
    let pagefind = null;
    let current = 0;      // the number of the latest search: an older one's results are dropped
    let results = { pages: [], places: [], year: "" };
    let shown = 0;
    let filtersLoaded = false;
    let facets = null;    // teisite-filters.json: the filters' values, and whether the index is folded
    let folded = false;   // the index holds pre-reform Russian letters as modern ones (search.py)

    function facetsOf() {
      facets ||= fetch(new URL("pagefind/teisite-filters.json", root)).then((r) => r.json());
      return facets;
    }

    function load() {
      if (!pagefind) {
        pagefind = import(new URL("pagefind/pagefind.js", root).href).then(async (pf) => {
          await pf.options({ baseUrl: "/", excerptLength: 24 });
          await pf.init();
          const known = await facetsOf().catch(() => ({}));
          folded = !!known.fold;
          // a large edition's index comes in parts (teisite/search.py), merged here
          await Promise.all((known.parts || []).map((part) =>
            pf.mergeIndex(new URL("pagefind/" + part, root).href, { baseUrl: "/", excerptLength: 24 })));
          return pf;
        });
      }
      return pagefind;
    }

    function open() {
      if (toggle && !toggle.checked) {
        toggle.checked = true;
        toggle.dispatchEvent(new Event("change"));
      }
    }

    function close() {
      if (toggle && toggle.checked) {
        toggle.checked = false;
        toggle.dispatchEvent(new Event("change"));
      }
      input.blur();
    }

    function filters() {
      const f = {};
      for (const s of selects) {
        if (s.value) f[s.name] = s.value;
      }
      return f;
    }

    async function loadFilters() {
      if (filtersLoaded) return;
      filtersLoaded = true;
      // teisite's own list of the values (Pagefind's filters() would load every record's "where")
      const all = await facetsOf();
      for (const s of selects) {
        const values = all[s.name] || [];
        if (values.length < 2) { s.closest("label").hidden = true; continue; }
        for (const v of values) {
          const o = document.createElement("option");
          o.value = v;
          o.textContent = s.name === "kind" ? (words["search_kind_" + v] || v) : v;
          s.append(o);
        }
      }
      filterBox.hidden = false;
    }

    function count(n, all) {
      if (n === 0) return words.search_none || "No results";
      if (n === 1 && all) return words.search_one || "1 result";
      return (words.search_other || "# results").replace("#", all ? n : n + "+");
    }

    // A query of several words: the pages holding each word, and where (Pagefind's word
    // positions), so that a place is shown only when it holds every word, not the page it is on
    async function wordPlaces(pf, q, f) {
      const terms = [...new Set(q.split(/\s+/).filter(Boolean))];
      if (terms.length < 2) return [];
      const each = await Promise.all(terms.map((t) => pf.search(t, { filters: f })));
      return each.map((r) => new Map(r.results.map((x) => [x.id, x.words])));
    }

    async function search() {
      const typed = input.value.trim();
      let q = typed;
      const mine = ++current;
      if (!q) {
        list.replaceChildren();
        meta.textContent = "";
        more.hidden = true;
        return;
      }
      if (!pagefind) meta.textContent = words.search_loading || "…";
      let found = null;
      let places = [];
      const f = filters();
      try {
        const pf = await load();
        if (folded) q = foldOld(typed);
        [found, places] = await Promise.all([pf.search(q, { filters: f }), wordPlaces(pf, q, f)]);
      } catch (e) {  // no index (a build with nothing to find): say so, not a broken box
        found = { results: [] };
      }
      if (mine !== current || !found) return;
      results = { pages: found.results, places: places, year: f.year || "" };
      shown = 0;
      list.replaceChildren();
      await showMore(mine);
      loadFilters();
    }

    // Pages are loaded a few at a time (the first alone: the first result comes with its page)
    // until ten more places are shown, or none is left
    async function showMore(mine) {
      more.hidden = true;  // not pressed again while these are coming
      let added = 0;
      while (added < 10 && shown < results.pages.length) {
        const next = results.pages.slice(shown, shown + (shown ? 4 : 1));
        shown += next.length;
        const data = await Promise.all(next.map((r) => r.data()));
        if (mine !== current) return;
        next.forEach((r, i) => {
          for (const li of items(r, data[i])) { list.append(li); added += 1; }
        });
      }
      more.hidden = shown >= results.pages.length;
      meta.textContent = count(list.children.length, more.hidden);
    }

    // The record's file is beside its page: texts/x/ts-notes.html is texts/x/ (teisite/search.py)
    function pageOf(url) {
      return url.replace(/^\//, "").replace(/ts-[\w-]+\.html$/, "").replace(/(\.html)\/$/, "$1");
    }

    // The places of one page a reader is led to: Pagefind's sub-results (one per section of the
    // record, a heading whose id is the anchor), each holding every word of the query
    function items(r, d) {
      const f = d.filters || {};
      const units = JSON.parse((f.units || [])[0] || "{}");
      // where each place's words are: its sections' ranges of word positions (an entry's names,
      // before any heading, and its text, after `ts-page`, are one place)
      const heads = (d.anchors || []).filter((a) => /h\d/i.test(a.element) && a.text && /\S/.test(a.text))
        .sort((a, b) => a.location - b.location);
      const placeOf = (a) => (a && a.id !== "ts-page" ? a.id : "");
      const ranges = {};
      [{ id: "", location: 0 }, ...heads].forEach((a, i) => {
        const end = i < heads.length ? heads[i].location : Infinity;
        (ranges[placeOf(a)] ||= []).push([a.location, end]);
      });
      const words = d.content.split(/\s+/);
      const seen = new Set();
      const out = [];
      for (const s of d.sub_results || []) {
        const id = placeOf(s.anchor);
        const own = ranges[id] || [];
        if (!results.places.every((m) => (m.get(r.id) || []).some((l) => own.some(([a, b]) => l >= a && l < b)))) continue;
        const [where, years, written] = units[s.anchor ? s.anchor.id : ""] || units[""] || [d.meta.title || "", []];
        if (results.year && !years.includes(results.year)) continue;
        if (seen.has(id)) continue;
        seen.add(id);
        const forms = [...new Set((s.locations || []).map((i) => (words[i] || "")
          .replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "")).filter(Boolean))];
        out.push(item(pageOf(d.url), id, forms, where, (f.document || [])[0] || "",
                      (f.kind || [])[0] || "", written ? asWritten(s.excerpt, written) : s.excerpt));
      }
      return out;
    }

    function item(path, hash, forms, where, doc, kind, excerpt) {
      const url = new URL(path, root);
      if (forms.length) url.searchParams.set("h", forms.join(" "));
      if (hash) url.hash = hash;
      const li = document.createElement("li");
      li.className = "md-search-result__item";
      const a = document.createElement("a");
      a.className = "md-search-result__link";
      a.href = url.href;
      a.tabIndex = -1;
      const article = document.createElement("article");
      article.className = "md-search-result__article md-typeset";
      const h = document.createElement("h1");
      h.textContent = doc && doc !== where ? `${where} · ${doc}` : where || path;
      const p = document.createElement("p");
      // Pagefind's excerpt: the section's text, escaped, with <mark> (or its words as written)
      if (typeof excerpt === "string") p.innerHTML = excerpt; else p.append(excerpt);
      if (kind) article.dataset.kind = kind;
      article.append(h, p);
      a.append(article);
      li.append(a);
      return li;
    }

    input.addEventListener("focus", () => { open(); load(); });
    // a pointer on its way to the box: Pagefind's code and index start loading before the click
    form.addEventListener("pointerenter", () => load(), { once: true });
    // the first keystroke waits for the words it needs only, not for Pagefind's code
    const idle = window.requestIdleCallback || ((f) => setTimeout(f, 1000));
    if (document.readyState === "complete") idle(() => load());
    else window.addEventListener("load", () => idle(() => load()), { once: true });
    document.querySelectorAll(".ts-search-button").forEach((b) => b.addEventListener("pointerenter", () => load(), { once: true }));
    input.addEventListener("input", search);
    for (const s of selects) s.addEventListener("change", search);
    more.addEventListener("click", () => showMore(current));
    form.addEventListener("reset", () => setTimeout(search));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const first = list.querySelector("a");
      if (first) location.href = first.href;
    });
    if (toggle) {
      toggle.addEventListener("change", () => { if (toggle.checked) input.focus(); });
    }
    dialog.addEventListener("keydown", (e) => {
      const links = Array.from(list.querySelectorAll("a"));
      const i = links.indexOf(document.activeElement);
      if (e.key === "Escape") { close(); e.preventDefault(); }
      else if (e.key === "ArrowDown" && links.length) {
        links[Math.min(i + 1, links.length - 1)].focus(); e.preventDefault();
      } else if (e.key === "ArrowUp" && links.length) {
        (i <= 0 ? input : links[i - 1]).focus(); e.preventDefault();
      }
    });
    dialog.addEventListener("click", (e) => {
      if (e.target.closest(".md-search__overlay")) close();
      if (e.target.closest("a.md-search-result__link")) close();
    });
    document.addEventListener("keydown", (e) => {
      const t = e.target;
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      if (e.key === "/" || e.key === "s" || e.key === "S" || e.key === "f" || e.key === "F") {
        e.preventDefault();
        open();
        input.focus();
      }
    });
  }

  // On a page reached from a result (?h=forms#anchor): mark the words found, in the passage at
  // the anchor (in the page's text when there is none), the way the reader sees them
  function highlightOnArrival() {
    const h = new URLSearchParams(location.search).get("h");
    if (!h) return;
    const forms = h.split(/\s+/).filter(Boolean).map(fold);
    if (!forms.length) return;
    const target = (location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1))))
      || document.querySelector(".md-content article") || document.body;
    const skip = "script, style, button, .passage-n, .noteref, .note-kind, .visually-hidden, .app-rdgs, dialog";
    const walker = document.createTreeWalker(target, NodeFilter.SHOW_TEXT, {
      acceptNode: (n) => (n.parentElement.closest(skip) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
    });
    const nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    const word = /[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*/gu;
    for (const node of nodes) {
      const text = node.data;
      const hits = [];
      for (const m of text.matchAll(word)) {
        if (forms.includes(fold(m[0]))) hits.push([m.index, m.index + m[0].length]);
      }
      if (!hits.length) continue;
      const frag = document.createDocumentFragment();
      let at = 0;
      for (const [s, e] of hits) {
        frag.append(text.slice(at, s));
        const mark = document.createElement("mark");
        mark.className = "ts-hit";
        mark.textContent = text.slice(s, e);
        frag.append(mark);
        at = e;
      }
      frag.append(text.slice(at));
      node.replaceWith(frag);
    }
    if (target.id) target.classList.add("ts-target");
  }

  function fold(s) {
    return foldOld(s.toLocaleLowerCase().replace(/ё/g, "е"));
  }

  // search.py's fold_old_spelling: word for word, so the k-th word folded is the k-th as written
  function foldOld(s) {
    return s.replace(/[ѣѢіІїЇѵѴѳѲ]/g, (c) => "еЕиИиИиИфФ"["ѣѢіІїЇѵѴѳѲ".indexOf(c)])
      .replace(/(?<=\p{L})[ъЪ](?!\p{L})/gu, "");
  }

  // A folded excerpt in the words as written: the excerpt's words are found, in order, among the
  // section's words folded, and each is replaced by its word as written (marked if it was);
  // an excerpt not found so is shown as it is
  function asWritten(excerpt, written) {
    const box = document.createElement("div");
    const tokens = excerpt.split(" ").map((t) => { box.innerHTML = t; return [box.textContent, t.includes("<mark>")]; });
    const originals = written.split(" ");
    const folded = originals.map(foldOld);
    const n = tokens.length;
    for (let i = 0; i + n <= folded.length; i++) {
      if (!tokens.every(([w], k) => folded[i + k] === w)) continue;
      const frag = document.createDocumentFragment();
      tokens.forEach(([, marked], k) => {
        if (k) frag.append(" ");
        if (marked) {  // the word marked, its punctuation not (as Pagefind marks it)
          const [, before, word, after] = /^([^\p{L}\p{N}]*)(.*?)([^\p{L}\p{N}]*)$/u.exec(originals[i + k]);
          const m = document.createElement("mark");
          m.textContent = word;
          frag.append(before, m, after);
        } else frag.append(originals[i + k]);
      });
      return frag;
    }
    return excerpt;
  }
})();

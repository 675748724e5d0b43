/* teisite: the reader's view of a text page. Everything is already in the HTML; this script adds
   popovers (register entries, dates, notes), the highlight toggles, expandable abbreviations and the
   cite dialog. No framework, no requests. */
(function () {
  "use strict";
  var article = document.querySelector(".teisite-text");
  if (!article) return;

  function json(id, attr) {
    var el = document.getElementById(id);
    try { return el ? JSON.parse(attr ? el.getAttribute(attr) : el.textContent) : {}; }
    catch (e) { return {}; }
  }
  var data = json("teisite-data");
  var entries = data.entries || {};
  var W = json("teisite-words", "data-words");
  function w(key, arg) {
    var s = W[key] || key;
    return arg === undefined ? s : s.replace("{}", arg);
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }
  function link(href, text, cls) {
    var a = el("a", cls, text);
    a.href = href;
    return a;
  }

  /* ---- an old version: its banner's link leads to the place in the current version ------------ */

  (function () {
    var V = data.version || {}, to = document.querySelector(".ts-version-current");
    var said = document.querySelector(".ts-version-gone");
    if (!to || !said || !V.old) return;
    var page = to.getAttribute("href").split("#")[0];
    function update() {
      var anchor = decodeURIComponent(location.hash.slice(1));
      var gone = V.missing ? w("version_text_gone")
        : anchor && (V.gone || []).indexOf(anchor) >= 0 ? w("version_gone", V.this) : "";
      to.hidden = !!gone;
      said.hidden = !gone;
      said.textContent = gone;
      to.href = page + (anchor ? "#" + encodeURIComponent(anchor) : "");
    }
    update();
    window.addEventListener("hashchange", update);
  })();

  /* ---- popovers ------------------------------------------------------------------------------ */

  var TRIGGER = "a.mention, span.mention[data-ref], span.mention-date, .mention-link, a.noteref";
  var pop = el("span", "teisite-popover");
  pop.id = "teisite-popover";
  var current = null, showTimer = 0, hideTimer = 0, pointer = "";
  var dismissed = null;  // closed with Escape: focus alone does not reopen it

  // the mention (or note marker) an event is about; the ° link of a nested mention stands for it
  function triggerOf(node) {
    if (!node || !node.closest || node.closest(".teisite-popover")) return null;
    var t = node.closest(TRIGGER);
    if (t && t.classList.contains("mention-link")) t = t.parentNode.closest(".mention");
    if (!t || t.classList.contains("mention-unlinked")) return null;
    return t;
  }
  // where keyboard focus sits for a trigger: the mention itself, or its ° link
  function focusable(t) {
    return t.matches("a, [tabindex]") ? t : t.querySelector(":scope > .mention-link") || t;
  }

  function kindOf(t) {
    var m = /mention-(person|place|org|event|bibl|date|name)/.exec(t.className);
    return m ? m[1] : "name";
  }

  function entryContent(box, e) {
    var sec = el("span", "pop-entry pop-" + e.kind);
    sec.appendChild(el("span", "pop-kind", w("kind_" + e.kind)));
    var head = el("span", "pop-title");
    head.appendChild(el("strong", "", e.label));
    if (e.life) head.appendChild(el("span", "pop-life", " (" + e.life + ")"));
    sec.appendChild(head);
    var facts = [];
    if (e.kind === "place" && e.type) facts.push(e.type);
    if (e.role) facts.push(e.role);
    if (facts.length) sec.appendChild(el("span", "pop-facts", facts.join("; ")));
    if (e.description) sec.appendChild(el("span", "pop-desc", e.description));
    if (e.links && e.links.length) {
      var links = el("span", "pop-links", w("authority") + ": ");
      e.links.forEach(function (l, i) {
        if (i) links.appendChild(document.createTextNode(", "));
        var a = link(l.url, l.label);
        a.rel = "noopener";
        links.appendChild(a);
      });
      sec.appendChild(links);
    }
    sec.appendChild(link(e.url, w("entry_page") + " →", "pop-more"));
    box.appendChild(sec);
  }

  // ISO 8601 duration (P1Y, P10M, P3D) in words, through the browser's own Intl
  function durationText(iso) {
    var m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/.exec(iso || "");
    if (!m) return iso || "";
    var units = ["year", "month", "week", "day"], parts = [];
    for (var i = 0; i < 4; i++) {
      if (!m[i + 1]) continue;
      try {
        parts.push(new Intl.NumberFormat(W.lang, { style: "unit", unit: units[i], unitDisplay: "long" })
          .format(+m[i + 1]));
      } catch (e) { parts.push(m[i + 1] + " " + units[i]); }
    }
    return parts.join(" ");
  }

  function dateContent(box, t) {
    var d = t.dataset, sec = el("span", "pop-entry pop-date");
    sec.appendChild(el("span", "pop-kind", w(d.greg ? "kind_date" : d.dur ? "duration" : "kind_date")));
    if (d.greg) {
      var g = el("span", "pop-title");
      g.appendChild(el("strong", "", d.greg));
      if (d.orig) g.appendChild(document.createTextNode(" (" + w("calendar_gregorian") + ")"));
      sec.appendChild(g);
      if (d.jul) sec.appendChild(el("span", "pop-facts", d.jul + " (" + w("calendar_julian") + ")"));
      if (d.orig) sec.appendChild(el("span", "pop-facts", d.orig + " (" + w("calendar_" + d.cal) + ")"));
    } else {
      if (d.dur) sec.appendChild(el("strong", "pop-title", durationText(d.dur)));
      sec.appendChild(el("span", "pop-facts", w("not_in_chronology")));
    }
    if (t.classList.contains("uncertain")) sec.appendChild(el("span", "pop-uncertain", w("uncertain")));
    var href = t.getAttribute("href") || (t.querySelector(".mention-link") || {}).href;
    if (href) sec.appendChild(link(href, w("chronology") + " →", "pop-more"));
    box.appendChild(sec);
  }

  function noteContent(box, t) {
    var id = decodeURIComponent(t.hash.slice(1)), note = document.getElementById(id);
    if (!note) return false;
    var kind = note.classList.contains("note-editorial") ? "editorial" : "authorial";
    var sec = el("span", "pop-entry pop-note pop-note-" + kind);
    sec.appendChild(el("span", "pop-kind", w("note_" + kind) + " " + (note.getAttribute("value") || "")));
    var body = note.querySelector(".note-body").cloneNode(true);
    body.className = "pop-desc";
    body.querySelectorAll("[id]").forEach(function (n) { n.removeAttribute("id"); });
    sec.appendChild(body);
    sec.appendChild(link("#" + id, w("go_to_note") + " →", "pop-more"));
    box.appendChild(sec);
    return true;
  }

  function fill(t) {
    pop.textContent = "";
    pop.className = "teisite-popover";
    if (t.classList.contains("noteref")) return noteContent(pop, t);
    var kind = kindOf(t);
    pop.classList.add("popover-" + kind);
    if (kind === "date") { dateContent(pop, t); return true; }
    var ids = (t.dataset.ref || "").split(/\s+/).filter(function (i) { return entries[i]; });
    ids.forEach(function (i) { entryContent(pop, entries[i]); });
    return ids.length > 0;
  }

  // below the mention's first line (or above it when the viewport has no room), inside the text column
  function place(t) {
    var rects = t.getClientRects(), r = rects[0] || t.getBoundingClientRect();
    var base = pop.offsetParent ? pop.offsetParent.getBoundingClientRect() : { left: 0, top: 0, width: innerWidth };
    pop.style.left = "0px";
    pop.style.top = "0px";
    var width = pop.offsetWidth, height = pop.offsetHeight;
    var left = Math.max(0, Math.min(r.left - base.left, base.width - width));
    var top = r.bottom - base.top + 6;
    if (r.bottom + height + 12 > innerHeight && r.top - height - 12 > 0) top = r.top - base.top - height - 6;
    pop.style.left = left + "px";
    pop.style.top = top + "px";
  }

  function open(t) {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    if (current === t) return;
    close();
    if (!fill(t)) return;
    current = t;
    // right after the focusable element, so Tab moves on into the popover's links
    var f = focusable(t);
    f.after(pop);
    f.setAttribute("aria-describedby", pop.id);
    t.classList.add("popover-open");
    place(t);
  }

  function close() {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    if (!current) return;
    focusable(current).removeAttribute("aria-describedby");
    current.classList.remove("popover-open");
    pop.remove();
    current = null;
  }

  function later(fn, ms) { return setTimeout(fn, ms); }

  // mouse: hover opens after a short pause; the pointer may move into the popover (WCAG 1.4.13)
  document.addEventListener("pointerover", function (ev) {
    if (ev.pointerType !== "mouse") return;
    if (ev.target.closest && ev.target.closest(".teisite-popover")) { clearTimeout(hideTimer); return; }
    var t = triggerOf(ev.target);
    if (!t) return;
    clearTimeout(hideTimer);
    if (t === current) return;
    clearTimeout(showTimer);
    showTimer = later(function () { open(t); }, 150);
  });
  document.addEventListener("pointerout", function (ev) {
    if (ev.pointerType !== "mouse") return;
    var to = ev.relatedTarget;
    clearTimeout(showTimer);
    if (!current) return;
    if (to && (pop.contains(to) || current.contains(to) || triggerOf(to) === current)) return;
    hideTimer = later(close, 300);
  });

  // keyboard: focus opens, leaving both the mention and its popover closes
  article.addEventListener("focusin", function (ev) {
    if (pointer === "touch" || pointer === "pen") return;  // a tap is handled by the click below
    if (pop.contains(ev.target)) { clearTimeout(hideTimer); return; }
    var t = triggerOf(ev.target);
    if (t !== dismissed) dismissed = null;
    if (t && !dismissed) open(t);
  });
  article.addEventListener("focusout", function (ev) {
    var to = ev.relatedTarget;
    if (!current || (to && (pop.contains(to) || focusable(current) === to))) return;
    hideTimer = later(close, 100);
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "Escape" || !current) return;
    var back = pop.contains(document.activeElement) ? focusable(current) : null;
    dismissed = current;
    close();
    if (back) back.focus();
  });

  // touch: the first tap opens the popover (which links to the entry), a second tap follows the link
  document.addEventListener("pointerdown", function (ev) { pointer = ev.pointerType; }, true);
  document.addEventListener("click", function (ev) {
    var kind = pointer;
    pointer = "";
    if (pop.contains(ev.target)) return;
    var t = triggerOf(ev.target);
    if (t && (kind === "touch" || kind === "pen") && t !== current) {
      ev.preventDefault();
      open(t);
    } else if (!t && current) {
      close();
    }
  });
  addEventListener("resize", function () { if (current) place(current); });

  // a title would show a second, native tooltip: keep it only for readers without JavaScript
  article.querySelectorAll(".mention[title], .mention-link[title]").forEach(function (m) {
    m.removeAttribute("title");
  });

  /* ---- a translation beside the text (behaviours/translation.html) ------------------------------- */

  // (before landing: a link to a passage lands on it where it stands in its row)
  // each paragraph of the translation goes into one row with the passage it translates (@corresp):
  // side by side on a wide screen, under it on a narrow one (teisite.css); the translation's head
  // (who made it) and the switch go above the text. The reader's choice is remembered.
  var translation = article.querySelector("section.translation");
  if (translation) {
    var PARALLEL = "teisite.parallel";
    var first = null;
    translation.querySelectorAll(".passage-translation[data-corresp]").forEach(function (t) {
      var original = document.getElementById(t.dataset.corresp);
      if (!original || !original.classList.contains("passage")) return;
      var row = document.createElement("div");
      row.className = "parallel-row";
      original.parentNode.insertBefore(row, original);
      row.appendChild(original);
      row.appendChild(t);
      first = first || row;
    });
    var choice = translation.querySelector(".parallel-switch");
    if (first && choice) {
      var head = translation.querySelector(":scope > .tei-head");
      var top = document.createElement("div");
      top.className = "parallel-top";
      top.setAttribute("lang", translation.getAttribute("lang") || "");
      if (head) top.appendChild(head);
      top.appendChild(choice);
      var container = first.parentNode;
      container.insertBefore(top, container.firstElementChild === first ? first : container.firstElementChild);
      article.classList.add("has-parallel");
      var show = function (mode) {
        ["both", "original", "translation"].forEach(function (m) {
          article.classList.toggle("parallel-" + m, m === mode);
        });
      };
      var saved = "both";
      try { saved = localStorage.getItem(PARALLEL) || "both"; } catch (e) { /* private mode */ }
      choice.querySelectorAll("input[name=parallel]").forEach(function (r) {
        r.checked = r.value === saved;
        r.addEventListener("change", function () {
          if (!r.checked) return;
          show(r.value);
          try { localStorage.setItem(PARALLEL, r.value); } catch (e) { /* private mode */ }
        });
      });
      show(saved);
      choice.hidden = false;
      if (!translation.querySelector(".passage-translation")) translation.hidden = true;
      // a link to a paragraph of the translation shows it, whichever column is shown
      var landed = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
      if (landed && landed.classList.contains("passage-translation") && saved === "original") show("both");
    }
  }

  /* ---- landing on a passage: a link to #pN or #pN-mN highlights the passage (and the name) for a
     moment, and the focus the browser gives the name opens no popover over what the reader came to
     see ------------------------------------------------------------------------------------------ */

  function land() {
    var id = decodeURIComponent(location.hash.slice(1)), target = id && document.getElementById(id);
    if (!target || !article.contains(target)) return;
    close();
    dismissed = triggerOf(target);
    var passage = target.closest(".passage, .l, .note, tr") || target;
    var lit = passage === target ? [target] : [passage, target];
    lit.forEach(function (n) {
      n.classList.remove("landed");
      void n.offsetWidth;  // restarts the animation on a second landing
      n.classList.add("landed");
    });
    setTimeout(function () { lit.forEach(function (n) { n.classList.remove("landed"); }); }, 3000);
    // the whole passage in view when it fits, not only the name (which the browser puts at the top)
    function reveal() {
      if (passage !== target && passage.getBoundingClientRect().height < innerHeight * 0.8) {
        passage.scrollIntoView({ block: "start" });
      }
    }
    setTimeout(reveal, 0);
    if (document.readyState !== "complete") addEventListener("load", function () { setTimeout(reveal, 0); });
  }
  addEventListener("hashchange", land);
  land();

  /* ---- copying gives the text: ¶ numbers, buttons, popovers and what is there for screen readers
     stay out; a note's marker becomes " [5]" ------------------------------------------------------- */

  var NOT_TEXT = ".passage-n, button, .teisite-popover, .visually-hidden, .choice-alt, .app-rdgs, " +
    ".mention-link, .l-n, .ts-icons, .note-back, .note-kind, .cite-range, [hidden]";
  document.addEventListener("copy", function (ev) {
    var sel = getSelection();
    if (!sel.rangeCount || sel.isCollapsed || !ev.clipboardData) return;
    var range = sel.getRangeAt(0);
    if (!article.contains(range.commonAncestorContainer) &&
        !range.intersectsNode(article.querySelector(".tei-text") || article)) return;
    var box = el("div", "teisite-copy");
    box.appendChild(range.cloneContents());
    box.querySelectorAll(NOT_TEXT).forEach(function (n) { n.remove(); });
    // beside a translation, a selection gives the column it starts in: the original's passages,
    // or the translation's paragraphs, not both interleaved row by row
    var start = range.startContainer.nodeType === 1 ? range.startContainer : range.startContainer.parentNode;
    var other = start.closest(".passage-translation") ? ".parallel-row > .passage" : ".passage-translation";
    if (box.querySelector(".passage, .passage-translation")) {
      box.querySelectorAll(other).forEach(function (n) { n.remove(); });
    }
    box.querySelectorAll("a.noteref").forEach(function (n) {
      n.replaceWith(" [" + n.textContent.replace(/[\[\]\s]/g, "") + "]");
    });
    // laid out (off screen) so that innerText breaks lines between passages as the page does
    box.style.cssText = "position:fixed;left:-10000px;top:0;width:40em;white-space:normal";
    article.appendChild(box);
    var text = box.innerText.replace(/[ \t]+\n/g, "\n").replace(/\n{3,}/g, "\n\n").trim();
    box.remove();
    ev.clipboardData.setData("text/plain", text);
    ev.preventDefault();
  });

  // the printout ends with the page's address; without a site_url it is known only here
  var printUrl = article.querySelector(".print-url");
  if (printUrl && !printUrl.textContent.trim()) printUrl.textContent = location.href.split("#")[0];

  /* ---- abbreviations expand in place --------------------------------------------------------- */

  article.querySelectorAll(".choice-expan").forEach(function (c) {
    c.setAttribute("role", "button");
    c.setAttribute("aria-expanded", "false");
    c.setAttribute("aria-label", c.querySelector(".choice-shown").textContent + " — " + w("expand"));
    function toggle(ev) {
      if (ev.type === "keydown" && ev.key !== "Enter" && ev.key !== " ") return;
      ev.preventDefault();
      var on = c.classList.toggle("expanded");
      c.setAttribute("aria-expanded", String(on));
      c.setAttribute("aria-label", on ? c.querySelector(".choice-regular").textContent
        : c.querySelector(".choice-shown").textContent + " — " + w("expand"));
    }
    c.addEventListener("click", toggle);
    c.addEventListener("keydown", toggle);
  });

  /* ---- highlight toggles, remembered in localStorage ----------------------------------------- */

  var STORE = "teisite.hidden-kinds";
  var toggles = article.querySelector(".highlight-toggles");
  if (toggles) {
    var hidden = [];
    try { hidden = JSON.parse(localStorage.getItem(STORE)) || []; } catch (e) { hidden = []; }
    toggles.querySelectorAll("input[data-kind]").forEach(function (box) {
      var kind = box.dataset.kind;
      box.checked = hidden.indexOf(kind) < 0;
      article.classList.toggle("hide-" + kind, !box.checked);
      box.addEventListener("change", function () {
        article.classList.toggle("hide-" + kind, !box.checked);
        var off = [].filter.call(toggles.querySelectorAll("input[data-kind]"), function (b) {
          return !b.checked;
        }).map(function (b) { return b.dataset.kind; });
        try { localStorage.setItem(STORE, JSON.stringify(off)); } catch (e) { /* private mode */ }
      });
    });
    toggles.hidden = false;
  }

  /* ---- citing ------------------------------------------------------------------------------------ */

  var C = data.citation || {};
  var dialog = article.querySelector(".cite-dialog");
  var opener = null;

  function unique(list) {
    return (list || []).filter(function (x, i, a) { return x && a.indexOf(x) === i; });
  }
  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function citation(anchor, lines) {
    var now = new Date(), passage = anchor ? document.getElementById(anchor) : null;
    var n = lines || (passage ? passage.dataset.n : "");
    var page = C.url || location.href.split("#")[0];
    var date = (C.date || "").slice(0, 10);
    return {
      id: (article.dataset.doc || "text") + (anchor ? "-" + anchor : ""),
      title: C.title || document.title, site: C.site || "", publisher: C.publisher || "",
      editors: unique(C.editors), orgs: unique(C.editor_orgs), year: date.slice(0, 4), date: date,
      lang: C.lang || W.lang || "",
      licence: C.licence || "", version: C.version || "", doi: C.doi || "",
      n: n, url: anchor ? page + "#" + anchor : page,
      unit: !n ? "" : lines ? (lines.indexOf("\u2013") > 0 ? "lines" : "line") : "passage",
      // the version's own address is what is cited; the current version's is given besides
      current: C.current && C.current !== page ? (anchor ? C.current + "#" + anchor : C.current) : "",
      // a range of verse lines (from their numbers), one line, or a passage
      locator: !n ? "" : lines ? w(lines.indexOf("\u2013") > 0 ? "cite_lines_locator" : "cite_line_locator", n)
        : w("cite_locator", n),
      what: !n ? w("cite_whole") : lines ? (lines.indexOf("\u2013") > 0 ? w("lines") : w("line")) + " " + n
        : w("passage") + " " + n,
      accessed: [now.getFullYear(), now.getMonth() + 1, now.getDate()]
    };
  }

  // the human-readable styles, each in its own language whatever the interface's (a style's
  // formula words belong to it): GOST R 7.0.100-2018 for an electronic resource, a part of a
  // site («Текст : электронный // Сайт : [сайт]», «URL: …», «(дата обращения: …)»), and Chicago
  // notes-bibliography, where an editor that is an organisation stands as the author, not as "ed."
  var LOCATORS = {
    gost: { passage: "Абз. ", line: "Стк. ", lines: "Стк. " },
    chicago: { passage: "Para. ", line: "l. ", lines: "ll. " }
  };
  var styles = {
    gost: function (c) {
      var acc = pad(c.accessed[2]) + "." + pad(c.accessed[1]) + "." + c.accessed[0];
      var site = c.site && c.site !== c.title;
      return c.title + (c.editors.length ? " / " + c.editors.join(", ") : "") +
        ". — Текст : электронный" + (site ? " // " + c.site + " : [сайт]" : "") + ". — " +
        [c.publisher, c.year].filter(Boolean).join(", ") + "." +
        (c.version ? " — Версия " + c.version + "." : "") +
        (c.n ? " — " + LOCATORS.gost[c.unit] + c.n + "." : "") +
        (c.doi ? " — DOI: " + c.doi + "." : "") +
        " — URL: " + c.url + " (дата обращения: " + acc + ")." +
        (c.current ? " — Текущая версия: " + c.current + "." : "");
    },
    chicago: function (c) {
      var months = ["January", "February", "March", "April", "May", "June", "July", "August",
                    "September", "October", "November", "December"];
      var when = months[c.accessed[1] - 1] + " " + c.accessed[2] + ", " + c.accessed[0];
      var people = c.editors.filter(function (e) { return c.orgs.indexOf(e) < 0; });
      var head = c.orgs.length && !people.length ? c.orgs.join(", ") + ". " :
        people.length ? people.join(", ") + ", " + (people.length > 1 ? "eds." : "ed.") + " " : "";
      return head + "\u201c" + c.title + ".\u201d " + (c.site && c.site !== c.title ? c.site + ". " : "") +
        (c.version ? "Version " + c.version + ". " : "") +
        [c.publisher, c.year].filter(Boolean).join(", ") + ". " +
        (c.n ? LOCATORS.chicago[c.unit] + c.n + ". " : "") +
        "Accessed " + when + ". " + c.url + "." +
        (c.doi ? " https://doi.org/" + c.doi + "." : "") +
        (c.current ? " Current version: " + c.current + "." : "");
    }
  };

  function bibtex(c) {
    // LaTeX's special characters; braces are dropped rather than balanced
    function tex(s) { return String(s).replace(/[{}\\]/g, "").replace(/([&%$#_])/g, "\\$1"); }
    var langid = { ru: "russian", en: "english", de: "german", fr: "french" }[c.lang] || c.lang;
    var f = [
      ["title", "{" + tex(c.title) + "}"],
      c.editors.length && ["editor", c.editors.map(function (e) { return "{" + tex(e) + "}"; }).join(" and ")],
      c.site && ["organization", tex(c.site)],
      c.publisher && ["publisher", tex(c.publisher)],
      c.version && ["version", tex(c.version)],
      c.year && ["year", c.year],
      c.date && ["date", c.date],
      c.n && ["note", tex(c.locator)],
      c.doi && ["doi", tex(c.doi)],
      ["url", c.url.replace(/[{}]/g, "")],
      ["urldate", c.accessed[0] + "-" + pad(c.accessed[1]) + "-" + pad(c.accessed[2])],
      langid && ["langid", langid]
    ].filter(Boolean);
    return "@online{" + c.id.replace(/[^A-Za-z0-9_:.-]/g, "") + ",\n" + f.map(function (p) {
      return "  " + p[0] + " = {" + p[1] + "}";
    }).join(",\n") + "\n}\n";
  }

  function ris(c) {
    function one(s) { return String(s).replace(/\s+/g, " "); }
    var lines = [["TY", "ELEC"], ["TI", c.title]];
    if (c.site) lines.push(["T2", c.site]);
    c.editors.forEach(function (e) { lines.push(["A2", e]); });
    if (c.publisher) lines.push(["PB", c.publisher]);
    if (c.version) lines.push(["ET", c.version]);
    if (c.year) lines.push(["PY", c.year]);
    if (c.date) lines.push(["DA", c.date.replace(/-/g, "/")]);
    if (c.n) lines.push(["SE", c.locator]);
    if (c.doi) lines.push(["DO", c.doi]);
    lines.push(["UR", c.url], ["Y2", c.accessed[0] + "/" + pad(c.accessed[1]) + "/" + pad(c.accessed[2])]);
    if (c.lang) lines.push(["LA", c.lang]);
    lines.push(["ER", ""]);
    return lines.map(function (l) { return l[0] + "  - " + one(l[1]); }).join("\n") + "\n";
  }

  function csl(c) {
    var item = { id: c.id, type: "webpage", title: c.title, URL: c.url,
      accessed: { "date-parts": [c.accessed] } };
    if (c.site) item["container-title"] = c.site;
    if (c.editors.length) item.editor = c.editors.map(function (e) { return { literal: e }; });
    if (c.publisher) item.publisher = c.publisher;
    if (c.date) item.issued = { "date-parts": [c.date.split("-").map(Number)] };
    if (c.n) item.section = c.locator;
    if (c.lang) item.language = c.lang;
    if (c.licence) item.license = c.licence;
    if (c.version) item.version = c.version;
    if (c.doi) item.DOI = c.doi;
    return JSON.stringify([item], null, 2) + "\n";
  }

  function showCite(button) {
    var anchor = button.dataset.cite, c = citation(anchor, button.dataset.lines);
    opener = button;
    // a paragraph of a translation says so (its button's data-what); a passage is named by c.what
    dialog.querySelector(".cite-what").textContent = button.dataset.what || c.what;
    var own = styles[W.cite_style] ? W.cite_style : "chicago";
    dialog.querySelector("#cite-plain").value = styles[own](c);
    dialog.querySelector("#cite-other").value = styles[own === "gost" ? "chicago" : "gost"](c);
    dialog.querySelector("#cite-bibtex").value = bibtex(c);
    dialog.querySelector("#cite-ris").value = ris(c);
    dialog.querySelector("#cite-csl").value = csl(c);
    dialog.querySelector(".cite-status").textContent = "";
    close();
    dialog.showModal();
  }

  function copy(button) {
    var area = document.getElementById(button.dataset.copy);
    var status = dialog.querySelector(".cite-status");
    function done() {
      status.textContent = w("copied");
      button.classList.add("copied");
      setTimeout(function () { button.classList.remove("copied"); }, 1500);
    }
    function fallback() {
      area.select();
      try { if (document.execCommand("copy")) done(); } catch (e) { /* the text stays selected */ }
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(area.value).then(done, fallback);
    } else {
      fallback();
    }
  }

  if (dialog && typeof dialog.showModal === "function") {
    article.querySelectorAll("button.cite-button").forEach(function (b) {
      b.hidden = false;
      b.addEventListener("click", function () { showCite(b); });
    });
    dialog.querySelector(".cite-close").addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("click", function (ev) {
      var r = dialog.getBoundingClientRect();  // the backdrop is the dialog itself, outside its box
      if (ev.target === dialog && (ev.clientX < r.left || ev.clientX > r.right ||
                                   ev.clientY < r.top || ev.clientY > r.bottom)) dialog.close();
      var b = ev.target.closest(".copy-button");
      if (b) copy(b);
    });
    dialog.addEventListener("close", function () { if (opener) opener.focus(); });
    citeLines();
  }

  /* ---- verse: a range of lines cited from their numbers (a click picks a line, shift+click the
     last of a range); the button to cite it stands at the range's last line ---------------------- */

  function citeLines() {
    var button = article.querySelector(".cite-range");
    var lines = Array.prototype.slice.call(article.querySelectorAll(".l[data-n]"));
    if (!button || !lines.length) return;
    var first = -1, last = -1;
    function pick(i, extend) {
      if (extend && first >= 0) { last = i; } else { first = last = i; }
      var a = Math.min(first, last), b = Math.max(first, last);
      lines.forEach(function (l, k) { l.classList.toggle("l-selected", k >= a && k <= b); });
      var range = lines[a].dataset.n + (b > a ? "\u2013" + lines[b].dataset.n : "");
      button.dataset.cite = lines[a].id;
      button.dataset.lines = range;
      button.textContent = w("cite_lines", range);
      lines[b].appendChild(button);
      button.hidden = false;
    }
    lines.forEach(function (l, i) {
      var number = l.querySelector(".l-n");
      if (!number) return;
      number.addEventListener("click", function (ev) {
        if (ev.shiftKey) ev.preventDefault();  // shift+click would open the link in a new window
        pick(i, ev.shiftKey);
      });
    });
    button.addEventListener("click", function () { showCite(button); });
  }

  /* ---- page images beside the text: with page breaks whose image is in the project (`.pb[data-facs]`),
     a toggle shows the image of the page the reader is at (the page break nearest above the top of
     the window), changing as the reader scrolls; without this script the page breaks' links stay ---- */
  (function () {
    var breaks = [].slice.call(article.querySelectorAll(".tei-text .pb:not(.cb):not(.pb-witness)"));
    if (!breaks.some(function (b) { return b.dataset.facs; })) return;
    var actions = article.querySelector(".text-actions");
    var button = el("button", "md-button facs-toggle", w("facs_view"));
    button.type = "button";
    button.setAttribute("aria-pressed", "false");
    button.setAttribute("aria-controls", "facs-view");
    var view = el("aside", "facs-view");
    view.id = "facs-view";
    view.setAttribute("aria-label", w("facs_view"));
    view.hidden = true;
    var caption = el("p", "facs-caption");
    var frame = link("#", "", "facs-link");
    var img = el("img", "facs-image");
    img.decoding = "async";
    frame.appendChild(img);
    var none = el("p", "facs-none", w("facs_none"));
    view.append(caption, frame, none);
    (actions || article).appendChild(button);
    var tools = article.querySelector(".text-tools");
    article.insertBefore(view, tools ? tools.nextSibling : article.firstChild);
    var shown = null, queued = false;

    // the page the reader is at: the last page break above the line under the site's header
    function currentBreak() {
      var header = document.querySelector(".md-header");
      var line = (header ? Math.max(0, header.getBoundingClientRect().bottom) : 0) + 8;
      var at = breaks[0];
      for (var i = 0; i < breaks.length; i++) {
        if (breaks[i].getBoundingClientRect().top <= line) at = breaks[i]; else break;
      }
      return at;
    }
    function update() {
      queued = false;
      if (view.hidden) return;
      var b = currentBreak();
      if (b === shown) return;
      shown = b;
      var n = b.dataset.n || "";
      caption.textContent = n ? w("facs_page", n) : "";
      view.dataset.page = n;
      if (b.dataset.facs) {
        img.src = b.dataset.facs;
        img.alt = n ? w("facs_page", n) : w("facs_view");
        frame.href = b.dataset.facs;
        frame.hidden = false;
        none.hidden = true;
      } else {
        img.removeAttribute("src");
        frame.hidden = true;
        none.hidden = false;
      }
    }
    function queue() {
      if (!queued) { queued = true; requestAnimationFrame(update); }
    }
    function set(on) {
      view.hidden = !on;
      article.classList.toggle("facs-on", on);
      button.setAttribute("aria-pressed", on ? "true" : "false");
      shown = null;
      update();
      try { localStorage.setItem("teisite-facs", on ? "1" : ""); } catch (e) { /* private mode */ }
    }
    button.addEventListener("click", function () { set(view.hidden); });
    addEventListener("scroll", queue, {passive: true});
    addEventListener("resize", queue);
    var remembered = "";
    try { remembered = localStorage.getItem("teisite-facs"); } catch (e) { /* private mode */ }
    if (remembered) set(true);
  })();
})();

/* the list of letters: a column header sorts the rows by it (dates by their ISO value) */
(function () {
  "use strict";
  document.querySelectorAll("table[data-sortable]").forEach(function (table) {
    var heads = table.querySelectorAll("thead th");
    heads.forEach(function (th, col) {
      var button = document.createElement("button");
      button.type = "button";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () {
        var down = th.getAttribute("aria-sort") === "ascending";
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", down ? "descending" : "ascending");
        var body = table.tBodies[0], rows = [].slice.call(body.rows);
        function key(r) { var c = r.cells[col]; return c.dataset.sort !== undefined ? c.dataset.sort : c.textContent.trim(); }
        rows.sort(function (a, b) { var x = key(a), y = key(b); return (x < y ? -1 : x > y ? 1 : 0) * (down ? -1 : 1); });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
})();

/* the map of places: zoom and pan by changing the SVG's viewBox, with the mouse (wheel, drag),
   touch (drag, pinch), the keyboard (+ − arrows 0, on the focused map) and the buttons; a switch
   shows the modern borders. Without JavaScript the map stays whole and the list beside it serves. */
(function () {
  "use strict";
  document.querySelectorAll("[data-map]").forEach(function (fig) {
    var svg = fig.querySelector(".map-svg"), frame = fig.querySelector(".map-frame");
    var full = fig.dataset.view.split(" ").map(Number);
    var start = (fig.dataset.start || fig.dataset.view).split(" ").map(Number), v = start.slice();
    var controls = fig.querySelector(".map-controls");
    function apply() {
      if (v[2] >= full[2]) v = full.slice();
      svg.setAttribute("viewBox", v.join(" "));
      // markers and labels keep their size on screen whatever the zoom: sized in map units per pixel
      var px = v[2] / (svg.clientWidth || 1);
      fig.querySelectorAll(".map-mark").forEach(function (m) { m.setAttribute("transform", "scale(" + px + ")"); });
      fig.querySelectorAll(".map-label").forEach(function (l) { l.style.fontSize = (14 * px) + "px"; });
    }
    function zoom(f, cx, cy) {  // f > 1 zooms in, about the point (cx, cy) in map units
      var w = Math.min(full[2], Math.max(full[2] / 40, v[2] / f)), h = w * v[3] / v[2];
      if (cx === undefined) { cx = v[0] + v[2] / 2; cy = v[1] + v[3] / 2; }
      v = [cx - (cx - v[0]) * w / v[2], cy - (cy - v[1]) * h / v[3], w, h];
      apply();
    }
    function pan(dx, dy) { v[0] += dx; v[1] += dy; apply(); }
    function toMap(clientX, clientY) {
      var r = svg.getBoundingClientRect(), s = Math.max(v[2] / r.width, v[3] / r.height);
      return [v[0] + (clientX - r.left - (r.width - v[2] / s) / 2) * s,
              v[1] + (clientY - r.top - (r.height - v[3] / s) / 2) * s, s];
    }
    frame.addEventListener("wheel", function (ev) {
      ev.preventDefault();
      var p = toMap(ev.clientX, ev.clientY);
      zoom(ev.deltaY < 0 ? 1.25 : 0.8, p[0], p[1]);
    }, { passive: false });
    var pointers = {}, moved = 0;
    frame.addEventListener("pointerdown", function (ev) {
      pointers[ev.pointerId] = [ev.clientX, ev.clientY];
      moved = 0;
    });
    frame.addEventListener("pointermove", function (ev) {
      var last = pointers[ev.pointerId];
      if (!last) return;
      var ids = Object.keys(pointers);
      if (ids.length === 2) {  // pinch
        var other = pointers[ids[0] == ev.pointerId ? ids[1] : ids[0]];
        var before = Math.hypot(last[0] - other[0], last[1] - other[1]);
        var after = Math.hypot(ev.clientX - other[0], ev.clientY - other[1]);
        var mid = toMap((ev.clientX + other[0]) / 2, (ev.clientY + other[1]) / 2);
        if (before > 0) zoom(after / before, mid[0], mid[1]);
      } else {
        var s = toMap(0, 0)[2];
        moved += Math.abs(ev.clientX - last[0]) + Math.abs(ev.clientY - last[1]);
        if (moved > 3 && !frame.hasPointerCapture(ev.pointerId)) frame.setPointerCapture(ev.pointerId);
        pan((last[0] - ev.clientX) * s, (last[1] - ev.clientY) * s);
      }
      pointers[ev.pointerId] = [ev.clientX, ev.clientY];
    });
    function up(ev) { delete pointers[ev.pointerId]; }
    frame.addEventListener("pointerup", up);
    frame.addEventListener("pointercancel", up);
    // a drag is not a click on the marker it ends on
    frame.addEventListener("click", function (ev) { if (moved > 3) { ev.preventDefault(); moved = 0; } }, true);
    frame.addEventListener("keydown", function (ev) {
      var step = v[2] / 8, keys = {
        "+": function () { zoom(1.25); }, "=": function () { zoom(1.25); }, "-": function () { zoom(0.8); },
        "0": function () { v = start.slice(); apply(); },
        ArrowLeft: function () { pan(-step, 0); }, ArrowRight: function () { pan(step, 0); },
        ArrowUp: function () { pan(0, -step); }, ArrowDown: function () { pan(0, step); }
      };
      if (keys[ev.key]) { ev.preventDefault(); keys[ev.key](); }
    });
    controls.querySelectorAll("[data-zoom]").forEach(function (b) {
      b.addEventListener("click", function () {
        if (b.dataset.zoom === "reset") { v = full.slice(); apply(); } else zoom(b.dataset.zoom === "in" ? 1.5 : 1 / 1.5);
      });
    });
    var borders = controls.querySelector("[data-borders]");
    borders.addEventListener("change", function () { fig.classList.toggle("show-borders", borders.checked); });
    controls.hidden = false;
    addEventListener("resize", apply);
    apply();
  });
})();

// A chronology over several pages: a date's link names the first page (chronology/#doc--anchor);
// a row that is not on this page is on the page its document's map names (chronology/at/doc.json;
// a document's file name may itself hold "--", so each cut is tried in turn).
(function () {
  var table = document.querySelector("table.chronology[data-at]");
  var id = decodeURIComponent(location.hash.slice(1));
  if (!table || !id || document.getElementById(id)) return;
  var base = table.getAttribute("data-at");
  function look(cut) {
    if (cut < 0) return;
    fetch(base + "at/" + encodeURIComponent(id.slice(0, cut)) + ".json")
      .then(function (r) { return r.ok ? r.json() : null; })
      .catch(function () { return null; })
      .then(function (pages) {
        var n = pages && pages[id.slice(cut + 2)];
        if (n) location.replace(base + (n > 1 ? n + "/" : "") + "#" + encodeURIComponent(id));
        else look(id.indexOf("--", cut + 2));
      });
  }
  look(id.indexOf("--"));
})();

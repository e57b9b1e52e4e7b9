/* 유어스 search: queries the static index under search/ (site_builder/search). Nothing is fetched before the
   reader types; then only the manifest (asked for at the first keystroke, while the debounce waits) and the
   shards of the looked-up keys. The query analysis mirrors site_builder/search/analysis.py; its settings
   come from the manifest so both sides stay in step. Postings are decoded once per key into typed arrays
   (doc numbers ascending) and combined by merging, so a query over 10,000 articles scores in a few ms.
   Over 400 lines on purpose: one self-contained script, no build step, one request before the first search. */
(function () {
  "use strict";

  var HANGUL = /[\uac00-\ud7a3]/;
  var TOKEN = /[\uac00-\ud7a3]+|[a-z0-9]+/g;
  var PREVIEW = 5;
  var PAGE = 10;   // results per page: each brings its card and its text (the snippet), about 7 kB
  var DEBOUNCE_MS = 150;  // typing: search when the keys pause this long
  var COMMIT_MS = 30;     // a composition ended (or a paste): search unless the next syllable's starts at once
  var cache = new Map();
  var root = null;
  var manifest = null;
  var suffixes = null;

  function siteRoot() {
    if (root) return root;
    var holder = document.querySelector("[data-sb-root]");
    root = new URL(holder ? holder.getAttribute("data-sb-root") : "./", location.href).href;
    return root;
  }

  function fetchJSON(path) {
    if (!cache.has(path)) {
      cache.set(path, fetch(siteRoot() + "search/" + path).then(function (r) {
        if (r.status === 404) return null;
        if (!r.ok) throw new Error("HTTP " + r.status);
        return path.slice(-4) === ".txt" ? r.text() : r.json();
      }));
    }
    return cache.get(path);
  }

  var manifestLoading = null;
  function loadManifest() {
    if (manifestLoading) return manifestLoading;
    manifestLoading = fetchJSON("manifest.json").then(function (m) {
      manifest = m;
      suffixes = {};
      m.analysis.suffixes.forEach(function (s) { suffixes[s] = true; });
      return m;
    });
    manifestLoading.catch(function () { manifestLoading = null; cache.delete("manifest.json"); });
    return manifestLoading;
  }

  // -- analysis (same rules as analysis.py) -----------------------------------------------------
  var CRC_TABLE = (function () {
    var table = new Uint32Array(256);
    for (var n = 0; n < 256; n++) {
      var c = n;
      for (var k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
    return table;
  })();

  // CRC-32 of the UTF-8 bytes, as zlib.crc32 in analysis.shard_hash
  function shardHash(text) {
    var bytes = new TextEncoder().encode(text);
    var c = 0xffffffff;
    for (var i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  }

  function normalize(text) {
    return text.normalize("NFKC").toLowerCase().replace(/(\d),(?=\d{3})/g, "$1");
  }

  function stripSuffixes(word) {
    var chars = Array.from(word);
    for (var pass = 0; pass < 2; pass++) {
      var stripped = false;
      for (var size = 5; size >= 1; size--) {
        if (chars.length - size >= 2 && suffixes[chars.slice(-size).join("")]) {
          chars = chars.slice(0, -size);
          stripped = true;
          break;
        }
      }
      if (!stripped) break;
    }
    return chars.join("");
  }

  function analyse(query) {
    var words = [];
    var text = normalize(query);
    var match;
    var end = -1;
    TOKEN.lastIndex = 0;
    while ((match = TOKEN.exec(text))) {
      var token = match[0];
      var joined = end >= 0 && match.index > end && !text.slice(end, match.index).replace(/[ \t\u00a0]/g, "");
      end = match.index + token.length;
      if (HANGUL.test(token[0])) {
        var stem = stripSuffixes(token);
        words.push({ text: token, stem: stem, hangul: true, joined: joined, bare: stem === token });
      } else if (token.length >= 2 || /^\d+$/.test(token)) {
        words.push({ text: token, stem: token, hangul: false, joined: joined, bare: false });
      }
    }
    return words;
  }

  // Whether the query has a whole syllable or a Latin letter or digit (not only jamo being composed).
  function hasWords(query) {
    TOKEN.lastIndex = 0;
    var found = TOKEN.test(normalize(query));
    TOKEN.lastIndex = 0;
    return found;
  }

  function keysOf(stem, hangul) {
    var max = manifest.analysis.key_max;
    var chars = Array.from(stem);
    if (!hangul || chars.length <= max) return [stem];
    var keys = [];
    for (var i = 0; i + max <= chars.length; i++) keys.push(chars.slice(i, i + max).join(""));
    return keys;
  }

  // -- index access ---------------------------------------------------------------------------
  // A posting list: {docs: Int32Array ascending, strong: Uint8Array (1: in a strong field)}.
  var EMPTY = { docs: new Int32Array(0), strong: new Uint8Array(0) };
  var decoded = new Map();

  function postings(key) {
    if (decoded.has(key)) return Promise.resolve(decoded.get(key));
    var shard = shardHash(key) & (manifest.shards - 1);
    return fetchJSON("k/" + shard + ".json").then(function (entries) {
      var values = entries && entries[key];
      if (!values) return EMPTY;
      var docs = new Int32Array(values.length), strong = new Uint8Array(values.length);
      var doc = 0;
      for (var i = 0; i < values.length; i++) {
        doc += values[i] >> 1;
        docs[i] = doc;
        strong[i] = values[i] & 1;
      }
      var list = { docs: docs, strong: strong };
      decoded.set(key, list);
      return list;
    });
  }

  // Docs in every list, strong when strong in any (merging from the shortest list).
  function intersect(lists) {
    if (!lists.length) return EMPTY;
    if (lists.length === 1) return lists[0];
    lists = lists.slice().sort(function (a, b) { return a.docs.length - b.docs.length; });
    var base = lists[0], at = lists.map(function () { return 0; });
    var docs = new Int32Array(base.docs.length), strong = new Uint8Array(base.docs.length), n = 0;
    outer: for (var i = 0; i < base.docs.length; i++) {
      var doc = base.docs[i], s = base.strong[i];
      for (var j = 1; j < lists.length; j++) {
        var other = lists[j].docs, p = at[j];
        while (p < other.length && other[p] < doc) p++;
        at[j] = p;
        if (p === other.length) break outer;
        if (other[p] !== doc) continue outer;
        s |= lists[j].strong[p];
      }
      docs[n] = doc; strong[n] = s; n++;
    }
    return { docs: docs.subarray(0, n), strong: strong.subarray(0, n) };
  }

  // Docs in any list, strong when strong in any.
  function union(lists) {
    var seen = new Map();
    lists.forEach(function (l) {
      for (var i = 0; i < l.docs.length; i++) seen.set(l.docs[i], (seen.get(l.docs[i]) || 0) | l.strong[i]);
    });
    var docs = Int32Array.from(seen.keys()).sort(), strong = new Uint8Array(docs.length);
    for (var i = 0; i < docs.length; i++) strong[i] = seen.get(docs[i]);
    return { docs: docs, strong: strong };
  }

  function docsOfStem(stem, hangul) {
    return Promise.all(keysOf(stem, hangul).map(postings)).then(intersect);
  }

  function deletions(word) {
    var chars = Array.from(word);
    var out = [];
    for (var i = 0; i < chars.length; i++) out.push(chars.slice(0, i).concat(chars.slice(i + 1)).join(""));
    return out;
  }

  function withinOneEdit(a, b) {
    a = Array.from(a); b = Array.from(b);
    if (Math.abs(a.length - b.length) > 1) return false;
    var i = 0, j = 0, edits = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { i++; j++; continue; }
      if (++edits > 1) return false;
      if (a.length > b.length) i++;
      else if (b.length > a.length) j++;
      else { i++; j++; }
    }
    return edits + (a.length - i) + (b.length - j) <= 1;
  }

  // A word of three syllables or more with no match: the indexed stems one syllable edit away.
  function corrections(stem) {
    var variants = [stem].concat(deletions(stem));
    return Promise.all(variants.map(function (v) {
      return fetchJSON("t/" + (shardHash(v) & (manifest.typo_shards - 1)) + ".json").then(function (e) {
        return (e && e[v]) || [];
      });
    })).then(function (lists) {
      var seen = {};
      var found = [];
      lists.forEach(function (list) {
        list.forEach(function (s) {
          if (!seen[s] && s !== stem && withinOneEdit(s, stem)) { seen[s] = true; found.push(s); }
        });
      });
      // a syllable typed wrong (same length) is likelier than one missing or extra: prefer those
      var length = Array.from(stem).length;
      var same = found.filter(function (s) { return Array.from(s).length === length; });
      return same.length ? same : found;
    });
  }

  function docsOfWord(word) {
    return docsOfStem(word.stem, word.hangul).then(function (docs) {
      if (docs.docs.length || !word.hangul || Array.from(word.stem).length < 3) return { docs: docs, used: null };
      return corrections(word.stem).then(function (stems) {
        return Promise.all(stems.map(function (s) { return docsOfStem(s, true); })).then(function (lists) {
          var best = null, bestSize = 0;
          lists.forEach(function (l, i) { if (l.docs.length > bestSize) { best = stems[i]; bestSize = l.docs.length; } });
          return { docs: union(lists), used: best };
        });
      });
    });
  }

  // -- the search -----------------------------------------------------------------------------
  function search(query, filters) {
    var words = [];
    if (!hasWords(query)) return Promise.resolve({ words: words, hits: [], corrected: [] });
    return (manifest ? Promise.resolve(manifest) : loadManifest()).then(function () {
      words = analyse(query);  // needs the manifest's suffix list
      if (!words.length) return null;
      var phrases = [];
      for (var i = 1; i < words.length; i++) {
        var a = words[i - 1], b = words[i];
        if (a.hangul && b.hangul && b.joined && a.bare &&
            Array.from(a.stem + b.stem).length <= manifest.analysis.key_max) {
          phrases.push(postings(a.stem + b.stem));
        }
      }
      return Promise.all([Promise.all(words.map(docsOfWord)), Promise.all(phrases),
                          needsFacets(filters) ? fetchJSON("facets.json") : null]);
    }).then(function (parts) {
      if (!parts) return { words: words, hits: [], corrected: [] };
      var perWord = parts[0], phraseLists = parts[1], facets = parts[2];
      var corrected = [];
      perWord.forEach(function (r, i) { if (r.used) corrected.push([words[i].text, r.used]); });
      var lists = perWord.map(function (r) { return r.docs; });
      return { words: words, hits: rank(lists, phraseLists, facets, filters), corrected: corrected };
    });
  }

  // The docs in every word's list, best first: 3 points per word found in a strong field, 1 per word in the
  // body, 5 per adjacent phrase; ties and "newest" order by doc number (= date) descending.
  function rank(lists, phraseLists, facets, filters) {
    var order = lists.map(function (_, i) { return i; }).sort(function (a, b) {
      return lists[a].docs.length - lists[b].docs.length;
    });
    var base = lists[order[0]], at = lists.map(function () { return 0; }), atPhrase = phraseLists.map(function () { return 0; });
    var keys = new Float64Array(base.docs.length), n = 0;
    var newest = filters && filters.order === "newest";
    outer: for (var i = 0; i < base.docs.length; i++) {
      var doc = base.docs[i], score = base.strong[i] ? 3 : 1;
      for (var k = 1; k < order.length; k++) {
        var j = order[k], other = lists[j].docs, p = at[j];
        while (p < other.length && other[p] < doc) p++;
        at[j] = p;
        if (p === other.length) break outer;
        if (other[p] !== doc) continue outer;
        score += lists[j].strong[p] ? 3 : 1;
      }
      for (var q = 0; q < phraseLists.length; q++) {
        var phrase = phraseLists[q].docs, r = atPhrase[q];
        while (r < phrase.length && phrase[r] < doc) r++;
        atPhrase[q] = r;
        if (r < phrase.length && phrase[r] === doc) score += 5;
      }
      if (facets && !passes(facets, doc, filters)) continue;
      keys[n++] = newest ? doc : score * 16777216 + doc;   // docs < 2^24: exact in a double
    }
    keys = keys.subarray(0, n).sort();
    var hits = new Array(n);
    for (var h = 0; h < n; h++) hits[h] = keys[n - 1 - h] % 16777216;
    return hits;
  }

  function needsFacets(filters) {
    if (!filters) return false;
    return ["kind", "agenda", "series", "district", "author", "from", "to"].some(function (k) { return filters[k]; });
  }

  function labelIndex(name, id) {
    var rows = manifest.filters[name] || [];
    for (var i = 0; i < rows.length; i++) if (rows[i][0] === id) return i;
    return -2;
  }

  function passes(facets, doc, f) {
    if (f.kind && facets.kind[doc] !== labelIndex("kind", f.kind)) return false;
    if (f.series && facets.series[doc] !== labelIndex("series", f.series)) return false;
    if (f.agenda && facets.agenda[doc].indexOf(labelIndex("agenda", f.agenda)) < 0) return false;
    if (f.district && facets.district[doc].indexOf(labelIndex("district", f.district)) < 0) return false;
    if (f.author && facets.author[doc].indexOf(labelIndex("author", f.author)) < 0) return false;
    if (f.from && facets.year[doc] < +f.from) return false;
    if (f.to && facets.year[doc] > +f.to) return false;
    return true;
  }

  function cards(docs) {
    var chunk = manifest.doc_chunk;
    return Promise.all(docs.map(function (doc) {
      return fetchJSON("d/" + Math.floor(doc / chunk) + ".json").then(function (rows) {
        var r = rows[doc % chunk];
        return { doc: doc, title: r[0], url: r[1], kind: r[2], iso: r[3], date: r[4], byline: r[5], summary: r[6] };
      });
    }));
  }

  // -- rendering ------------------------------------------------------------------------------
  function escapeHTML(text) {
    return text.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function terms(result) {
    var list = result.words.map(function (w) { return w.stem; });
    result.corrected.forEach(function (c) { list.push(c[1]); });
    return list.filter(function (t) { return t.length > 0; }).sort(function (a, b) { return b.length - a.length; });
  }

  function highlight(text, list) {
    if (!list.length) return escapeHTML(text);
    var pattern = new RegExp(list.map(function (t) {
      return t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    }).join("|"), "gi");
    var out = "", last = 0, m;
    while ((m = pattern.exec(text))) {
      out += escapeHTML(text.slice(last, m.index)) + "<mark>" + escapeHTML(m[0]) + "</mark>";
      last = m.index + m[0].length;
      if (!m[0].length) pattern.lastIndex++;
    }
    return out + escapeHTML(text.slice(last));
  }

  function snippet(text, list) {
    var lower = text.toLowerCase();
    var at = -1;
    for (var i = 0; i < list.length && at < 0; i++) at = lower.indexOf(list[i].toLowerCase());
    if (at < 0) return "";
    var start = Math.max(0, at - 40);
    var piece = text.slice(start, at + 80).replace(/\s+/g, " ");
    return (start > 0 ? "…" : "") + piece + (at + 80 < text.length ? "…" : "");
  }

  function resultHTML(card, list) {
    return '<li class="sb-search__hit"><a class="sb-search__title" href="' + escapeHTML(siteRoot() + card.url) + '">' +
      highlight(card.title, list) + "</a>" +
      '<p class="sb-search__meta"><span class="sb-badge">' + escapeHTML(card.kind) + "</span> " +
      '<time datetime="' + escapeHTML(card.iso) + '">' + escapeHTML(card.date) + "</time>" +
      (card.byline ? " · " + escapeHTML(card.byline) : "") + "</p>" +
      '<p class="sb-search__snippet">' + highlight(card.summary, list) + "</p></li>";
  }

  // The list items of some hits, from their result cards (the summary stands in for the snippet).
  function resultsHTML(docs, result) {
    var list = terms(result);
    return cards(docs).then(function (found) {
      return found.map(function (card) { return resultHTML(card, list); });
    });
  }

  function josaRo(word) {
    var code = word.charCodeAt(word.length - 1) - 0xac00;
    if (code < 0 || code > 11171) return word + "(으)로";
    var final = code % 28;
    return word + (final === 0 || final === 8 ? "로" : "으로");
  }

  function statusText(query, result) {
    var text = "‘" + query.trim() + "’ 검색 결과 " + result.hits.length.toLocaleString("ko-KR") + "건";
    if (result.corrected.length) {
      text += " (" + result.corrected.map(function (c) {
        return "‘" + c[0] + "’ 대신 ‘" + josaRo(c[1]) + "’";
      }).join(", ") + " 찾았습니다)";
    }
    if (!result.hits.length) text += ". 다른 낱말로 찾아보세요.";
    return text;
  }

  // Runs a search when no syllable is being composed (Korean IME): COMMIT_MS after a composition ends (the
  // next syllable's compositionstart cancels it) or a paste, DEBOUNCE_MS after typing. The manifest is
  // asked for at the first keystroke (composing too), so that it has come by the time the search runs.
  function whenTyped(input, run) {
    var composing = false, committed = false, timer = 0;
    function warm() { if (!manifest) loadManifest().catch(function () {}); }
    input.addEventListener("compositionstart", function () { composing = true; clearTimeout(timer); warm(); });
    input.addEventListener("compositionend", function () {
      composing = false; committed = true;   // an input event may follow in the same task (Firefox)
      setTimeout(function () { committed = false; }, 0);
      schedule(COMMIT_MS);
    });
    input.addEventListener("input", function (e) {
      warm();
      if (e.isComposing || composing || committed) return;
      if (/^insertFrom|^insertReplacement/.test(e.inputType || "")) return schedule(COMMIT_MS);
      schedule(DEBOUNCE_MS);
    });
    function schedule(delay) {
      clearTimeout(timer);
      timer = setTimeout(run, delay);
    }
  }

  // -- the header box: a preview of the best results ---------------------------------------------
  function setUpBox(form) {
    var input = form.querySelector("input[name=q]");
    var popup = form.querySelector(".sb-search-box__popup");
    var list = popup.querySelector("ol");
    var status = form.querySelector(".sb-search-box__status");
    var more = popup.querySelector(".sb-search-box__more");
    var serial = 0;
    function close() { popup.hidden = true; }
    whenTyped(input, function () {
      var query = input.value, mine = ++serial;
      if (!hasWords(query)) { close(); status.textContent = ""; return; }
      search(query, null).then(function (result) {
        if (mine !== serial) return null;
        return resultsHTML(result.hits.slice(0, PREVIEW), result).then(function (items) {
          if (mine !== serial) return;
          list.innerHTML = items.join("");
          status.textContent = statusText(query, result);
          more.href = siteRoot() + "search/?q=" + encodeURIComponent(query.trim());
          more.textContent = "검색 결과 모두 보기 (" + result.hits.length.toLocaleString("ko-KR") + "건)";
          more.hidden = result.hits.length === 0;
          popup.hidden = false;
        });
      }).catch(function () { status.textContent = "검색 색인을 불러오지 못했습니다. 잠시 뒤 다시 해 보세요."; });
    });
    form.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && !popup.hidden) { close(); input.focus(); e.preventDefault(); }
      if (e.key === "ArrowDown" && document.activeElement === input && !popup.hidden) {
        var first = popup.querySelector("a");
        if (first) { first.focus(); e.preventDefault(); }
      }
    });
    document.addEventListener("click", function (e) { if (!form.contains(e.target)) close(); });
  }

  // -- the search page: every result, filters, order, a shareable ?q= URL --------------------------
  function setUpPage(form) {
    var input = form.querySelector("input[name=q]");
    var status = document.getElementById("sb-search-status");
    var list = document.getElementById("sb-search-results");
    var moreButton = document.getElementById("sb-search-more");
    var serial = 0, shown = 0, current = null;
    var params = new URLSearchParams(location.search);
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name && params.has(el.name)) el.value = params.get(el.name);
    });
    function filters() {
      var f = {};
      ["kind", "agenda", "series", "district", "author", "from", "to", "order"].forEach(function (name) {
        var el = form.elements[name];
        if (el && el.value) f[name] = el.value;
      });
      return f;
    }
    function updateURL() {
      var p = new URLSearchParams();
      Array.prototype.forEach.call(form.elements, function (el) {
        if (el.name && el.value && !(el.name === "order" && el.value === "relevance")) p.set(el.name, el.value);
      });
      history.replaceState(null, "", location.pathname + (p.toString() ? "?" + p.toString() : ""));
    }
    // Shows the next page of results as soon as their cards have come, then puts each snippet (the text
    // around the first match) in place of the summary as the texts come: aria-busy until all have.
    // first: the query of a new search, whose first page is shown with its status line at once.
    function showMore(first) {
      var mine = serial, result = current;
      var slice = result.hits.slice(shown, shown + PAGE);
      var shownItems = resultsHTML(slice, result);   // asks for the cards before the texts
      var texts = slice.map(function (doc) { return fetchJSON("x/" + doc + ".txt"); });
      return shownItems.then(function (items) {
        if (mine !== serial) return;
        if (first) { list.innerHTML = ""; status.textContent = statusText(first, result); }
        var start = list.children.length, words = terms(result);
        list.insertAdjacentHTML("beforeend", items.join(""));
        shown += slice.length;
        moreButton.hidden = shown >= current.hits.length;
        list.setAttribute("aria-busy", "true");
        Promise.all(texts.map(function (text, i) {
          return text.then(function (body) {
            var snip = body && mine === serial ? snippet(body, words) : "";
            var item = list.children[start + i];
            if (snip && item) item.querySelector(".sb-search__snippet").innerHTML = highlight(snip, words);
          });
        })).catch(function () {}).then(function () { if (mine === serial) list.setAttribute("aria-busy", "false"); });
      });
    }
    function run() {
      var query = input.value, mine = ++serial;
      updateURL();
      if (!hasWords(query)) { list.innerHTML = ""; status.textContent = ""; moreButton.hidden = true; return; }
      status.textContent = "찾는 중…";
      search(query, filters()).then(function (result) {
        if (mine !== serial) return;
        current = result; shown = 0;
        return showMore(query);
      }).catch(function () { status.textContent = "검색 색인을 불러오지 못했습니다. 잠시 뒤 다시 해 보세요."; });
    }
    whenTyped(input, run);
    form.addEventListener("change", function (e) { if (e.target !== input) run(); });
    form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
    moreButton.addEventListener("click", function () {
      var before = shown;
      showMore().then(function () {
        var next = list.children[before] && list.children[before].querySelector("a");
        if (next) next.focus();
      });
    });
    if (input.value) run();
  }

  function start() {
    var page = document.getElementById("sb-search-form");
    if (page) setUpPage(page);
    Array.prototype.forEach.call(document.querySelectorAll(".sb-search-box"), setUpBox);
  }

  window.sbSearch = { analyse: analyse, search: search, shardHash: shardHash, stripSuffixes: stripSuffixes,
                      ready: function () { return manifest ? Promise.resolve(manifest) : loadManifest(); } };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

/* 유어스: keyboard safety, accessible card news, click-to-load video. No third-party requests. */
(function () {
  "use strict";
  // KWCAG 2.1.4 / WCAG 2.1.4: Material binds single-character shortcuts (s, f, /, p, n, ",", ".").
  // Swallow them before Material sees them, unless the user is typing in a field.
  var SHORTCUTS = { s: 1, S: 1, f: 1, F: 1, "/": 1, p: 1, P: 1, n: 1, N: 1, ",": 1, ".": 1 };
  function isTyping(el) {
    if (!el) return false;
    var tag = el.tagName;
    return el.isContentEditable || tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
  }
  function guard(event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (SHORTCUTS[event.key] && !isTyping(event.target)) {
      event.stopImmediatePropagation();
    }
  }
  window.addEventListener("keydown", guard, true);
  document.addEventListener("keydown", guard, true);

  function enhanceCards(root) {
    var slides = root.querySelectorAll(".sb-cards__slide");
    var controls = root.querySelector("[data-sb-cards-controls]");
    var status = root.querySelector("[data-sb-cards-status]");
    if (!slides.length || !controls) return;
    var current = 0;
    function show(index) {
      current = Math.max(0, Math.min(slides.length - 1, index));
      for (var i = 0; i < slides.length; i++) {
        slides[i].classList.toggle("is-current", i === current);
      }
      status.textContent = slides.length + "장 중 " + (current + 1) + "번째 카드";
      // A focused button that becomes disabled would drop focus to the page body: at the first or
      // last card, focus moves to the other button, which still has somewhere to go.
      var focused = document.activeElement;
      prev.disabled = current === 0;
      next.disabled = current === slides.length - 1;
      if (focused === next && next.disabled && !prev.disabled) prev.focus();
      if (focused === prev && prev.disabled && !next.disabled) next.focus();
    }
    var prev = controls.querySelector("[data-sb-prev]");
    var next = controls.querySelector("[data-sb-next]");
    prev.addEventListener("click", function () { show(current - 1); });
    next.addEventListener("click", function () { show(current + 1); });
    root.addEventListener("keydown", function (event) {
      if (event.key === "ArrowLeft") { show(current - 1); event.preventDefault(); }
      if (event.key === "ArrowRight") { show(current + 1); event.preventDefault(); }
    });
    controls.hidden = false;
    root.classList.add("is-enhanced");
    show(0);
  }

  function enhanceVideo(root) {
    var button = root.querySelector("[data-sb-embed-load]");
    if (!button) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var frame = document.createElement("iframe");
      frame.src = root.getAttribute("data-sb-embed");
      frame.title = root.getAttribute("data-sb-embed-title");
      frame.width = "720"; frame.height = "405";
      frame.setAttribute("allow", "encrypted-media; picture-in-picture");
      frame.setAttribute("allowfullscreen", "");
      root.replaceChildren(frame);
      frame.focus();
    });
  }

  // A table too wide even after reflow scrolls inside Material's wrapper: keyboard users must be
  // able to reach and scroll it (WCAG 2.1.1), so it becomes a focusable region named by its caption.
  function labelScrollingTables() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      if (scrolls && !wrap.hasAttribute("tabindex")) {
        var caption = wrap.querySelector("caption");
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", (caption ? caption.textContent.trim() + " " : "") + "(표, 옆으로 스크롤)");
      } else if (!scrolls && wrap.getAttribute("role") === "region") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }

  // Material's drawer and search toggles are checkboxes; a page restored from the back/forward
  // cache must not come back with the drawer or the search dialog open.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    ["__drawer", "__search"].forEach(function (id) {
      var toggle = document.getElementById(id);
      if (toggle && toggle.checked) toggle.click();
    });
  });

  // Material's header buttons for the phone menu (drawer) and for search are <label>s, which the
  // keyboard cannot reach; with the single-key shortcuts gone they would be mouse-only. They become
  // buttons that say whether they are open. Opening the menu moves focus into it; Escape closes it.
  function keyboardToggles() {
    var selector = '.md-header label.md-header__button[for="__drawer"], .md-header label.md-header__button[for="__search"]';
    document.querySelectorAll(selector).forEach(function (label) {
      var toggle = document.getElementById(label.htmlFor);
      if (!toggle || label.hasAttribute("tabindex")) return;
      var drawer = label.htmlFor === "__drawer";
      label.setAttribute("tabindex", "0");
      label.setAttribute("role", "button");
      label.setAttribute("aria-label", drawer ? "메뉴" : "검색");
      var sync = function () { label.setAttribute("aria-expanded", toggle.checked ? "true" : "false"); };
      sync();
      toggle.addEventListener("change", sync);
      label.addEventListener("click", function () { setTimeout(sync, 0); });
      label.addEventListener("keydown", function (event) {
        if (event.key !== "Enter" && event.key !== " ") return;
        event.preventDefault();
        event.stopPropagation();  // Material also clicks a focused label on Enter: one toggle, not two
        label.click();
        setTimeout(function () {
          sync();
          if (!toggle.checked) return;
          var target = drawer
            ? document.querySelector(".md-sidebar--primary a[href], .md-sidebar--primary [tabindex='0']")
            : document.querySelector(".md-search__input");
          if (target) target.focus();
        }, 0);
      });
      // Escape closes the open menu or search (Material closes search itself) and returns focus here.
      document.addEventListener("keydown", function (event) {
        if (event.key !== "Escape" || !toggle.checked) return;
        if (drawer) {
          toggle.checked = false;
          sync();
          label.focus();
          return;
        }
        setTimeout(function () {
          sync();
          if (!toggle.checked && label.offsetParent !== null) label.focus();
        }, 0);
      });
    });
  }

  // When the palette follows the system setting, Material leaves both palette radios unchecked, so
  // Tab lands on the first one, whose label is hidden in dark mode: an invisible focus. Check the
  // radio of the palette in use (no change event: nothing else changes).
  function checkCurrentPalette() {
    var scheme = document.body.getAttribute("data-md-color-scheme");
    var options = document.querySelectorAll("input.md-option");
    var checked = Array.prototype.some.call(options, function (o) { return o.checked; });
    if (checked || !scheme) return;
    Array.prototype.forEach.call(options, function (o) {
      if (o.getAttribute("data-md-color-scheme") === scheme) o.checked = true;
    });
  }

  function init() {
    keyboardToggles();
    checkCurrentPalette();
    document.querySelectorAll("[data-sb-cards]").forEach(enhanceCards);
    document.querySelectorAll("[data-sb-embed]").forEach(enhanceVideo);
    labelScrollingTables();
  }
  window.addEventListener("resize", labelScrollingTables);
  // Material wraps tables when its bundle mounts the page; document$ fires after that.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { setTimeout(init, 0); });
  } else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

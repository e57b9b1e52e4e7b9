/* 유어스: copy buttons of the publishing kit page. HTML and plain text on the clipboard
   (navigator.clipboard.write with a ClipboardItem); where that is refused or missing, the old way:
   select the rendered HTML (or the hidden textarea of plain text) and execCommand("copy"). */
(function () {
  "use strict";
  var status = document.querySelector("[data-sb-copy-status]");

  function say(text) {
    if (!status) return;
    status.textContent = "";
    // a new text node each time, so screen readers announce a repeated "복사했습니다" too
    window.setTimeout(function () { status.textContent = text; }, 30);
  }

  function fallback(source, plain, asHtml, button) {
    var selection = window.getSelection();
    var ok = false;
    try {
      if (asHtml) {
        var range = document.createRange();
        range.selectNodeContents(source);
        selection.removeAllRanges();
        selection.addRange(range);
        ok = document.execCommand("copy");
        selection.removeAllRanges();
      } else {
        plain.hidden = false;
        plain.classList.add("is-copying");
        plain.focus();
        plain.select();
        ok = document.execCommand("copy");
        plain.classList.remove("is-copying");
        plain.hidden = true;
      }
    } catch (error) {
      ok = false;
    }
    button.focus();
    return ok;
  }

  function copy(button) {
    var id = button.getAttribute("data-sb-copy");
    var source = document.getElementById(id);
    var plain = document.getElementById(id + "-text");
    if (!source || !plain) return;
    var asHtml = button.hasAttribute("data-sb-copy-html");
    var what = button.textContent.replace(/\s*복사$/, "");
    var text = plain.value;
    var done = function () { say(what + "을(를) 복사했습니다."); };
    var failed = function () {
      if (fallback(source, plain, asHtml, button)) done();
      else say("복사하지 못했습니다. 내용을 직접 선택해 복사해 주세요.");
    };
    if (navigator.clipboard && window.ClipboardItem && navigator.clipboard.write) {
      var parts = { "text/plain": new Blob([text], { type: "text/plain" }) };
      if (asHtml) parts["text/html"] = new Blob([source.innerHTML], { type: "text/html" });
      navigator.clipboard.write([new ClipboardItem(parts)]).then(done, failed);
    } else {
      failed();
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-sb-copy]") : null;
    if (button) copy(button);
  });
})();

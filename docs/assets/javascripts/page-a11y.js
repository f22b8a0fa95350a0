// Two things the theme leaves out, for keyboard and screen-reader users:
// - Material puts a small <nav> (the copy button) into every code block; several unnamed <nav>
//   landmarks on one page cannot be told apart. Each gets its own name.
// - A wide table or equation scrolls sideways on a phone; a region that scrolls must be
//   reachable with the keyboard, so each one that overflows gets into the tab order.
(function () {
  "use strict";
  var ko = document.documentElement.lang === "ko";
  function nameCodeNavs() {
    var blocks = Array.prototype.slice.call(document.querySelectorAll("pre"));
    document.querySelectorAll(".md-code__nav:not([aria-label])").forEach(function (nav) {
      nav.setAttribute("aria-label", (ko ? "코드 블록 " : "Code block ") + (blocks.indexOf(nav.closest("pre")) + 1));
    });
  }
  function focusScrollers() {
    var counts = { table: 0, equation: 0 };
    document.querySelectorAll(".md-typeset__scrollwrap, .md-typeset div.arithmatex").forEach(function (region) {
      var kind = region.classList.contains("md-typeset__scrollwrap") ? "table" : "equation";
      var number = ++counts[kind];
      if (region.scrollWidth > region.clientWidth + 1) {
        region.tabIndex = 0;
        region.setAttribute("role", "region");
        region.setAttribute("aria-label", ko ? (kind === "table" ? "표 " : "수식 ") + number + " (옆으로 넘겨 보기)"
                                              : (kind === "table" ? "Table " : "Equation ") + number + " (scrolls sideways)");
      } else if (region.hasAttribute("tabindex")) {
        ["tabindex", "role", "aria-label"].forEach(function (name) { region.removeAttribute(name); });
      }
    });
  }
  function update() { nameCodeNavs(); focusScrollers(); }
  var pending = null;
  function soon() { if (!pending) pending = setTimeout(function () { pending = null; update(); }, 50); }
  new MutationObserver(soon).observe(document.body || document.documentElement, { childList: true, subtree: true });
  window.addEventListener("resize", soon);
  window.addEventListener("load", update);
  update();
})();

// Two things the theme leaves out, for keyboard and screen-reader users:
// - Material puts a small <nav> (the copy button) into every code block; several unnamed <nav>
//   landmarks on one page cannot be told apart. Each gets its own name.
// - A wide table or equation scrolls sideways on a phone; a region that scrolls must be
//   reachable with the keyboard, so each one that overflows gets into the tab order. A table that
//   overflows also gets a visible hint under it and keeps its first column in view (extra.css:
//   .table-scrolls), so that no reader takes the columns they see for the whole table.
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
      var hint = region.previousElementSibling && region.previousElementSibling.classList.contains("table-scroll-hint")
        ? region.previousElementSibling : null;
      var overflows = region.scrollWidth > region.clientWidth + 1;
      if (kind === "table") {
        region.classList.toggle("table-scrolls", overflows);
        if (overflows && !hint) {
          hint = document.createElement("p");
          hint.className = "table-scroll-hint";
          hint.setAttribute("aria-hidden", "true"); // the region's own name says it already
          hint.textContent = ko ? "표를 옆으로 밀면 열이 더 있습니다 →" : "Swipe the table sideways for more columns →";
          region.before(hint); // above the table: read before the columns that are cut off
        } else if (!overflows && hint) {
          hint.remove();
        }
      }
      if (overflows) {
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
  // a font that arrives late (KaTeX's, on a slow phone) widens a table without changing the DOM
  if (document.fonts) document.fonts.addEventListener("loadingdone", soon);
  window.addEventListener("load", update);
  update();
})();

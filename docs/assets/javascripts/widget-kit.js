// What every widget of the site shares: its words in the page's language, a status line while
// it loads, loading only when the reader comes near, a list of the page's widgets that tests
// (and the browser console) can reach, and a point on a square map that the reader drags with
// a mouse, a finger or the arrow keys. hooks/scripts.py loads this file before any widget.
(function () {
  "use strict";

  // the page's language: "ko" on the Korean pages, "en" everywhere else
  function language() {
    return document.documentElement.lang === "ko" ? "ko" : "en";
  }

  // a new DOM node with an optional class and text: what every widget builds its controls with
  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // the site's root URL, from Material's page configuration
  function siteBase() {
    var config = document.getElementById("__config");
    var base = config ? JSON.parse(config.textContent).base : ".";
    return new URL(base + "/", window.location.href);
  }

  // run `start` once the element comes within 800 px of the viewport (readers who never
  // scroll that far never download the weights)
  function whenNear(node, start) {
    if (!("IntersectionObserver" in window)) { start(); return; }
    var observer = new IntersectionObserver(function (entries) {
      if (entries.some(function (e) { return e.isIntersecting; })) { observer.disconnect(); start(); }
    }, { rootMargin: "800px 0px" });
    observer.observe(node);
  }

  // run `start` once the page is parsed: at once if it already is (the widgets' scripts arrive
  // after the page has loaded), otherwise on DOMContentLoaded
  function whenParsed(start) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
    else start();
  }

  // Turn every element matching `widget.selector` into a widget, once the page is parsed:
  // - a status line (class `<name>__status`) says words.loading, or words.failed and why;
  // - widget.load(root) (a promise of the model, the data…) runs once, when the reader comes
  //   near, and then widget.build(root, loaded, words, lang) returns the widget's controls;
  // - window[widget.list] holds { element, load, instance } per widget: a test calls load()
  //   and gets the controls without scrolling.
  function mount(widget) {
    var list = window[widget.list] = window[widget.list] || [];
    whenParsed(function () {
      document.querySelectorAll(widget.selector).forEach(function (root) {
        var lang = language(), words = widget.words[lang];
        var status = element("p", widget.name + "__status", words.loading);
        root.appendChild(status);
        var started = null, entry = { element: root, load: load, instance: null };
        function load() {
          if (!started) {
            started = widget.load(root).then(function (loaded) {
              status.remove();
              entry.instance = widget.build(root, loaded, words, lang);
              return entry.instance;
            }).catch(function (error) { status.textContent = words.failed + " (" + error + ")"; throw error; });
          }
          return started;
        }
        whenNear(root, load);
        list.push(entry);
      });
    });
  }

  // A point on a square map drawn on `canvas`, in map units from −limit to limit (y upwards).
  // Dragging (mouse, touch, pen) puts it under the pointer; the arrow keys move it by
  // options.step (options.bigStep with Shift). options.current() gives the point now,
  // options.moveTo([x, y]) moves it; options.touched(), if given, runs first on every move.
  function pointOnMap(canvas, limit, options) {
    function touched() { if (options.touched) options.touched(); }
    function fromEvent(event) {
      var box = canvas.getBoundingClientRect();
      options.moveTo([((event.clientX - box.left) / box.width) * 2 * limit - limit,
                      limit - ((event.clientY - box.top) / box.height) * 2 * limit]);
    }
    canvas.addEventListener("pointerdown", function (event) {
      canvas.setPointerCapture(event.pointerId);
      touched();
      fromEvent(event);
      canvas.focus({ preventScroll: true }); // scrolling now would move the map under the finger
    });
    canvas.addEventListener("pointermove", function (event) {
      if (canvas.hasPointerCapture(event.pointerId)) fromEvent(event);
    });
    canvas.addEventListener("keydown", function (event) {
      var d = event.shiftKey ? options.bigStep : options.step;
      var moves = { ArrowLeft: [-d, 0], ArrowRight: [d, 0], ArrowUp: [0, d], ArrowDown: [0, -d] };
      if (!moves[event.key]) return;
      event.preventDefault();
      touched();
      var now = options.current();
      options.moveTo([now[0] + moves[event.key][0], now[1] + moves[event.key][1]]);
    });
  }

  // a labelled range input with its value shown beside it: { box, input, shown }
  function slider(className, label, min, max, step, value) {
    var box = element("label", className), input = element("input"), shown = element("output");
    input.type = "range"; input.min = min; input.max = max; input.step = step; input.value = value;
    box.append(element("span", "", label), input, shown);
    return { box: box, input: input, shown: shown };
  }

  // a straight arrow from pixel a to pixel b in the context's current colours and line width,
  // with a filled head `head` px long whose sides open `spread` radians from the shaft
  function arrow(context, a, b, head, spread) {
    var angle = Math.atan2(b[1] - a[1], b[0] - a[0]);
    context.beginPath(); context.moveTo(a[0], a[1]); context.lineTo(b[0], b[1]); context.stroke();
    if (head < 2) return; // too short to show a head
    context.beginPath(); context.moveTo(b[0], b[1]);
    context.lineTo(b[0] - head * Math.cos(angle - spread), b[1] - head * Math.sin(angle - spread));
    context.lineTo(b[0] - head * Math.cos(angle + spread), b[1] - head * Math.sin(angle + spread));
    context.fill();
  }

  // a seeded generator (mulberry32) of uniform numbers in [0, 1), and normal ones by Box–Muller:
  // the same seed gives the same numbers in every browser (the in-page trainer's worker uses it too)
  function random(seed) {
    var state = seed >>> 0, spare = null;
    function uniform() {
      state = (state + 0x6d2b79f5) >>> 0;
      var t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    }
    // r = √(−2 ln u), θ = 2πv: r·cos θ and r·sin θ are two independent N(0, 1) numbers
    function normal() {
      if (spare !== null) { var kept = spare; spare = null; return kept; }
      var r = Math.sqrt(-2 * Math.log(1 - uniform())), angle = 2 * Math.PI * uniform();
      spare = r * Math.sin(angle);
      return r * Math.cos(angle);
    }
    return { uniform: uniform, normal: normal };
  }

  // n points of N(0, scale² I), 2 coordinates each, the same for the same seed
  function seededNormal(seed, n, scale) {
    var rng = random(seed), out = new Float32Array(2 * n);
    for (var i = 0; i < 2 * n; i++) out[i] = scale * rng.normal();
    return out;
  }

  // self: the page's window, or a Web Worker's global scope (the worker uses only `random`)
  self.WidgetKit = { language: language, element: element, siteBase: siteBase, whenNear: whenNear,
                     whenParsed: whenParsed, mount: mount, pointOnMap: pointOnMap,
                     seededNormal: seededNormal, random: random, slider: slider, arrow: arrow };
})();

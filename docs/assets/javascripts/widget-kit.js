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

  // n points of N(0, scale² I), 2 coordinates each, the same for the same seed: mulberry32,
  // then Box–Muller
  function seededNormal(seed, n, scale) {
    var state = seed >>> 0;
    function uniform() {
      state = (state + 0x6d2b79f5) >>> 0;
      var t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    }
    var out = new Float32Array(2 * n);
    for (var i = 0; i < 2 * n; i += 2) {
      var r = Math.sqrt(-2 * Math.log(1 - uniform())), angle = 2 * Math.PI * uniform();
      out[i] = scale * r * Math.cos(angle);
      out[i + 1] = scale * r * Math.sin(angle);
    }
    return out;
  }

  window.WidgetKit = { language: language, element: element, siteBase: siteBase, whenNear: whenNear,
                       whenParsed: whenParsed, mount: mount, pointOnMap: pointOnMap,
                       seededNormal: seededNormal };
})();

// Small multilayer perceptrons in plain JavaScript, for the site's widgets. Reads the export
// format of generator/networks/export.py: a JSON description whose "layers" list gives each layer's
// size, activation and offsets into one gzip file of little-endian float16 values (weights
// row-major, shape out × in). Each layer computes y = activation(W x + b).
(function () {
  "use strict";

  // float16 (IEEE 754 half) -> float32
  function halfToFloat(bits) {
    var sign = bits & 0x8000 ? -1 : 1, exponent = (bits >> 10) & 0x1f, fraction = bits & 0x3ff;
    if (exponent === 0) return sign * Math.pow(2, -14) * (fraction / 1024);
    if (exponent === 31) return fraction ? NaN : sign * Infinity;
    return sign * Math.pow(2, exponent - 15) * (1 + fraction / 1024);
  }

  var ACTIVATIONS = {
    relu: function (v) { return v > 0 ? v : 0; },
    sigmoid: function (v) { return 1 / (1 + Math.exp(-v)); },
    silu: function (v) { return v / (1 + Math.exp(-v)); }, // v · sigmoid(v)
    none: function (v) { return v; },
  };

  // fetch the description and its weights; resolves with { description, layers, values, url }
  // (values: every weight as float32, for parts of an export that are not in "layers")
  async function load(url) {
    var description = await (await fetch(url)).json();
    var response = await fetch(new URL(description.weights, url));
    var stream = response.body.pipeThrough(new DecompressionStream("gzip"));
    var halves = new Uint16Array(await new Response(stream).arrayBuffer()); // little-endian hosts
    var values = new Float32Array(halves.length);
    for (var i = 0; i < halves.length; i++) values[i] = halfToFloat(halves[i]);
    var layers = description.layers.map(function (layer) {
      return { rows: layer.out, cols: layer.in, activation: ACTIVATIONS[layer.activation],
               weight: values.subarray(layer.weight_offset, layer.weight_offset + layer.out * layer.in),
               bias: values.subarray(layer.bias_offset, layer.bias_offset + layer.out) };
    });
    return { description: description, layers: layers, values: values, url: url };
  }

  // a batch of n inputs, row after row in one array -> n outputs, row after row
  function forward(layers, input, n) {
    var x = input;
    layers.forEach(function (layer) {
      var y = new Float32Array(n * layer.rows);
      for (var i = 0; i < n; i++) {
        var from = i * layer.cols, to = i * layer.rows;
        for (var r = 0; r < layer.rows; r++) {
          var sum = layer.bias[r], row = r * layer.cols;
          for (var c = 0; c < layer.cols; c++) sum += layer.weight[row + c] * x[from + c];
          y[to + r] = layer.activation(sum);
        }
      }
      x = y;
    });
    return x;
  }

  // the site's root URL, from Material's page configuration
  function siteBase() {
    var config = document.getElementById("__config");
    var base = config ? JSON.parse(config.textContent).base : ".";
    return new URL(base + "/", window.location.href);
  }

  // run `start` once the element comes within 800 px of the viewport (readers who never
  // scroll that far never download the weights)
  function whenNear(element, start) {
    if (!("IntersectionObserver" in window)) { start(); return; }
    var observer = new IntersectionObserver(function (entries) {
      if (entries.some(function (e) { return e.isIntersecting; })) { observer.disconnect(); start(); }
    }, { rootMargin: "800px 0px" });
    observer.observe(element);
  }

  // a new DOM node with an optional class and text: what every widget builds its controls with
  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // run `start` once the page is parsed: at once if it already is (the widgets' scripts arrive
  // after the page has loaded), otherwise on DOMContentLoaded
  function whenParsed(start) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
    else start();
  }

  window.ManifoldMlp = { load: load, forward: forward, halfToFloat: halfToFloat, siteBase: siteBase,
                         whenNear: whenNear, whenParsed: whenParsed, element: element };
})();

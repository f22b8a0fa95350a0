// Small neural networks in plain JavaScript, for the site's widgets (networks only; what the
// widgets share besides lives in widget-kit.js). Reads the export format of
// generator/networks/export.py: a JSON description whose "layers" list gives each layer's size,
// activation and offsets into one gzip file of little-endian float16 values (weights
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
  // mirror of Python: generator/networks/export.py forward() — tests/widgets/test_latent_explorer.py compares them
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

  // apply the named activation to every value of an array, in place (for layers that are not
  // in "layers", such as the faces decoder's convolutions)
  function activateAll(name, values) {
    var activation = ACTIVATIONS[name];
    for (var i = 0; i < values.length; i++) values[i] = activation(values[i]);
    return values;
  }

  // softmax(s)_k = exp(s_k − max s) / Σ_j exp(s_j − max s), in double precision
  function softmax(scores) {
    var top = -Infinity, total = 0, shifted = new Float64Array(scores.length);
    for (var k = 0; k < scores.length; k++) top = Math.max(top, scores[k]);
    for (k = 0; k < scores.length; k++) { shifted[k] = Math.exp(scores[k] - top); total += shifted[k]; }
    return Array.from(shifted, function (s) { return s / total; });
  }

  window.ManifoldMlp = { load: load, forward: forward, halfToFloat: halfToFloat, activateAll: activateAll,
                         softmax: softmax };
})();

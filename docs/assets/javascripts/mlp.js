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

  // a batch of n inputs, row after row in one array -> n outputs, row after row. Four inputs
  // share each pass over a weight row, and each dot product runs two terms at a time (the two
  // sums added at the end): eight independent sums keep the CPU busy, each weight is read once
  // for four inputs. Left-over inputs (n not a multiple of 4) go one at a time. The same as one
  // term of one input at a time, to float rounding.
  // mirror of Python: generator/networks/export.py forward() — tests/widgets/test_latent_explorer.py compares them
  function forward(layers, input, n) {
    var x = input;
    for (var l = 0; l < layers.length; l++) {
      var layer = layers[l], rows = layer.rows, cols = layer.cols, weight = layer.weight, bias = layer.bias;
      var activation = layer.activation, y = new Float32Array(n * rows), even = cols - (cols % 2), i = 0;
      for (; i + 4 <= n; i += 4) {
        var x0 = i * cols, x1 = x0 + cols, x2 = x1 + cols, x3 = x2 + cols;
        for (var r = 0; r < rows; r++) {
          var row = r * cols, c = 0, a0 = 0, a1 = 0, b0 = 0, b1 = 0, e0 = 0, e1 = 0, f0 = 0, f1 = 0;
          for (; c < even; c += 2) {
            var w0 = weight[row + c], w1 = weight[row + c + 1];
            a0 += w0 * x[x0 + c]; a1 += w1 * x[x0 + c + 1]; b0 += w0 * x[x1 + c]; b1 += w1 * x[x1 + c + 1];
            e0 += w0 * x[x2 + c]; e1 += w1 * x[x2 + c + 1]; f0 += w0 * x[x3 + c]; f1 += w1 * x[x3 + c + 1];
          }
          if (c < cols) {
            var wl = weight[row + c];
            a0 += wl * x[x0 + c]; b0 += wl * x[x1 + c]; e0 += wl * x[x2 + c]; f0 += wl * x[x3 + c];
          }
          y[i * rows + r] = activation(bias[r] + (a0 + a1));
          y[(i + 1) * rows + r] = activation(bias[r] + (b0 + b1));
          y[(i + 2) * rows + r] = activation(bias[r] + (e0 + e1));
          y[(i + 3) * rows + r] = activation(bias[r] + (f0 + f1));
        }
      }
      for (; i < n; i++) {
        var from = i * cols;
        for (var q = 0; q < rows; q++) {
          var at = q * cols, k = 0, s0 = 0, s1 = 0;
          for (; k < even; k += 2) { s0 += weight[at + k] * x[from + k]; s1 += weight[at + k + 1] * x[from + k + 1]; }
          if (k < cols) s0 += weight[at + k] * x[from + k];
          y[i * rows + q] = activation(bias[q] + (s0 + s1));
        }
      }
      x = y;
    }
    return x;
  }

  // D(x; σ, c) = c_skip x + c_out F([c_in x, sin(¼ ln σ f), cos(¼ ln σ f), c]) of an exported EDM
  // denoiser (generator/networks/diffusion.py): a function of n points, their 2 coordinates one
  // after the other in x, at noise level σ, with the condition vector c
  // mirror of Python: generator/networks/export.py edm_denoise() — tests/widgets/test_noise_split.py compares them
  function edmDenoiser(d, layers) {
    var sd = d.sigma_data, k = d.frequencies.length;
    return function denoise(x, n, sigma, condition) {
      var total = sigma * sigma + sd * sd;
      var cSkip = sd * sd / total, cOut = sigma * sd / Math.sqrt(total), cIn = 1 / Math.sqrt(total);
      var width = 2 + 2 * k + condition.length, features = new Float32Array(n * width);
      for (var i = 0; i < n; i++) {
        var row = i * width;
        features[row] = cIn * x[2 * i];
        features[row + 1] = cIn * x[2 * i + 1];
        for (var j = 0; j < k; j++) {
          var phase = 0.25 * Math.log(sigma) * d.frequencies[j];
          features[row + 2 + j] = Math.sin(phase);
          features[row + 2 + k + j] = Math.cos(phase);
        }
        features.set(condition, row + 2 + 2 * k);
      }
      var out = forward(layers, features, n), guess = new Float32Array(2 * n);
      for (var m = 0; m < 2 * n; m++) guess[m] = cSkip * x[m] + cOut * out[m];
      return guess;
    };
  }

  // classifier-free guidance around a denoiser (x, n, σ, c) -> guesses, `empty` the condition
  // that says nothing: D_w = D(x; σ, ∅) + (1 + w) (D(x; σ, c) − D(x; σ, ∅))
  function guidedDenoiser(denoise, empty) {
    return function guided(x, n, sigma, condition, w) {
      var withPrompt = denoise(x, n, sigma, condition);
      if (w === 0) return withPrompt;
      var without = denoise(x, n, sigma, empty), mixed = new Float32Array(2 * n);
      for (var m = 0; m < 2 * n; m++) mixed[m] = without[m] + (1 + w) * (withPrompt[m] - without[m]);
      return mixed;
    };
  }

  // one step of the noise-free sampler (the probability-flow ODE) from σ to σ' for n points,
  // `guess` (x, n, σ) -> D(x; σ): dx/dσ = (x − D(x; σ)) / σ, an Euler step, then Heun's
  // correction unless σ' = 0
  function heunStep(guess, x, n, sigma, next) {
    var first = guess(x, n, sigma), slope = new Float32Array(2 * n), moved = new Float32Array(2 * n);
    for (var m = 0; m < 2 * n; m++) { slope[m] = (x[m] - first[m]) / sigma; moved[m] = x[m] + (next - sigma) * slope[m]; }
    if (next > 0) {
      var again = guess(moved, n, next);
      for (var q = 0; q < 2 * n; q++) moved[q] = x[q] + (next - sigma) * 0.5 * (slope[q] + (moved[q] - again[q]) / next);
    }
    return moved;
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
                         softmax: softmax, edmDenoiser: edmDenoiser,
                         guidedDenoiser: guidedDenoiser, heunStep: heunStep };
})();

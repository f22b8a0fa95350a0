// Training a small denoiser in plain JavaScript, for the widget where readers draw their own data
// (issue 26): the network of the diffusion chapter, D(x; σ) = c_skip·x + c_out·F(c_in·x, embed(σ)),
// its EDM loss, the backward pass written out and Adam, drawing from widget-kit's seeded
// generator, so that the same drawing and seed train the same network. No framework; runs in a Web Worker or a page.
// Numbers are float64 throughout (the tests compare one step with torch to 1e-4).
(function (root) {
  "use strict";

  // the seeded generator { uniform(), normal() } of widget-kit.js (loaded first, also in the worker)
  var random = root.WidgetKit.random;

  // layer sizes [inputs, hidden…, outputs]; weights as torch's nn.Linear draws them:
  // W and b ~ U(−1/√fan_in, 1/√fan_in), W row-major (out × in)
  function createNetwork(sizes, rng) {
    var layers = [];
    for (var l = 1; l < sizes.length; l++) {
      var rows = sizes[l], cols = sizes[l - 1], bound = 1 / Math.sqrt(cols);
      var weight = new Float64Array(rows * cols), bias = new Float64Array(rows);
      for (var i = 0; i < weight.length; i++) weight[i] = (2 * rng.uniform() - 1) * bound;
      for (var j = 0; j < rows; j++) bias[j] = (2 * rng.uniform() - 1) * bound;
      layers.push({ rows: rows, cols: cols, weight: weight, bias: bias });
    }
    return layers;
  }

  function sigmoid(v) { return 1 / (1 + Math.exp(-v)); }

  // the network's input for n points x (n × 2) at noise levels sigma (n): c_in·x, then sin and
  // cos of ¼ ln σ at frequencies 1, 2, 4, … (EDM's c_noise), then (with config.conditions = C)
  // a one-hot condition of width C from labels (n); also each point's c_skip and c_out
  function inputs(x, sigma, n, config, labels) {
    var k = config.frequencies, conditions = config.conditions || 0, width = 2 + 2 * k + conditions, sd = config.sigmaData;
    var features = new Float64Array(n * width), skip = new Float64Array(n), out = new Float64Array(n);
    for (var i = 0; i < n; i++) {
      var s = sigma[i], total = s * s + sd * sd;
      // c_skip = σ_d² / (σ² + σ_d²), c_out = σ σ_d / √(σ² + σ_d²), c_in = 1 / √(σ² + σ_d²)
      skip[i] = sd * sd / total; out[i] = s * sd / Math.sqrt(total);
      var cIn = 1 / Math.sqrt(total), row = i * width;
      features[row] = cIn * x[2 * i]; features[row + 1] = cIn * x[2 * i + 1];
      for (var f = 0; f < k; f++) {
        var phase = 0.25 * Math.log(s) * Math.pow(2, f);
        features[row + 2 + f] = Math.sin(phase); features[row + 2 + k + f] = Math.cos(phase);
      }
      if (conditions) features[row + 2 + 2 * k + labels[i]] = 1;
    }
    return { features: features, skip: skip, out: out };
  }

  // F for n rows of features: z = W a + b at each layer, SiLU between layers (not after the last).
  // Returns every layer's input and pre-activation, which the backward pass needs.
  function run(layers, features, n) {
    var activations = [features], sums = [];
    for (var l = 0; l < layers.length; l++) {
      var layer = layers[l], a = activations[l], rows = layer.rows, cols = layer.cols;
      var z = new Float64Array(n * rows), next = new Float64Array(n * rows), last = l === layers.length - 1;
      for (var i = 0; i < n; i++) {
        for (var r = 0; r < rows; r++) {
          var sum = layer.bias[r], w = r * cols, x = i * cols;
          for (var c = 0; c < cols; c++) sum += layer.weight[w + c] * a[x + c];
          z[i * rows + r] = sum;
          // SiLU(z) = z · sigmoid(z)
          next[i * rows + r] = last ? sum : sum * sigmoid(sum);
        }
      }
      sums.push(z); activations.push(next);
    }
    return { activations: activations, sums: sums };
  }

  // D(x; σ[, c]) for n points (σ and the label one per point): guesses of the clean points (n × 2)
  function denoise(layers, x, sigma, n, config, labels) {
    var given = inputs(x, sigma, n, config, labels), F = run(layers, given.features, n).activations[layers.length];
    var guess = new Float64Array(2 * n);
    for (var i = 0; i < n; i++) for (var d = 0; d < 2; d++) {
      guess[2 * i + d] = given.skip[i] * x[2 * i + d] + given.out[i] * F[2 * i + d];
    }
    return guess;
  }

  // the loss on clean points x0 with noise levels sigma and noise (given, so that a test can
  // repeat them), and its gradient for every weight: { loss, gradients: [{ weight, bias }] }
  function lossAndGradients(layers, x0, sigma, noise, n, config, labels) {
    var sd = config.sigmaData, noisy = new Float64Array(2 * n);
    for (var j = 0; j < 2 * n; j++) noisy[j] = x0[j] + sigma[j >> 1] * noise[j];  // x = x₀ + σε
    var given = inputs(noisy, sigma, n, config, labels), trace = run(layers, given.features, n);
    var F = trace.activations[layers.length], loss = 0, delta = new Float64Array(2 * n);
    for (var i = 0; i < n; i++) {
      var s = sigma[i], weight = (s * s + sd * sd) / ((s * sd) * (s * sd));  // λ(σ) = (σ² + σ_d²) / (σ σ_d)²
      for (var d = 0; d < 2; d++) {
        var error = given.skip[i] * noisy[2 * i + d] + given.out[i] * F[2 * i + d] - x0[2 * i + d];
        loss += weight * error * error / n;  // L = mean λ(σ) ‖D(x₀ + σε; σ) − x₀‖²
        delta[2 * i + d] = 2 * weight * error * given.out[i] / n;  // ∂L/∂F
      }
    }
    var gradients = layers.map(function (layer) {
      return { weight: new Float64Array(layer.weight.length), bias: new Float64Array(layer.rows) };
    });
    for (var l = layers.length - 1; l >= 0; l--) {
      var layer = layers[l], rows = layer.rows, cols = layer.cols, a = trace.activations[l];
      var grad = gradients[l], before = new Float64Array(n * cols);
      for (var p = 0; p < n; p++) {
        for (var r = 0; r < rows; r++) {
          var g = delta[p * rows + r];
          if (g === 0) continue;
          grad.bias[r] += g;
          for (var c = 0; c < cols; c++) {
            grad.weight[r * cols + c] += g * a[p * cols + c];  // ∂L/∂W = δ aᵀ
            before[p * cols + c] += g * layer.weight[r * cols + c];  // ∂L/∂a = Wᵀ δ
          }
        }
      }
      if (l > 0) {  // through the SiLU: d/dz [z σ(z)] = σ(z) (1 + z (1 − σ(z)))
        var z = trace.sums[l - 1];
        for (var q = 0; q < before.length; q++) {
          var sg = sigmoid(z[q]);
          before[q] *= sg * (1 + z[q] * (1 - sg));
        }
      }
      delta = before;
    }
    return { loss: loss, gradients: gradients };
  }

  // Adam as torch does it (β₁ 0.9, β₂ 0.999, ε 1e-8, bias-corrected); `moments` is created on
  // the first call and carried from step to step
  function adam(layers, gradients, moments, rate) {
    moments.step = (moments.step || 0) + 1;
    var fix1 = 1 - Math.pow(0.9, moments.step), fix2 = 1 - Math.pow(0.999, moments.step);
    if (!moments.first) {
      moments.first = gradients.map(function (g) { return [new Float64Array(g.weight.length), new Float64Array(g.bias.length)]; });
      moments.second = gradients.map(function (g) { return [new Float64Array(g.weight.length), new Float64Array(g.bias.length)]; });
    }
    layers.forEach(function (layer, l) {
      [[layer.weight, gradients[l].weight], [layer.bias, gradients[l].bias]].forEach(function (pair, which) {
        var values = pair[0], grad = pair[1], m = moments.first[l][which], v = moments.second[l][which];
        for (var i = 0; i < values.length; i++) {
          // m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², θ ← θ − lr · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)
          m[i] = 0.9 * m[i] + 0.1 * grad[i];
          v[i] = 0.999 * v[i] + 0.001 * grad[i] * grad[i];
          values[i] -= rate * (m[i] / fix1) / (Math.sqrt(v[i]) / Math.sqrt(fix2) + 1e-8);
        }
      });
    });
  }

  // one training step on clean points x0 with the given σ and ε: the loss before the step
  // mirror of Python: generator/networks/live_training.py train_step() — tests/widgets/test_live_training.py compares them
  function trainStep(layers, moments, x0, sigma, noise, n, config, labels) {
    var result = lossAndGradients(layers, x0, sigma, noise, n, config, labels);
    adam(layers, result.gradients, moments, config.learningRate);
    return result.loss;
  }

  // a batch of `size` points drawn from `data` (m × 2), with ln σ ~ N(P_mean, P_std²) and
  // ε ~ N(0, I) from rng: what one step trains on. With labels (m), each point keeps its label,
  // or with probability config.dropout gets the last one, "no condition" (condition dropout)
  function batch(data, m, size, rng, config, labels) {
    var x0 = new Float64Array(2 * size), sigma = new Float64Array(size), noise = new Float64Array(2 * size);
    var chosen = labels ? new Int32Array(size) : null;
    for (var i = 0; i < size; i++) {
      var k = Math.floor(rng.uniform() * m);
      x0[2 * i] = data[2 * k]; x0[2 * i + 1] = data[2 * k + 1];
      if (chosen) chosen[i] = rng.uniform() < config.dropout ? config.conditions - 1 : labels[k];
      sigma[i] = Math.exp(config.logSigmaMean + config.logSigmaStd * rng.normal());
      noise[2 * i] = rng.normal(); noise[2 * i + 1] = rng.normal();
    }
    return { x0: x0, sigma: sigma, noise: noise, labels: chosen };
  }

  // the running average of the weights that sampling uses: θ̄ ← d·θ̄ + (1 − d)·θ
  function average(averaged, layers, decay) {
    if (!averaged) return layers.map(function (l) { return { rows: l.rows, cols: l.cols, weight: Float64Array.from(l.weight), bias: Float64Array.from(l.bias) }; });
    averaged.forEach(function (a, l) {
      for (var i = 0; i < a.weight.length; i++) a.weight[i] = decay * a.weight[i] + (1 - decay) * layers[l].weight[i];
      for (var j = 0; j < a.bias.length; j++) a.bias[j] = decay * a.bias[j] + (1 - decay) * layers[l].bias[j];
    });
    return averaged;
  }

  // σ from sigmaMax down to σ_min (EDM's spacing, ρ = 7), then 0: the sampler's noise levels
  function levels(steps, sigmaMax, sigmaMin) {
    var top = Math.pow(sigmaMax, 1 / 7), bottom = Math.pow(sigmaMin, 1 / 7), out = [];
    for (var i = 0; i < steps; i++) out.push(Math.pow(top + i / (steps - 1) * (bottom - top), 7));
    out.push(0);
    return out;
  }

  // DDPM's ancestral sampler for x = x₀ + σε: n points of pure noise N(0, σ_max²) moved toward
  // the denoiser's guesses step by step; returns every cloud (steps + 1 arrays of n × 2). With a
  // label, the guess is guided: D = D(x; σ, ∅) + (1 + w) (D(x; σ, c) − D(x; σ, ∅))
  function sample(layers, n, steps, rng, config, label, weight) {
    var sigmas = levels(steps, config.sigmaMax, config.sigmaMin), x = new Float64Array(2 * n), path = [];
    for (var j = 0; j < 2 * n; j++) x[j] = config.sigmaMax * rng.normal();
    path.push(Float64Array.from(x));
    var sigma = new Float64Array(n), asked = null, none = null;
    if (config.conditions) { asked = new Int32Array(n).fill(label); none = new Int32Array(n).fill(config.conditions - 1); }
    for (var s = 0; s < steps; s++) {
      sigma.fill(sigmas[s]);
      var guess = denoise(layers, x, sigma, n, config, asked), keep = Math.pow(sigmas[s + 1] / sigmas[s], 2);
      if (asked && weight) {
        var plain = denoise(layers, x, sigma, n, config, none);
        for (var g = 0; g < 2 * n; g++) guess[g] = plain[g] + (1 + weight) * (guess[g] - plain[g]);
      }
      for (var k = 0; k < 2 * n; k++) {
        // x' = (σ'²/σ²) x + (1 − σ'²/σ²) D(x; σ) + σ' √(1 − σ'²/σ²) z
        x[k] = keep * x[k] + (1 - keep) * guess[k] + (sigmas[s + 1] > 0 ? sigmas[s + 1] * Math.sqrt(1 - keep) * rng.normal() : 0);
      }
      path.push(Float64Array.from(x));
    }
    return path;
  }

  // how far points lie from the data: the mean distance from each point to its nearest data point
  function meanNearest(points, data) {
    var total = 0, n = points.length / 2, m = data.length / 2;
    for (var i = 0; i < n; i++) {
      var best = Infinity;
      for (var j = 0; j < m; j++) {
        var dx = points[2 * i] - data[2 * j], dy = points[2 * i + 1] - data[2 * j + 1], d = dx * dx + dy * dy;
        if (d < best) best = d;
      }
      total += Math.sqrt(best);
    }
    return total / n;
  }

  root.TrainCore = { random: random, createNetwork: createNetwork, denoise: denoise,
                     lossAndGradients: lossAndGradients, adam: adam, trainStep: trainStep, batch: batch,
                     average: average, levels: levels, sample: sample, meanNearest: meanNearest };
})(typeof self !== "undefined" ? self : this);

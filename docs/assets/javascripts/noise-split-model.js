// The noise-split widget's model, apart from its page: the guided denoiser of
// generator/models/arms_diffusion.py (two prompts, one arm each, and the empty prompt), the move
// it makes at a noise level, the noise-free sampler a step at a time, and the point of a prompt's
// arm nearest to a noisy point, with the arm's direction there (what "along" and "across" mean).
// Needs mlp.js; noise-split.js is the widget around it.
(function () {
  "use strict";

  // NoiseSplitModel(net), net the loaded export: its moves at a noise level, the sampler, and
  // the prompted curve's geometry
  function Model(net) {
    var d = net.description, denoise = window.ManifoldMlp.edmDenoiser(d, net.layers);
    var conditions = [[1, 0, 0], [0, 1, 0], [0, 0, 1]].map(function (c) { return Float32Array.from(c); });
    var guided = window.ManifoldMlp.guidedDenoiser(denoise, conditions[2]);
    // D_w(x; σ, prompt) − x for n points: the move the denoiser makes
    function moves(x, n, sigma, prompt, w) {
      var guess = guided(x, n, sigma, conditions[prompt], prompt === 2 ? 0 : w), out = new Float32Array(2 * n);
      for (var m = 0; m < 2 * n; m++) out[m] = guess[m] - x[m];
      return out;
    }
    // the path of n points through the noise-free sampler, computed a step at a time as it is
    // asked for (so a replay starts at once): path.upTo(s) makes sure steps 0 … s exist
    function sample(start, n, prompt, w) {
      var sigmas = d.sampler.sigmas, path = [Float32Array.from(start)];
      function guess(y, k, sigma) { return guided(y, k, sigma, conditions[prompt], prompt === 2 ? 0 : w); }
      path.upTo = function (step) {
        while (path.length <= step) {
          var s = path.length - 1;
          path.push(window.ManifoldMlp.heunStep(guess, path[s], n, sigmas[s], sigmas[s + 1]));
        }
        return path;
      };
      return path;
    }
    // the point of the prompted curve nearest to p, with the unit tangent there (prompt 2: either arm)
    function nearest(p, prompt) {
      var best = { distance: Infinity };
      d.arms.forEach(function (arm, index) {
        if (prompt !== 2 && index !== prompt) return;
        for (var i = 0; i + 1 < arm.length; i++) {
          var a = arm[i], b = arm[i + 1], ab = [b[0] - a[0], b[1] - a[1]], length = Math.hypot(ab[0], ab[1]);
          // u = clamp((p − a)·(b − a) / |b − a|², 0, 1): the closest place on the segment
          var u = Math.max(0, Math.min(1, ((p[0] - a[0]) * ab[0] + (p[1] - a[1]) * ab[1]) / (length * length)));
          var q = [a[0] + u * ab[0], a[1] + u * ab[1]], distance = Math.hypot(p[0] - q[0], p[1] - q[1]);
          if (distance < best.distance) best = { point: q, tangent: [ab[0] / length, ab[1] / length], distance: distance };
        }
      });
      return best;
    }
    return { description: d, moves: moves, sample: sample, nearest: nearest, denoise: denoise };
  }

  window.NoiseSplitModel = Model;
})();

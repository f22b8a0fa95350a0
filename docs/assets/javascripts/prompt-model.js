// The prompt playground's model, apart from its page: the parser turns a prompt ("굵은 7",
// "a slanted 1") into the condition vector the denoiser reads, or into an error that says what
// is wrong and which known word was likely meant; the model adds the guided denoiser and the
// noise-free sampler. The parser's rules are generator/pipelines/prompts.py's: one digit, at most
// one word per style, fillers skipped, a Korean particle may follow a word ("일곱을"). The
// vocabulary, the condition's layout and the network come from the export (prompt_denoiser.json).
(function () {
  "use strict";

  // parser(d, lang, words): d the export's description, words the widget's texts in that language
  // (words.groups names the attributes in the list of known words)
  function parser(d, lang, words) {
    var blocks = d.condition.blocks;
    var vocabulary = d.vocabulary[lang], fillers = d.fillers[lang], digitWords = d.digit_words[lang];
    var particles = d.particles[lang];
    // the vocabulary grouped by attribute, synonyms in brackets (as generator/pipelines/prompts.py)
    var known = [words.groups.digit + ": 0–9" + (Object.keys(digitWords).length ? ", " + Object.keys(digitWords).join(", ") : "")];
    ["thickness", "slant"].forEach(function (attribute) {
      var classes = {};
      Object.keys(vocabulary).forEach(function (word) {
        var m = vocabulary[word];
        if (m[0] === attribute) (classes[m[1]] = classes[m[1]] || []).push(word);
      });
      known.push(words.groups[attribute] + ": " + Object.keys(classes).sort().map(function (k) {
        var w = classes[k];
        return w[0] + (w.length > 1 ? " (" + w.slice(1).join(", ") + ")" : "");
      }).join(", "));
    });
    known = known.join("; ");

    function meaningOf(token) { // also with a Korean particle attached ("일곱을")
      var candidates = [token];
      particles.forEach(function (p) {
        if (token.length > p.length && token.slice(-p.length) === p) candidates.push(token.slice(0, -p.length));
      });
      for (var i = 0; i < candidates.length; i++) {
        var c = candidates[i];
        if (/^\d$/.test(c)) return ["digit", +c];
        if (c in digitWords) return ["digit", digitWords[c]];
        if (c in vocabulary) return vocabulary[c];
      }
      return null;
    }

    // Levenshtein distance: the fewest insertions, deletions and substitutions from a to b
    function editDistance(a, b) {
      var row = [];
      for (var j = 0; j <= b.length; j++) row.push(j);
      for (var i = 1; i <= a.length; i++) {
        var previous = row[0];
        row[0] = i;
        for (j = 1; j <= b.length; j++) {
          var here = row[j];
          row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
          previous = here;
        }
      }
      return row[b.length];
    }
    // the known word a typo most likely meant (as generator/pipelines/prompts.py: nearest_word)
    var knownWords = Object.keys(vocabulary).concat(Object.keys(digitWords)).sort();
    function nearestWord(token) {
      var best = null, bestDistance = Infinity;
      knownWords.forEach(function (word) {
        var distance = editDistance(token, word);
        if (distance < bestDistance) { best = word; bestDistance = distance; }
      });
      return best !== null && bestDistance <= Math.max(1, Math.floor(best.length / 2)) ? best : null;
    }

    // the same rules as generator/pipelines/prompts.py: one digit, one word per style, fillers skipped
    // mirror of Python: generator/pipelines/prompts.py parse_prompt() — tests/widgets/test_prompt_playground.py compares them
    function parse(text) {
      var found = {}, tokens = text.trim().toLowerCase().match(/\d+|[^\s\d,.!?]+/g) || [];
      for (var i = 0; i < tokens.length; i++) {
        var token = tokens[i];
        if (fillers.indexOf(token) >= 0) continue;
        if (/^\d\d+$/.test(token)) return { error: "number", word: token };
        var meaning = meaningOf(token);
        if (!meaning) return { error: "unknown", word: token, known: known, suggestion: nearestWord(token) };
        if (meaning[0] in found && found[meaning[0]] !== meaning[1]) return { error: "twice", attribute: meaning[0] };
        found[meaning[0]] = meaning[1];
      }
      var vector = new Float32Array(d.condition.width), offset = 0;
      blocks.forEach(function (block) {
        var value = found[block.name];
        vector[offset + (value === undefined ? block.none : value)] = 1;
        offset += block.size;
      });
      return { vector: vector, found: found };
    }
    return { parse: parse, known: known };
  }

  // model(net, lang, words): the whole miniature model, net being the loaded export
  function Model(net, lang, words) {
    var d = net.description;
    var parse = parser(d, lang, words).parse; // text -> { vector, found } or { error, … }
    var empty = parse("").vector;

    var denoise = window.ManifoldMlp.edmDenoiser(d, net.layers); // D(x; σ, c) for n points
    var guided = window.ManifoldMlp.guidedDenoiser(denoise, empty); // (x, n, σ, c, w) -> D_w
    // one step of the noise-free sampler from sigmas[s] to sigmas[s + 1]; guidance acts only
    // while σ is inside its interval (the plain conditional guess elsewhere)
    var low = d.guidance.interval ? d.guidance.interval[0] : 0, high = d.guidance.interval ? d.guidance.interval[1] : Infinity;
    function step(x, n, s, condition, w) {
      function guess(y, m, sigma) { return guided(y, m, sigma, condition, low < sigma && sigma <= high ? w : 0); }
      return window.ManifoldMlp.heunStep(guess, x, n, d.sampler.sigmas[s], d.sampler.sigmas[s + 1]);
    }
    // mirror of Python: generator/figures/conditional_playground.py sample_exported() — tests/widgets/test_prompt_playground.py compares them
    function sample(start, n, condition, w) { // every step's positions, for tests and replays
      var path = [Float32Array.from(start)];
      for (var s = 0; s < d.sampler.steps; s++) path.push(step(path[s], n, s, condition, w));
      return path;
    }
    return { parse: parse, denoise: denoise, guided: guided, step: step, sample: sample, low: low, high: high,
             empty: empty, steps: d.sampler.steps, sigmaMax: d.sampler.sigma_max };
  }

  window.PromptModel = { parser: parser, model: Model };
})();

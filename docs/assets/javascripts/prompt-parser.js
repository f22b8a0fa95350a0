// The prompt playground's parser: a prompt ("굵은 7", "a slanted 1") -> the condition vector the
// denoiser reads, or an error that says what is wrong and which known word was likely meant.
// The rules are generator/pipelines/prompts.py's: one digit, at most one word per style,
// fillers skipped, a Korean particle may follow a word ("일곱을"). The vocabulary and the
// condition's layout come from the model's export (prompt_denoiser.json).
(function () {
  "use strict";

  // make(d, lang, words): d the export's description, words the widget's texts in that language
  // (words.groups names the attributes in the list of known words)
  function make(d, lang, words) {
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

  window.PromptParser = { make: make };
})();

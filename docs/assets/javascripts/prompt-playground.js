// The prompt playground: a miniature text-to-image model that runs in the page. The reader
// types a prompt ("굵은 7", "a slanted 1"), sets the guidance weight w and a seed, and watches
// noise flow over the 2-D latent map of the MNIST VAE and turn into digits. Plain JavaScript
// with widget-kit.js, mlp.js and prompt-model.js (loaded first: the parser, denoiser and
// sampler); the model is the generator's export figures/conditional_playground/prompt_denoiser.json
// (format in README.md), decoded with the latent explorer's decoder. Every element with class
// "prompt-playground" becomes one.
(function () {
  "use strict";
  var POINTS = 36, TRAIL = 6; // 36 samples, each drawn with the last 6 steps of its way
  var WORDS = {
    ko: { prompt: "프롬프트", guidance: "가이던스 w", seed: "시드", generate: "생성", examples: "예시",
          empty: "(빈 프롬프트)", loading: "모델을 불러오는 중…", failed: "모델을 불러오지 못했습니다.",
          unknown: function (w, known, guess) { return "모르는 단어: ‘" + w + "’" + (guess ? " (혹시 ‘" + guess + "’?)" : "") + ". 아는 단어 — " + known; },
          number: function (w) { return "‘" + w + "’: 한 자리 숫자가 아닙니다. 이 모델은 0–9 가운데 하나만 그립니다."; },
          twice: function (a) { return (a === "digit" ? "숫자" : a === "thickness" ? "굵기" : "기울기") + "를 두 가지로 말했습니다. 하나만 남겨 주세요."; },
          groups: { digit: "숫자", thickness: "굵기", slant: "기울기" },
          map: "잠재공간 지도. 검은 점을 끌거나, 지도를 누른 뒤 화살표 키(Shift와 함께 누르면 크게)로 옮기면 그 자리에서 디노이저가 가리키는 방향이 보입니다.",
          legend: [["#e4572e", "●", "노이즈에서 출발한 샘플"], ["#1e88e5", "■", "프롬프트 전체에 맞는 실제 숫자"],
                   ["#b0bec5", "■", "나머지 실제 숫자"], ["#263238", "●", "검은 점: 끌어서 화살표 보기"]],
          grid: "생성된 숫자들", step: function (s, n) { return s + "/" + n + "단계"; },
          reading: function (c) { return "읽은 조건: " + c; }, none: "조건 없음", any: "아무 숫자",
          finished: function (c) { return "다 만들었습니다: " + c; },
          collapsed: " 샘플이 거의 한 점에 모였습니다. 2차원 지도에서 이 프롬프트의 자리가 아주 좁거나 가이던스가 강하면 이렇게 됩니다(본문의 다양성 이야기 참고).",
          thickness: ["가는", "보통 굵기", "굵은"], slant: ["똑바른", "기울어진", "기타 기울기"],
          probeSigma: "화살표의 노이즈 세기 σ", scrub: "단계 되돌려 보기" },
    en: { prompt: "Prompt", guidance: "Guidance w", seed: "Seed", generate: "Generate", examples: "Try",
          empty: "(empty prompt)", loading: "Loading the model…", failed: "The model could not be loaded.",
          unknown: function (w, known, guess) { return "Unknown word ‘" + w + "’" + (guess ? " (did you mean ‘" + guess + "’?)" : "") + ". Words it knows — " + known; },
          number: function (w) { return "‘" + w + "’ is more than one digit: the model draws one digit, 0–9."; },
          twice: function (a) { return "Two different " + a + " words: keep one."; },
          groups: { digit: "digit", thickness: "thickness", slant: "slant" },
          map: "Latent map. Drag the black dot, or click the map and use the arrow keys (with Shift for big steps), to see where the denoiser points at that place.",
          legend: [["#e4572e", "●", "samples, starting from noise"], ["#1e88e5", "■", "real digits that fit the whole prompt"],
                   ["#b0bec5", "■", "other real digits"], ["#263238", "●", "black dot: drag it to see its arrow"]],
          grid: "Generated digits", step: function (s, n) { return "step " + s + " of " + n; },
          reading: function (c) { return "Condition: " + c; }, none: "no condition", any: "any digit",
          finished: function (c) { return "Done: " + c; },
          collapsed: " The samples have gathered almost on one spot: on the 2-D map this prompt's place is very narrow, or the guidance is strong (see the text on variety).",
          thickness: ["thin", "regular", "thick"], slant: ["upright", "slanted", "other slant"],
          probeSigma: "Arrow's noise level σ", scrub: "Step back through the run" },
  };
  // the first one after "7" is the prompt the playground opens with; thickness alone changes
  // little on the 2-D map (the chapter says why), so the examples lean on slant
  var EXAMPLES = { ko: ["7", "기울어진 1", "똑바른 1", "굵은 똑바른 3", ""],
                   en: ["7", "a slanted 1", "an upright 1", "thick upright 3", ""] };

  var noise = window.WidgetKit.seededNormal; // (seed, n, scale) -> n points of N(0, scale² I)
  var element = window.WidgetKit.element;  // element(tag, className, text): a new DOM node

  function build(root, loaded, words, lang) {
    var net = loaded.net, decoder = loaded.decoder;
    var model = window.PromptModel.model(net, lang, words), map = net.description.map;
    var form = element("form", "prompt-playground__controls");
    var promptLabel = element("label", "prompt-playground__field"), prompt = element("input");
    prompt.type = "text"; prompt.value = EXAMPLES[lang][1]; prompt.autocomplete = "off";
    promptLabel.append(element("span", "", words.prompt), prompt);
    var guidance = window.WidgetKit.slider("prompt-playground__field", words.guidance, 0, net.description.guidance.max,
                                           0.5, net.description.guidance.default);
    var wLabel = guidance.box, w = guidance.input, wValue = guidance.shown;
    var seedLabel = element("label", "prompt-playground__field prompt-playground__seed"), seed = element("input");
    seed.type = "number"; seed.min = 0; seed.max = 9999; seed.value = 1;
    seedLabel.append(element("span", "", words.seed), seed);
    var go = element("button", "md-button md-button--primary", words.generate);
    go.type = "submit";
    form.append(promptLabel, wLabel, seedLabel, go);
    var examples = element("p", "prompt-playground__examples", words.examples + ": ");
    EXAMPLES[lang].forEach(function (text) {
      var chip = element("button", "prompt-playground__chip pill", text || words.empty);
      chip.type = "button";
      chip.addEventListener("click", function () { prompt.value = text; generate(); showRun(); });
      examples.appendChild(chip);
    });
    var progress = element("p", "prompt-playground__message"); // every frame, not announced
    var message = element("p", "prompt-playground__message"); // the end, and errors: announced
    message.setAttribute("role", "status");
    var panel = element("div", "prompt-playground__panel");
    var canvas = element("canvas", "prompt-playground__map"), grid = element("canvas", "prompt-playground__grid");
    canvas.tabIndex = 0;
    canvas.setAttribute("role", "application");
    canvas.setAttribute("aria-label", words.map);
    grid.setAttribute("role", "img");
    grid.setAttribute("aria-label", words.grid);
    var side = Math.ceil(Math.sqrt(POINTS));
    grid.width = grid.height = side * 28;
    function slider(label, min, max, step, value) {
      return window.WidgetKit.slider("prompt-playground__slider", label, min, max, step, value);
    }
    var probeSigma = slider(words.probeSigma, -1.3, Math.log10(model.sigmaMax), 0.01, Math.log10(net.description.probe_sigma));
    var scrub = slider(words.scrub, 0, model.steps, 1, 0);
    scrub.input.disabled = true; // until a run has finished
    var mapBox = element("div", "prompt-playground__mapbox");
    var legend = element("p", "prompt-playground__legend");
    words.legend.forEach(function (entry) { // each mark in its colour and shape, then its words
      var item = element("span", "prompt-playground__key"), bullet = element("span", "prompt-playground__bullet", entry[1]);
      bullet.style.color = entry[0];
      item.append(bullet, " " + entry[2]);
      legend.append(item, " ");
    });
    mapBox.append(canvas, legend, probeSigma.box, scrub.box);
    panel.append(mapBox, grid);
    root.append(form, examples, progress, message, panel);

    var size = 320, scale = window.devicePixelRatio || 1, context = canvas.getContext("2d");
    canvas.width = canvas.height = size * scale;
    // the black probe starts at the middle of the test digits, where prompts disagree most
    var middle = [0, 1].map(function (k) {
      return map.points.reduce(function (sum, p) { return sum + p[k]; }, 0) / map.points.length;
    });
    var state = { condition: null, found: {}, path: [], step: 0, probe: middle, frame: null };
    var VIEW = map.limit; // the map shows [−limit, limit]²: every test digit's code lies inside
    function toPixel(z) { return [((z[0] + VIEW) / (2 * VIEW)) * size, size - ((z[1] + VIEW) / (2 * VIEW)) * size]; }
    // a test digit fits the prompt when it is what every word of the prompt says (a prompt of
    // style words alone fits every digit of that style; the empty prompt fits none, to show nothing)
    function fits(p) {
      var f = state.found;
      if (!Object.keys(f).length) return false;
      return (f.digit === undefined || p[2] === f.digit) && (f.thickness === undefined || p[3] === f.thickness)
        && (f.slant === undefined || p[4] === f.slant);
    }

    function describe(found) { // as one would say it: "굵은 똑바른 3", "thick upright 3", "thin (any digit)"
      var parts = [];
      if (found.thickness !== undefined) parts.push(words.thickness[found.thickness]);
      if (found.slant !== undefined) parts.push(words.slant[found.slant]);
      parts.push(found.digit === undefined ? "(" + words.any + ")" : String(found.digit));
      return Object.keys(found).length ? parts.join(" ") : words.none;
    }

    // how far the cloud's points lie from their mean, on average (map units): near 0, one spot
    function spread(cloud) {
      var n = cloud.length / 2, mx = 0, my = 0, total = 0;
      for (var i = 0; i < n; i++) { mx += cloud[2 * i] / n; my += cloud[2 * i + 1] / n; }
      for (var j = 0; j < n; j++) total += Math.hypot(cloud[2 * j] - mx, cloud[2 * j + 1] - my) / n;
      return total;
    }
    function draw() {
      context.setTransform(scale, 0, 0, scale, 0, 0);
      context.clearRect(0, 0, size, size);
      map.points.forEach(function (p) { // test digits: those that fit the prompt in blue, the rest grey
        var xy = toPixel(p);
        context.fillStyle = fits(p) ? "#1e88e5" : "#b0bec5";
        context.globalAlpha = 0.5;
        context.fillRect(xy[0] - 2, xy[1] - 2, 4, 4);
      });
      context.globalAlpha = 1;
      var current = state.path[state.step];
      if (current) {
        context.strokeStyle = "rgba(38, 50, 56, 0.55)";
        context.lineWidth = 1;
        for (var i = 0; i < POINTS; i++) {
          context.beginPath();
          for (var s = Math.max(0, state.step - TRAIL); s <= state.step; s++) {
            var xy = toPixel([state.path[s][2 * i], state.path[s][2 * i + 1]]);
            if (s === Math.max(0, state.step - TRAIL)) context.moveTo(xy[0], xy[1]); else context.lineTo(xy[0], xy[1]);
          }
          context.stroke();
        }
        context.fillStyle = "#e4572e";
        context.strokeStyle = "#fff";
        for (var j = 0; j < POINTS; j++) {
          var at = toPixel([current[2 * j], current[2 * j + 1]]);
          context.beginPath();
          context.arc(at[0], at[1], 3.2, 0, 2 * Math.PI);
          context.fill();
          context.stroke();
        }
      }
      // the probe: one noisy point and the denoiser's arrow D(x; σ, c) − x for this prompt
      var sigma = Math.pow(10, Number(probeSigma.input.value)), guided = model.low < sigma && sigma <= model.high;
      probeSigma.shown.textContent = sigma.toFixed(2);
      var guess = model.guided(Float32Array.from(state.probe), 1, sigma, state.condition || model.empty, guided ? +w.value : 0);
      var from = toPixel(state.probe), to = toPixel([guess[0], guess[1]]);
      var room = 1; // an arrow that would leave the map stops at its edge
      [0, 1].forEach(function (k) {
        var delta = to[k] - from[k];
        if (from[k] + delta > size - 2) room = Math.min(room, (size - 2 - from[k]) / delta);
        if (from[k] + delta < 2) room = Math.min(room, (2 - from[k]) / delta);
      });
      to = [from[0] + room * (to[0] - from[0]), from[1] + room * (to[1] - from[1])];
      context.strokeStyle = context.fillStyle = "#000";
      context.lineWidth = 2.5;
      window.WidgetKit.arrow(context, from, to, 10, 0.4);
      context.beginPath(); context.arc(from[0], from[1], 7, 0, 2 * Math.PI); context.fill();
      context.strokeStyle = "#fff"; context.lineWidth = 2; context.stroke();
      // the probe's place is part of the map's name (a map is not a slider: no aria-valuetext)
      canvas.setAttribute("aria-label", words.map + " x = (" + state.probe[0].toFixed(1) + ", " + state.probe[1].toFixed(1) + ")");
    }

    var pixels = grid.getContext("2d"), image = pixels.createImageData(grid.width, grid.height);
    function drawDigits() {
      var current = state.path[state.step];
      if (!current) return;
      var decoded = window.ManifoldMlp.forward(decoder.layers, current, POINTS);
      image.data.fill(255);
      for (var i = 0; i < POINTS; i++) {
        var left = (i % side) * 28, top = Math.floor(i / side) * 28;
        for (var p = 0; p < 784; p++) {
          var at = 4 * ((top + Math.floor(p / 28)) * grid.width + left + (p % 28));
          var grey = Math.round(255 * (1 - decoded[784 * i + p])); // ink is dark
          image.data[at] = image.data[at + 1] = image.data[at + 2] = grey;
        }
      }
      pixels.putImageData(image, 0, 0);
    }

    function generate() {
      var parsed = model.parse(prompt.value);
      if (parsed.error) { // keep the last result (dimmed), say what is wrong and what it knows
        message.textContent = parsed.error === "unknown" ? words.unknown(parsed.word, parsed.known, parsed.suggestion)
          : parsed.error === "number" ? words.number(parsed.word) : words.twice(parsed.attribute);
        if (state.frame) { // a run still drawing would end by overwriting this message: stop it here
          cancelAnimationFrame(state.frame);
          state.frame = null;
          progress.textContent = "";
        }
        message.classList.add("prompt-playground__message--error");
        panel.classList.add("prompt-playground__panel--stale");
        return;
      }
      message.classList.remove("prompt-playground__message--error");
      panel.classList.remove("prompt-playground__panel--stale");
      message.textContent = "";
      state.condition = parsed.vector;
      state.found = parsed.found;
      var weight = +w.value, seedValue = Math.min(9999, Math.max(0, Math.floor(+seed.value || 0)));
      seed.value = seedValue; // what was used is what is shown
      state.path = [noise(seedValue, POINTS, model.sigmaMax)];
      state.step = 0;
      scrub.input.disabled = true;
      if (state.frame) cancelAnimationFrame(state.frame);
      function advance() { // one denoising step per animation frame
        progress.textContent = words.reading(describe(state.found)) + " · " + words.step(state.step, model.steps);
        draw();
        drawDigits();
        if (state.step < model.steps) {
          state.path.push(model.step(state.path[state.step], POINTS, state.step, state.condition, weight));
          state.step += 1;
          state.frame = requestAnimationFrame(advance);
        } else {
          state.frame = null;
          progress.textContent = "";
          scrub.input.disabled = false; // the whole run is there: step back through it
          scrub.input.value = state.step;
          scrub.shown.textContent = words.step(state.step, model.steps);
          message.textContent = words.finished(describe(state.found) + ", w = " + weight + ", " + words.seed.toLowerCase() + " " + seedValue) +
            (spread(state.path[state.step]) < 0.1 ? "." + words.collapsed : "");
        }
      }
      advance();
    }

    // on a phone the map and the digits sit below the controls: bring them into view for a run
    // the reader asked for (not for one a slider started, which would pull the slider away)
    function showRun() {
      if (grid.getBoundingClientRect().bottom <= window.innerHeight) return;
      var still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      progress.scrollIntoView({ block: "start", behavior: still ? "auto" : "smooth" }); // its lines, then the map
    }
    form.addEventListener("submit", function (event) { event.preventDefault(); generate(); showRun(); });
    probeSigma.input.addEventListener("input", draw);
    scrub.input.addEventListener("input", function () { // the run at that step: points and digits
      if (state.frame || !state.path.length) return;
      state.step = Number(scrub.input.value);
      scrub.shown.textContent = words.step(state.step, model.steps);
      draw();
      drawDigits();
    });
    w.addEventListener("input", function () { wValue.textContent = w.value; draw(); });
    w.addEventListener("change", generate); // a new weight or seed draws new samples at once
    seed.addEventListener("change", generate);
    wValue.textContent = w.value;
    function moveProbe(z) {
      state.probe = [Math.max(-VIEW, Math.min(VIEW, z[0])), Math.max(-VIEW, Math.min(VIEW, z[1]))];
      draw();
    }
    window.WidgetKit.pointOnMap(canvas, VIEW, {
      moveTo: moveProbe, current: function () { return state.probe; }, step: 0.25, bigStep: 1,
    });
    generate();
    return { model: model, generate: generate, state: state, prompt: prompt, weight: w, seed: seed,
             message: message, progress: progress, noise: noise, moveProbe: moveProbe,
             probeSigma: probeSigma.input, scrub: scrub.input,
             highlighted: function () { return map.points.filter(fits).length; },
             done: function () { return state.path.length === model.steps + 1 && state.frame === null; } };
  }

  window.WidgetKit.mount({ // fetch the model and the decoder once, when the reader comes near
    name: "prompt-playground", selector: ".prompt-playground[data-model]", list: "promptPlaygrounds",
    words: WORDS, build: build,
    load: function (root) {
      var url = new URL(root.dataset.model, window.WidgetKit.siteBase()).href;
      return window.ManifoldMlp.load(url).then(function (net) {
        return window.ManifoldMlp.load(new URL(net.description.decoder, url).href).then(function (decoder) {
          return { net: net, decoder: decoder };
        });
      });
    },
  });
})();

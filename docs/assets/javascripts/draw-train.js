// Draw your own data and watch a denoiser learn it (the diffusion chapter): the reader draws
// points on a square (or picks a preset), a Web Worker (train-worker.js) trains the chapter's
// denoiser on them, the arrows of its field and its loss curve update as it learns, and
// "sample" flows a cloud of noise onto the drawing. Mouse, touch, and keyboard (arrow keys move
// a cross, Enter or Space drops points there).
(function () {
  "use strict";

  var WORDS = {
    ko: { loading: "학습 도구를 불러오는 중…", failed: "학습 도구를 불러오지 못했습니다",
          presets: { spiral: "나선", moons: "두 개의 달", ring: "고리", letter: "글자 S" },
          pens: ["주황 펜", "파랑 펜"], pensHint: "두 색으로 그리면 색이 프롬프트가 됩니다: 샘플은 고른 펜의 색을 따릅니다.", guidance: "가이던스 w (샘플을 고른 펜의 색으로)",
          clear: "지우기", train: "▶ 학습", pause: "❚❚ 멈춤", resume: "▶ 이어서 학습", restart: "처음부터 다시",
          sample: "샘플 뽑기", sigma: "화살표의 노이즈 세기 σ",
          map: "점을 그리는 판. 끌어서 점을 그리거나, 판을 선택한 뒤 화살표 키로 십자를 옮기고 Enter나 Space로 점을 찍으세요.",
          empty: "먼저 판에 점을 그리거나 예시를 고르세요.",
          few: function (n, need) { return "점이 " + n + "개뿐입니다. " + need + "개 이상 그려 주세요."; },
          points: function (n) { return "점 " + n + "개"; },
          progress: function (s, l) { return "학습 " + s + "단계 · 손실 " + l; },
          samples: function (score, floor) { return "샘플에서 가장 가까운 데이터까지 평균 거리 " + score + " (데이터 자신의 기준 " + floor + ")"; },
          curve: "손실(로그 눈금)" },
    en: { loading: "Loading the trainer…", failed: "The trainer could not be loaded",
          presets: { spiral: "spiral", moons: "two moons", ring: "ring", letter: "letter S" },
          pens: ["orange pen", "blue pen"], pensHint: "Draw in two colours and each colour becomes a prompt: samples follow the chosen pen.", guidance: "Guidance w (samples in the chosen pen's colour)",
          clear: "Clear", train: "▶ Train", pause: "❚❚ Pause", resume: "▶ Resume", restart: "Start over",
          sample: "Sample", sigma: "Noise level σ of the arrows",
          map: "Drawing board. Drag to draw points, or select the board, move the cross with the arrow keys and press Enter or Space to drop points.",
          empty: "First draw points on the board or pick a preset.",
          few: function (n, need) { return "Only " + n + " points: draw at least " + need + "."; },
          points: function (n) { return n + " points"; },
          progress: function (s, l) { return "step " + s + " · loss " + l; },
          samples: function (score, floor) { return "samples' mean distance to the nearest data point " + score + " (the data's own " + floor + ")"; },
          curve: "loss (log scale)" },
  };
  var LIMIT = 1.6, NEED = 30, MOST = 1000, SPACING = 0.025;
  var CONFIG = { hidden: 64, layers: 3, frequencies: 4, batch: 128, learningRate: 3e-3, averageDecay: 0.995,
                 logSigmaMean: -1.2, logSigmaStd: 1.2, sigmaMax: 3, sigmaMin: 0.005, maxSteps: 4000,
                 limit: LIMIT, fieldSigma: 0.1 };

  // the presets, each n points with a little noise (0.03, as the chapter's spiral); a third
  // number, where there is one, is the colour: the spiral's two arms (as in the conditional
  // chapter) and the two moons come in two colours, the others in one
  var PRESETS = {
    spiral: function (t) {
      t = 1.5 * Math.PI + 3 * Math.PI * Math.sqrt(t);
      return [t * Math.cos(t) / 10, t * Math.sin(t) / 10, t < 3 * Math.PI ? 0 : 1];
    },
    moons: function (t) {
      var a = Math.PI * (2 * t % 1);
      return t < 0.5 ? [Math.cos(a) - 0.5, Math.sin(a) - 0.25, 0] : [0.5 - Math.cos(a), 0.25 - Math.sin(a), 1];
    },
    ring: function (t) { return [Math.cos(2 * Math.PI * t), Math.sin(2 * Math.PI * t)]; },
    letter: function (t) { // an S: a half circle open to the right over one open to the left
      var u = (2 * t) % 1, b = t < 0.5 ? Math.PI / 2 + Math.PI * u : Math.PI / 2 - Math.PI * u;
      return [0.55 * Math.cos(b), (t < 0.5 ? 0.55 : -0.55) + 0.55 * Math.sin(b)];
    },
  };
  function preset(name, n, rng) {
    var out = [];
    for (var i = 0; i < n; i++) {
      var p = PRESETS[name](rng.uniform());
      out.push([p[0] + 0.03 * rng.normal(), p[1] + 0.03 * rng.normal(), p[2] || 0]);
    }
    return out;
  }

  function build(root, worker, words) {
    var element = window.WidgetKit.element, T = window.TrainCore;
    var state = { points: [], cursor: [0, 0], field: null, samples: null, losses: [], step: 0, running: false, trained: false,
                  seed: 1, pen: 0, colours: 1 };
    var COLOURS = ["#e4572e", "#1e88e5"];
    var presets = element("div", "draw-train__presets");
    Object.keys(PRESETS).forEach(function (name) {
      var button = element("button", "draw-train__button pill", words.presets[name]);
      button.type = "button";
      button.addEventListener("click", function () { state.points = preset(name, 600, T.random(state.seed++)); changed(); });
      presets.appendChild(button);
    });
    var clear = element("button", "draw-train__button pill", words.clear);
    clear.type = "button";
    clear.addEventListener("click", function () { state.points = []; changed(); });
    presets.appendChild(clear);
    var pens = element("div", "draw-train__presets"), penButtons = words.pens.map(function (name, index) {
      var button = element("button", "draw-train__button draw-train__pen pill", name);
      button.type = "button";
      button.style.borderColor = COLOURS[index];
      button.addEventListener("click", function () { state.pen = index; field(); say(); });
      pens.appendChild(button);
      return button;
    });
    pens.appendChild(element("span", "draw-train__hint", words.pensHint));
    var canvas = element("canvas", "draw-train__board");
    canvas.tabIndex = 0;
    canvas.setAttribute("role", "application");
    canvas.setAttribute("aria-label", words.map);
    var buttons = element("div", "draw-train__buttons");
    var train = element("button", "draw-train__button pill", words.train), sample = element("button", "draw-train__button pill", words.sample);
    var restart = element("button", "draw-train__button pill", words.restart);
    [train, sample, restart].forEach(function (b) { b.type = "button"; buttons.appendChild(b); });
    var sigmaSlider = window.WidgetKit.slider("draw-train__slider", words.sigma, -2, Math.log10(3), 0.01, -1);
    var guideSlider = window.WidgetKit.slider("draw-train__slider", words.guidance, 0, 4, 0.5, 1);
    var label = sigmaSlider.box, sigma = sigmaSlider.input, guideLabel = guideSlider.box, guide = guideSlider.input, guideShown = guideSlider.shown;
    var curve = element("canvas", "draw-train__curve");
    curve.setAttribute("role", "img");
    curve.setAttribute("aria-label", words.curve);
    var readout = element("p", "draw-train__readout");
    readout.setAttribute("aria-live", "polite");
    root.append(presets, pens, canvas, buttons, label, guideLabel, curve, readout);

    var context = canvas.getContext("2d"), size = 320, scale = window.devicePixelRatio || 1;
    function fit() {
      size = Math.max(200, Math.round(canvas.getBoundingClientRect().width) || 320);
      canvas.width = canvas.height = size * scale;
      curve.width = Math.round(curve.getBoundingClientRect().width || size) * scale; curve.height = 90 * scale;
    }
    function px(p) { return [(p[0] + LIMIT) / (2 * LIMIT) * size, (LIMIT - p[1]) / (2 * LIMIT) * size]; }
    function fromEvent(event) {
      var box = canvas.getBoundingClientRect();
      return [((event.clientX - box.left) / box.width) * 2 * LIMIT - LIMIT, LIMIT - ((event.clientY - box.top) / box.height) * 2 * LIMIT];
    }
    function add(p) { // a point, if it is not on top of the last one; the data keep MOST points at most
      var last = state.points[state.points.length - 1];
      if (last && Math.hypot(p[0] - last[0], p[1] - last[1]) < SPACING) return;
      if (Math.abs(p[0]) > LIMIT || Math.abs(p[1]) > LIMIT || state.points.length >= MOST) return;
      state.points.push([p[0], p[1], state.pen]);
    }
    canvas.addEventListener("pointerdown", function (event) {
      canvas.setPointerCapture(event.pointerId); canvas.focus({ preventScroll: true });
      add(fromEvent(event)); changed();
    });
    canvas.addEventListener("pointermove", function (event) {
      if (canvas.hasPointerCapture(event.pointerId)) { add(fromEvent(event)); changed(); }
    });
    canvas.addEventListener("keydown", function (event) {
      var step = event.shiftKey ? 0.2 : 0.05, moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
      if (moves[event.key]) {
        state.cursor = [Math.max(-LIMIT, Math.min(LIMIT, state.cursor[0] + moves[event.key][0])),
                        Math.max(-LIMIT, Math.min(LIMIT, state.cursor[1] + moves[event.key][1]))];
      } else if (event.key === "Enter" || event.key === " ") { // a small cloud of points at the cross
        var rng = T.random(state.seed++);
        for (var i = 0; i < 12; i++) state.points.push([state.cursor[0] + 0.04 * rng.normal(), state.cursor[1] + 0.04 * rng.normal(), state.pen]);
      } else return;
      event.preventDefault(); changed();
    });

    function data(colour) { // the points (of one colour, if given) as one flat array
      var chosen = state.points.filter(function (p) { return colour === undefined || p[2] === colour; });
      var flat = new Float64Array(2 * chosen.length);
      chosen.forEach(function (p, i) { flat[2 * i] = p[0]; flat[2 * i + 1] = p[1]; });
      return flat;
    }
    function twoColours() { return state.points.some(function (p) { return p[2] === 0; }) && state.points.some(function (p) { return p[2] === 1; }); }
    function start() {
      if (state.points.length < NEED) { say(); return; }
      var flat = data(), total = 0;
      for (var i = 0; i < flat.length; i++) total += flat[i] * flat[i];
      // two colours: two prompts and "none" (label 2), dropped to "none" one time in five
      state.colours = twoColours() ? 2 : 1;
      var config = Object.assign({}, CONFIG, { sigmaData: Math.sqrt(total / flat.length), fieldSigma: Math.pow(10, Number(sigma.value)),
                                               conditions: state.colours === 2 ? 3 : 0, dropout: 0.2 });
      state.trained = true; state.samples = null; state.losses = []; state.running = true;
      worker.postMessage({ type: "train", data: Array.from(flat), seed: 1, config: config,
                           labels: state.colours === 2 ? state.points.map(function (p) { return p[2]; }) : null });
      say();
    }
    train.addEventListener("click", function () {
      if (!state.trained) start();
      else { worker.postMessage({ type: state.running ? "pause" : "resume" }); state.running = !state.running; say(); }
    });
    restart.addEventListener("click", start);
    sample.addEventListener("click", function () { // (before any training, it starts the training)
      if (!state.trained) { start(); return; }
      worker.postMessage({ type: "sample", n: 300, steps: 40, seed: state.seed++, label: state.pen, weight: Number(guide.value) });
    });
    function field() {
      sigmaSlider.shown.textContent = "σ = " + Math.pow(10, Number(sigma.value)).toFixed(2);
      if (state.trained) worker.postMessage({ type: "field", sigma: Math.pow(10, Number(sigma.value)), label: state.colours === 2 ? state.pen : undefined });
    }
    sigma.addEventListener("input", field);
    field(); // shows σ's starting value (no arrows before training)
    guide.addEventListener("input", say);
    worker.onmessage = function (event) {
      var message = event.data;
      if (message.type === "progress") {
        state.field = message.field; state.losses = message.losses; state.step = message.step; state.running = message.running;
      } else if (message.type === "samples") {
        state.samples = message.path; state.score = message.score; state.sampled = message.label; animate(0);
      }
      draw(); say();
    };
    function animate(k) { // the cloud flowing from noise onto the data, one step a frame
      state.shown = k; draw();
      if (state.samples && k < state.samples.length - 1) requestAnimationFrame(function () { animate(k + 1); });
    }
    function changed() { // the drawing changed: what was learned no longer fits it
      if (state.trained) { worker.postMessage({ type: "pause" }); state.trained = false; state.running = false; state.field = null; state.samples = null; state.losses = []; }
      draw(); say();
    }
    function say() {
      var n = state.points.length, text = words.points(n);
      if (!n) text = words.empty;
      else if (n < NEED) text = words.few(n, NEED);
      else if (state.trained && state.losses.length) text += " · " + words.progress(state.step, state.losses[state.losses.length - 1][1].toFixed(3));
      if (state.samples && state.score !== undefined) text += " · " + words.samples(state.score.toFixed(3), floor(state.sampled).toFixed(3));
      readout.textContent = text;
      penButtons.forEach(function (button, index) { button.setAttribute("aria-pressed", String(state.pen === index)); });
      guideLabel.hidden = !twoColours();
      guideShown.textContent = "w = " + guide.value;
      train.textContent = !state.trained ? words.train : state.running ? words.pause : words.resume;
      train.disabled = sample.disabled = restart.disabled = n < NEED;
    }
    function floor(colour) { // the data's own distance: half of the points to the nearest of the other half
      var flat = data(colour), a = [], b = [];
      for (var i = 0; i < flat.length / 2; i++) (i % 2 ? a : b).push(flat[2 * i], flat[2 * i + 1]);
      return T.meanNearest(Float64Array.from(a), Float64Array.from(b));
    }
    function draw() {
      context.setTransform(scale, 0, 0, scale, 0, 0);
      context.fillStyle = "#fff"; context.fillRect(0, 0, size, size);
      if (state.field) { // the arrows, drawn at one length: only their direction shows
        var f = state.field, cell = size / 15;
        context.strokeStyle = "#90a4ae"; context.lineWidth = 1.2;
        for (var k = 0; k < f.moves.length / 2; k++) {
          var a = px([f.points[2 * k], f.points[2 * k + 1]]), dx = f.moves[2 * k], dy = -f.moves[2 * k + 1], l = Math.hypot(dx, dy) || 1;
          var bx = a[0] + dx / l * 0.4 * cell, by = a[1] + dy / l * 0.4 * cell, angle = Math.atan2(by - a[1], bx - a[0]);
          context.beginPath(); context.moveTo(a[0], a[1]); context.lineTo(bx, by);
          context.lineTo(bx - 4 * Math.cos(angle - 0.5), by - 4 * Math.sin(angle - 0.5)); context.moveTo(bx, by);
          context.lineTo(bx - 4 * Math.cos(angle + 0.5), by - 4 * Math.sin(angle + 0.5)); context.stroke();
        }
      }
      var coloured = twoColours();
      state.points.forEach(function (p) { // one colour: dark points; two: each in its pen's colour
        var a = px(p);
        context.fillStyle = coloured ? COLOURS[p[2]] : "#263238";
        context.fillRect(a[0] - 1.5, a[1] - 1.5, 3, 3);
      });
      if (state.samples) { // the cloud: orange over dark points, black over coloured ones
        var cloud = state.samples[Math.min(state.shown || 0, state.samples.length - 1)];
        context.fillStyle = coloured ? "#263238" : "#e4572e";
        for (var i = 0; i < cloud.length / 2; i++) { var s = px([cloud[2 * i], cloud[2 * i + 1]]); context.fillRect(s[0] - 2, s[1] - 2, 4, 4); }
      }
      if (document.activeElement === canvas) { // the keyboard's cross
        var c = px(state.cursor);
        context.strokeStyle = "#1e88e5"; context.lineWidth = 2;
        context.beginPath(); context.moveTo(c[0] - 8, c[1]); context.lineTo(c[0] + 8, c[1]); context.moveTo(c[0], c[1] - 8); context.lineTo(c[0], c[1] + 8); context.stroke();
      }
      drawCurve();
    }
    function drawCurve() { // the loss against the step, on a log scale
      var g = curve.getContext("2d"), w = curve.width / scale, h = 90;
      g.setTransform(scale, 0, 0, scale, 0, 0); g.clearRect(0, 0, w, h);
      g.fillStyle = "#546e7a"; g.font = "12px sans-serif"; g.fillText(words.curve, 4, 12);
      if (state.losses.length < 2) return;
      var logs = state.losses.map(function (e) { return Math.log(e[1]); }), low = Math.min.apply(null, logs), high = Math.max.apply(null, logs);
      var last = state.losses[state.losses.length - 1][0];
      g.strokeStyle = "#e4572e"; g.lineWidth = 1.5; g.beginPath();
      state.losses.forEach(function (e, i) {
        var x = 4 + (e[0] / Math.max(last, 1)) * (w - 8), y = 18 + (high - logs[i]) / Math.max(high - low, 1e-6) * (h - 24);
        if (i) g.lineTo(x, y); else g.moveTo(x, y);
      });
      g.stroke();
    }
    canvas.addEventListener("focus", draw); canvas.addEventListener("blur", draw);
    window.addEventListener("resize", function () { fit(); draw(); });
    fit(); draw(); say();
    return { state: state, start: start, pen: function (index) { penButtons[index].click(); }, guidance: guide,
             preset: function (name) { state.points = preset(name, 600, T.random(state.seed++)); changed(); },
             presetPoints: function (name, n, seed) { return preset(name, n, T.random(seed)); }, floor: floor,
             sample: function () { sample.click(); }, worker: worker };
  }

  window.WidgetKit.mount({
    name: "draw-train", selector: ".draw-train", list: "drawTrains", words: WORDS,
    load: function () { // the worker (and its script) only once the reader comes near
      return Promise.resolve(new Worker(new URL("assets/javascripts/train-worker.js", window.WidgetKit.siteBase()).href));
    },
    build: build,
  });
})();

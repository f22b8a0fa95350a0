// The noise-split widget of the conditional chapter: the spiral's two arms are two prompts, and
// the reader sees, at a noise level σ of their choosing, which part of a noisy point the
// denoiser removes for the chosen prompt (across the prompted curve) and which part it keeps
// (along it). It runs the model of generator/models/arms_diffusion.py, exported by
// generator/figures/conditional_curves.py (figures/conditional_curves/arms_denoiser.json +
// .f16.gz), with widget-kit.js, mlp.js and noise-split-model.js (the model: loaded first). Every
// element with class "noise-split" becomes one.
(function () {
  "use strict";
  var WORDS = {
    ko: { prompts: ["안쪽 팔", "바깥 팔", "프롬프트 없음"], prompt: "프롬프트", sigma: "노이즈 세기 σ",
          guidance: "가이던스 w", fresh: "새 노이즈", run: "▶ 역과정 재생", stop: "■ 멈춤", step: "단계",
          map: "나선의 두 팔과 디노이저의 화살표. 검은 점을 끌거나, 지도를 선택한 뒤 화살표 키(Shift와 함께 누르면 크게)로 움직이세요.",
          across: "지우는 몫(곡선을 가로질러)", along: "곡선을 따라 움직이는 몫",
          noise: "더한 노이즈: 곡선을 가로질러 {a}, 곡선을 따라 {b}", loading: "모델을 불러오는 중…",
          failed: "모델을 불러오지 못했습니다.", stepOf: function (s, n) { return s + "/" + n + "단계"; },
          legend: { clean: "노이즈를 더하기 전", kept: "곡선을 따른 노이즈(남김)", across: "가로지른 노이즈",
                    along: "이동 중 곡선 방향 성분", move: "디노이저의 이동",
                    lens: "모서리의 네모: 점 주변을 확대한 모습(×배율)" } },
    en: { prompts: ["inner arm", "outer arm", "no prompt"], prompt: "Prompt", sigma: "Noise level σ",
          guidance: "Guidance w", fresh: "New noise", run: "▶ Replay the reverse process", stop: "■ Stop",
          step: "step",
          map: "The spiral's two arms and the denoiser's arrows. Drag the black point, or select the map and use the arrow keys (with Shift for big steps).",
          across: "removed (across the curve)", along: "moved along the curve",
          noise: "noise added: across {a}, along {b}", loading: "Loading the model…",
          failed: "The model could not be loaded.", stepOf: function (s, n) { return "step " + s + " of " + n; },
          legend: { clean: "before the noise", kept: "noise along the curve (kept)", across: "noise across it",
                    along: "the part of the move along the curve", move: "the denoiser's move",
                    lens: "square in a corner: the point's surroundings magnified (×zoom)" } },
  };
  var INK = "#263238", MUTED = "#90a4ae", PROMPT_COLOURS = ["#e4572e", "#1e88e5", "#263238"];
  var FIELD = 11, CLOUD = 120;
  var element = window.WidgetKit.element;

  function slider(label, min, max, step, value) {
    return window.WidgetKit.slider("noise-split__slider", label, min, max, step, value);
  }

  function build(root, net, words) {
    var model = window.NoiseSplitModel(net), d = model.description, view = d.view;
    var state = { prompt: 0, sigma: d.sigma.default, w: d.guidance.default, probe: [0.75, 0.25],
                  clean: null, noise: null, field: null, path: null, step: null, seed: 1, playing: null };
    // controls: the prompt, σ (on a log scale), w, new noise, the reverse process and its scrubber
    var prompts = element("div", "noise-split__prompts");
    prompts.setAttribute("role", "radiogroup");
    prompts.setAttribute("aria-label", words.prompt);
    var choices = words.prompts.map(function (name, index) {
      var button = element("button", "noise-split__prompt pill", name);
      button.type = "button";
      button.setAttribute("role", "radio");
      button.addEventListener("click", function () { state.prompt = index; changed(); });
      prompts.appendChild(button);
      return button;
    });
    var sigma = slider(words.sigma, Math.log10(d.sigma.min), Math.log10(d.sigma.max), 0.01, Math.log10(state.sigma));
    var guidance = slider(words.guidance, 0, d.guidance.max, 0.5, state.w);
    var canvas = element("canvas", "noise-split__map");
    canvas.tabIndex = 0;
    canvas.setAttribute("role", "application");
    canvas.setAttribute("aria-label", words.map);
    // the legend names only what is drawn: each entry a swatch and its words, shown or hidden by draw()
    var legend = element("p", "noise-split__legend"), entries = {};
    ["clean", "kept", "along", "across", "move", "lens"].forEach(function (key) {
      var entry = element("span", "noise-split__key");
      if (key !== "lens") entry.appendChild(element("i", "noise-split__swatch noise-split__swatch--" + key));
      entry.appendChild(document.createTextNode(words.legend[key]));
      entries[key] = legend.appendChild(entry);
    });
    function showKeys() {
      var drawn = { clean: !!state.clean, kept: !!state.clean, along: !state.clean, across: !!state.clean,
                    move: true, lens: !!state.lens };
      Object.keys(entries).forEach(function (key) { entries[key].hidden = !drawn[key]; });
      entries.move.firstChild.style.borderColor = PROMPT_COLOURS[state.prompt];
    }
    var readout = element("p", "noise-split__readout");
    readout.setAttribute("aria-live", "polite");
    var buttons = element("div", "noise-split__buttons");
    var fresh = element("button", "noise-split__button pill", words.fresh), run = element("button", "noise-split__button pill", words.run);
    fresh.type = run.type = "button";
    var scrub = slider(words.step, 0, d.sampler.steps, 1, 0);
    scrub.input.disabled = true;
    buttons.append(fresh, run);
    // the buttons right under the map: the legend and the readout below them change length, and
    // would otherwise move a button away from a finger about to tap it again
    root.append(prompts, sigma.box, guidance.box, canvas, buttons, scrub.box, legend, readout);

    var context = canvas.getContext("2d"), size = 320, scale = window.devicePixelRatio || 1;
    function fit() {
      size = Math.max(200, Math.round(canvas.getBoundingClientRect().width) || 320);
      canvas.width = canvas.height = size * scale;
    }
    // map units -> canvas pixels, through the current frame: the whole map, or the lens
    var frame = null;
    function px(p) {
      if (frame) return [frame.left + (p[0] - frame.x + frame.half) / (2 * frame.half) * frame.side,
                         frame.top + (frame.y + frame.half - p[1]) / (2 * frame.half) * frame.side];
      return [(p[0] + view) / (2 * view) * size, (view - p[1]) / (2 * view) * size];
    }
    function arrow(from, to, colour, width, dashed) { // a dashed shaft still gets a solid head
      var a = px(from), b = px(to);
      context.strokeStyle = context.fillStyle = colour; context.lineWidth = width;
      context.setLineDash(dashed ? [4, 3] : []);
      window.WidgetKit.arrow(context, a, b, Math.min(7, Math.hypot(b[0] - a[0], b[1] - a[1])), 0.45);
      context.setLineDash([]);
    }
    function dot(p, radius, fill, stroke) {
      var a = px(p);
      context.beginPath(); context.arc(a[0], a[1], radius, 0, 2 * Math.PI);
      context.fillStyle = fill; context.fill();
      if (stroke) { context.strokeStyle = stroke; context.lineWidth = 1.5; context.stroke(); }
    }
    // the field at this σ: one arrow per grid point (11 × 11), its direction the move's, its
    // length capped at under half a cell (computed again only when σ, the prompt or w change)
    function field() {
      var grid = new Float32Array(2 * FIELD * FIELD), k = 0;
      for (var i = 0; i < FIELD; i++) for (var j = 0; j < FIELD; j++) {
        grid[k++] = -view + (j + 0.5) * 2 * view / FIELD;
        grid[k++] = view - (i + 0.5) * 2 * view / FIELD;
      }
      return { grid: grid, moves: model.moves(grid, FIELD * FIELD, state.sigma, state.prompt, state.w) };
    }
    // the probe's move, split at the nearest point of the prompted curve: across it and along it
    function split() {
      var m = model.moves(Float32Array.from(state.probe), 1, state.sigma, state.prompt, state.w);
      var near = model.nearest(state.probe, state.prompt), t = near.tangent;
      var along = m[0] * t[0] + m[1] * t[1], across = Math.hypot(m[0] - along * t[0], m[1] - along * t[1]);
      return { move: [m[0], m[1]], along: along, across: across, tangent: t };
    }
    // the probe, its move (on a white halo, so it stands out from a curve of its colour) and,
    // for a noisy point of the curve, the noise added in its two parts: along, then across
    function drawSplit(s, x, end) {
      var colour = PROMPT_COLOURS[state.prompt];
      if (state.clean) {
        var y = state.clean, t = model.nearest(y, state.prompt).tangent, e = state.noise;
        var noiseAlong = e[0] * t[0] + e[1] * t[1], kept = [y[0] + noiseAlong * t[0], y[1] + noiseAlong * t[1]];
        arrow(y, kept, MUTED, 2, true);
        arrow(kept, x, INK, 1.5, true);
        dot(y, 4, "#fff", INK);
      } else { // a point the reader placed: its move, split along the curve and across it
        var corner = [x[0] + s.along * s.tangent[0], x[1] + s.along * s.tangent[1]];
        arrow(x, corner, MUTED, 2, true);
        x = corner;
      }
      arrow(x, end, "#fff", 6);  // the halo
      arrow(x, end, colour, 3);  // the move: it undoes the part across
      dot(state.probe, 6, INK);
    }
    function drawArms() { // the spiral's arms through the current frame: the prompted one strong
      d.arms.forEach(function (arm, index) {
        var strong = state.prompt === 2 || state.prompt === index;
        context.strokeStyle = strong ? PROMPT_COLOURS[state.prompt === 2 ? 2 : index] : "#cfd8dc";
        context.lineWidth = strong ? 3 : 2;
        context.beginPath();
        arm.forEach(function (p, i) { var a = px(p); if (i) context.lineTo(a[0], a[1]); else context.moveTo(a[0], a[1]); });
        context.stroke();
      });
    }
    function draw() {
      var started = performance.now();
      if (!state.field) state.field = field();
      context.setTransform(scale, 0, 0, scale, 0, 0);
      context.fillStyle = "#fff"; context.fillRect(0, 0, size, size);
      drawArms();
      var cell = 2 * view / FIELD, grid = state.field.grid, moves = state.field.moves;
      for (var k = 0; k < FIELD * FIELD; k++) {
        var mx = moves[2 * k], my = moves[2 * k + 1], length = Math.hypot(mx, my), shown = Math.min(length, 0.42 * cell);
        if (length > 1e-9) arrow([grid[2 * k], grid[2 * k + 1]], [grid[2 * k] + mx / length * shown, grid[2 * k + 1] + my / length * shown], MUTED, 1.2);
      }
      if (state.path) { // the cloud at the scrubber's step
        var cloud = state.path[state.step];
        context.fillStyle = PROMPT_COLOURS[state.prompt];
        for (var c = 0; c < CLOUD; c++) { var a = px([cloud[2 * c], cloud[2 * c + 1]]); context.fillRect(a[0] - 2, a[1] - 2, 4, 4); }
      }
      var s = split(), x = state.probe, end = [x[0] + s.move[0], x[1] + s.move[1]];
      drawSplit(s, x, end);
      // the same split magnified, in a lens in the corner, when it is too small to read on the map
      var reach = Math.max(Math.hypot(s.move[0], s.move[1]), state.noise ? Math.hypot(state.noise[0], state.noise[1]) : 0);
      var lensSide = Math.round(size * 0.36);
      state.lens = null;
      if (reach / (2 * view) * size < 0.25 * lensSide && reach > 0) {
        // the lens frames the point, the move's end and (after new noise) the clean point, in
        // the map's corner farthest from the point, so that it hides nothing being looked at
        var shown = [x, end].concat(state.clean ? [state.clean] : []);
        var lowX = Math.min.apply(null, shown.map(function (p) { return p[0]; })), highX = Math.max.apply(null, shown.map(function (p) { return p[0]; }));
        var lowY = Math.min.apply(null, shown.map(function (p) { return p[1]; })), highY = Math.max.apply(null, shown.map(function (p) { return p[1]; }));
        var half = Math.max(0.65 * Math.max(highX - lowX, highY - lowY), 1e-4), here = px(x);
        var left = here[0] > size / 2 ? 4 : size - lensSide - 4, top = here[1] > size / 2 ? 4 : size - lensSide - 4;
        frame = { x: (lowX + highX) / 2, y: (lowY + highY) / 2, half: half, left: left, top: top, side: lensSide };
        context.save();
        context.beginPath(); context.rect(left, top, lensSide, lensSide); context.clip();
        context.fillStyle = "#fff"; context.fillRect(left, top, lensSide, lensSide);
        drawArms(); // the curves near the point, magnified
        drawSplit(s, x, end);
        context.restore();
        frame = null;
        context.strokeStyle = INK; context.lineWidth = 1;
        context.strokeRect(left + 0.5, top + 0.5, lensSide - 1, lensSide - 1);
        context.fillStyle = INK; context.font = "12px sans-serif";
        context.fillText("×" + Math.round(view / half), left + 4, top + lensSide - 5);
        state.lens = { left: left, top: top, side: lensSide, zoom: view / half };
      }
      showKeys();
      var text = "σ = " + state.sigma.toFixed(3) + " · " + words.across + ": " + s.across.toFixed(3) +
                 " · " + words.along + ": " + Math.abs(s.along).toFixed(3);
      if (state.clean) {
        var e = state.noise, t = s.tangent, noiseAlong = e[0] * t[0] + e[1] * t[1];
        text += " · " + words.noise.replace("{a}", Math.hypot(e[0] - noiseAlong * t[0], e[1] - noiseAlong * t[1]).toFixed(3))
                                   .replace("{b}", Math.abs(noiseAlong).toFixed(3));
      }
      readout.textContent = text;
      choices.forEach(function (button, index) { button.setAttribute("aria-checked", String(index === state.prompt)); });
      sigma.shown.textContent = state.sigma.toFixed(3);
      guidance.shown.textContent = String(state.w);
      scrub.shown.textContent = state.path ? words.stepOf(state.step, d.sampler.steps) : "";
      state.lastMilliseconds = performance.now() - started;
      return state.lastMilliseconds;
    }
    function changed() { state.field = null; state.path = null; stop(); scrub.input.disabled = true; draw(); }
    function moveProbe(z) {
      state.probe = [Math.max(-view, Math.min(view, z[0])), Math.max(-view, Math.min(view, z[1]))];
      state.clean = state.noise = null;
      draw();
    }
    function newNoise() { // a point of the prompted arm, plus noise of level σ
      var arm = d.arms[state.prompt === 2 ? state.seed % 2 : state.prompt];
      var base = arm[Math.floor(arm.length * (0.1 + 0.8 * ((state.seed * 0.618034) % 1)))];
      var e = window.WidgetKit.seededNormal(state.seed++, 1, state.sigma);
      state.clean = base.slice(); state.noise = [e[0], e[1]];
      state.probe = [base[0] + e[0], base[1] + e[1]];
      draw();
    }
    function setStep(step) { // the scrubber: the cloud at that step, and the field at that step's σ
      state.path.upTo(step);
      state.step = step;
      scrub.input.value = step;
      var level = d.sampler.sigmas[Math.min(step, d.sampler.steps - 1)];
      state.sigma = level; sigma.input.value = Math.log10(level); state.field = null;
      draw();
    }
    function reverse() { // a new cloud of pure noise at the first step; later steps come when asked
      var start = window.WidgetKit.seededNormal(7, CLOUD, d.sampler.sigmas[0]);
      state.path = model.sample(start, CLOUD, state.prompt, state.w);
      scrub.input.disabled = false;
      setStep(0);
      return state.path;
    }
    function stop() { if (state.playing) { clearTimeout(state.playing); state.playing = null; } run.textContent = words.run; }
    run.addEventListener("click", function () {
      if (state.playing) { stop(); return; }
      if (!state.path || state.step === d.sampler.steps) reverse();
      run.textContent = words.stop;
      (function next() {
        if (state.step >= d.sampler.steps) { stop(); return; }
        state.playing = setTimeout(function () { setStep(state.step + 1); next(); }, 180);
      })();
    });
    scrub.input.addEventListener("input", function () { stop(); setStep(Number(scrub.input.value)); });
    sigma.input.addEventListener("input", function () { state.sigma = Math.pow(10, Number(sigma.input.value)); state.field = null; draw(); });
    guidance.input.addEventListener("input", function () { state.w = Number(guidance.input.value); changed(); });
    fresh.addEventListener("click", newNoise);
    window.WidgetKit.pointOnMap(canvas, view, { moveTo: moveProbe, current: function () { return state.probe; },
                                                step: 0.02, bigStep: 0.1 });
    window.addEventListener("resize", function () { fit(); draw(); });
    fit();
    draw();
    return { model: model, layers: net.layers, state: state, draw: draw, moveProbe: moveProbe,
             newNoise: newNoise, reverse: reverse, setStep: setStep, split: split,
             setSigma: function (value) { state.sigma = value; sigma.input.value = Math.log10(value); state.field = null; return draw(); },
             setPrompt: function (index) { state.prompt = index; changed(); },
             setGuidance: function (value) { state.w = value; guidance.input.value = value; changed(); },
             readout: function () { return readout.textContent; } };
  }

  window.WidgetKit.mount({ // the weights (about 18 KB) load when the reader comes near
    name: "noise-split", selector: ".noise-split[data-model]", list: "noiseSplits", words: WORDS,
    load: function (root) { return window.ManifoldMlp.load(new URL(root.dataset.model, window.WidgetKit.siteBase()).href); },
    build: build,
  });
})();

// The latent explorer: drag a point over the 2-D latent map of the MNIST VAE and watch the
// decoded digit change, with what a simple classifier reads in it and the nearest real
// training digit. Plain JavaScript with widget-kit.js and mlp.js (loaded first). It reads the generator's export
// figures/latent_explorer/mnist_decoder.json (+ .f16.gz weights, + .nearest.png atlas; format in
// README.md). Every element with class "latent-explorer" becomes one.
(function () {
  "use strict";
  var COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                 "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]; // matplotlib tab10
  var WORDS = {
    ko: { map: "잠재공간 지도. 점을 끌거나, 지도를 선택한 뒤 화살표 키(Shift와 함께 누르면 크게)로 움직이세요.",
          digit: "디코딩한 숫자", nearest: "가장 가까운 학습용 숫자", distance: "거리",
          bars: "분류기가 본 숫자별 확률", grid: "디코딩한 격자 보기", play: "9 → 6 → 0 따라가기",
          stop: "멈추기", hint: "점을 끌어 보세요",
          readsAs: function (digit, percent) { return digit + ([0, 3, 6].indexOf(digit) >= 0 ? "으로" : "로") + " 읽힘 (" + percent + "%)"; },
          far: "복원된 실제 숫자들보다 멀리 있음", loading: "디코더를 불러오는 중…",
          failed: "디코더를 불러오지 못했습니다." },
    en: { map: "Latent map. Drag the point, or select the map and use the arrow keys (with Shift for big steps).",
          digit: "Decoded digit", nearest: "Nearest training digit", distance: "distance",
          bars: "What a simple classifier reads", grid: "Show the decoded grid", play: "Follow 9 → 6 → 0",
          stop: "Stop", hint: "Drag the point",
          readsAs: function (digit, percent) { return "reads as " + digit + " (" + percent + "%)"; },
          far: "farther than real digits' copies", loading: "Loading the decoder…",
          failed: "The decoder could not be loaded." },
  };
  var element = window.WidgetKit.element;  // element(tag, className, text): a new DOM node

  // the atlas PNG -> one Float32Array of 784 grey values (0 white … 1 ink) per training digit
  function loadAtlas(url, count, columns) {
    return new Promise(function (resolve, reject) {
      var image = new Image();
      image.onload = function () {
        var canvas = document.createElement("canvas");
        canvas.width = image.width; canvas.height = image.height;
        var context = canvas.getContext("2d");
        context.drawImage(image, 0, 0);
        var data = context.getImageData(0, 0, image.width, image.height).data, digits = [];
        for (var k = 0; k < count; k++) {
          var top = Math.floor(k / columns) * 28, left = (k % columns) * 28, digit = new Float32Array(784);
          for (var p = 0; p < 784; p++) digit[p] = data[4 * ((top + Math.floor(p / 28)) * image.width + left + (p % 28))] / 255;
          digits.push(digit);
        }
        resolve(digits);
      };
      image.onerror = function () { reject(new Error("atlas " + url)); };
      image.src = url;
    });
  }

  // decoder, classifier and nearest training digit, from the exported files
  async function loadModel(url) {
    var net = await window.ManifoldMlp.load(url), d = net.description, c = d.classifier;
    var classify = { weight: net.values.subarray(c.weight_offset, c.weight_offset + c.out * c.in),
                     bias: net.values.subarray(c.bias_offset, c.bias_offset + c.out) };
    var digits = await loadAtlas(new URL(d.nearest.atlas, url).href, d.nearest.count, d.nearest.columns);
    // mirror of Python: generator/figures/latent_explorer.py decode_exported() — tests/widgets/test_latent_explorer.py compares them
    function decode(z) { return window.ManifoldMlp.forward(net.layers, Float32Array.from(z), 1); }
    // softmax(W x + b): the chapter's logistic classifier on the decoded pixels
    var classifier = [{ rows: c.out, cols: c.in, activation: function (v) { return v; },
                        weight: classify.weight, bias: classify.bias }];
    function probabilities(pixels) {
      return window.ManifoldMlp.softmax(window.ManifoldMlp.forward(classifier, pixels, 1));
    }
    function nearest(pixels) { // the closest shipped training digit, by Euclidean distance
      var best = 0, bestSquared = Infinity;
      for (var k = 0; k < digits.length; k++) {
        var squared = 0, digit = digits[k];
        for (var p = 0; p < digit.length; p++) { var diff = pixels[p] - digit[p]; squared += diff * diff; }
        if (squared < bestSquared) { bestSquared = squared; best = k; }
      }
      return { index: best, training_index: d.nearest.training_index[best], distance: Math.sqrt(bestSquared), pixels: digits[best] };
    }
    return { description: d, decode: decode, probabilities: probabilities, nearest: nearest };
  }

  function drawDigit(canvas, pixels) {
    var context = canvas.getContext("2d"), image = context.createImageData(28, 28);
    for (var i = 0; i < 784; i++) {
      var grey = Math.round(255 * (1 - pixels[i])); // ink is dark
      image.data[4 * i] = image.data[4 * i + 1] = image.data[4 * i + 2] = grey;
      image.data[4 * i + 3] = 255;
    }
    context.putImageData(image, 0, 0);
  }

  function build(root, model, words) {
    var map = model.description.map, limit = map.limit, z = map.labels[9].slice(0, 2); // a clear 9
    var controls = element("div", "latent-explorer__controls");
    var play = element("button", "latent-explorer__button pill", "▶ " + words.play);
    play.type = "button";
    var gridLabel = element("label", "latent-explorer__toggle"), gridBox = element("input");
    gridBox.type = "checkbox";
    gridLabel.append(gridBox, document.createTextNode(" " + words.grid));
    controls.append(play, gridLabel);
    var panel = element("div", "latent-explorer__panel");
    var mapBox = element("div", "latent-explorer__mapbox");
    var canvas = element("canvas", "latent-explorer__map");
    canvas.tabIndex = 0;
    canvas.setAttribute("role", "application");
    canvas.setAttribute("aria-label", words.map);
    var hint = element("span", "latent-explorer__hint", words.hint);
    mapBox.append(canvas, hint);
    var output = element("div", "latent-explorer__output");
    var digits = element("div", "latent-explorer__digits");
    function figure(label) {
      var box = element("figure", "latent-explorer__figure"), c = element("canvas", "latent-explorer__digit");
      c.width = c.height = 28;
      c.setAttribute("role", "img");
      c.setAttribute("aria-label", label);
      box.append(c, element("figcaption", "", label));
      digits.appendChild(box);
      return { canvas: c, caption: box.lastChild };
    }
    var decodedBox = figure(words.digit), nearestBox = figure(words.nearest);
    var readout = element("p", "latent-explorer__readout");
    output.append(digits, readout);
    panel.append(mapBox, output);
    var bars = element("div", "latent-explorer__bars");
    bars.setAttribute("aria-label", words.bars);
    var barRows = [];
    for (var d = 0; d < 10; d++) {
      var row = element("div", "latent-explorer__bar"), fill = element("span", "latent-explorer__fill");
      fill.style.background = COLOURS[d];
      var value = element("span", "latent-explorer__value");
      row.append(element("span", "latent-explorer__label", String(d)), element("span", "latent-explorer__track"), value);
      row.children[1].appendChild(fill);
      bars.appendChild(row);
      barRows.push({ fill: fill, value: value });
    }
    root.append(controls, panel, element("p", "latent-explorer__barstitle", words.bars), bars);

    // drawn at the size it is shown, so labels keep their size on a phone
    var size = 300, scale = window.devicePixelRatio || 1, context = canvas.getContext("2d");
    function fit() {
      size = Math.max(160, Math.round(canvas.getBoundingClientRect().width) || 300);
      canvas.width = canvas.height = size * scale;
      gridImage = null;
    }
    function toPixel(value) { return ((value + limit) / (2 * limit)) * size; }
    var gridImage = null; // the decoded grid behind the dots, made when first asked for
    function makeGrid() {
      var cells = 20, cell = size / cells, off = document.createElement("canvas");
      off.width = off.height = size * scale;
      var c = off.getContext("2d"), tile = document.createElement("canvas");
      tile.width = tile.height = 28;
      c.setTransform(scale, 0, 0, scale, 0, 0);
      for (var i = 0; i < cells; i++) for (var j = 0; j < cells; j++) {
        var point = [-limit + (j + 0.5) * 2 * limit / cells, limit - (i + 0.5) * 2 * limit / cells];
        drawDigit(tile, model.decode(point));
        c.drawImage(tile, j * cell, i * cell, cell, cell);
      }
      return off;
    }
    function drawMap() {
      context.setTransform(scale, 0, 0, scale, 0, 0);
      context.clearRect(0, 0, size, size);
      if (gridBox.checked) {
        gridImage = gridImage || makeGrid();
        context.globalAlpha = 0.45;
        context.drawImage(gridImage, 0, 0, size, size);
      }
      map.points.forEach(function (p) {
        context.fillStyle = COLOURS[p[2]];
        context.globalAlpha = 0.5;
        context.fillRect(toPixel(p[0]) - 1.5, size - toPixel(p[1]) - 1.5, 3, 3);
      });
      context.globalAlpha = 1;
      context.font = "13px sans-serif"; // axes: z₁ along the bottom, z₂ up the left side
      function tick(text, x, y, index) { // on a white backing, so it stays readable over the grid
        var width = context.measureText(text).width + (index ? 8 : 0);
        context.fillStyle = "#fff";
        context.fillRect(x - 2, y - 12, width + 4, 16);
        context.fillStyle = "#37474f";
        context.fillText(text, x, y);
        if (index) { // a subscript drawn as a smaller, lowered digit (the ₁ glyph is tiny)
          context.font = "10px sans-serif";
          context.fillText(index, x + width - 7, y + 3);
          context.font = "13px sans-serif";
        }
      }
      for (var t = -Math.ceil(limit) + 1; t < limit; t++) { // inner ticks only: none cut at the edge
        tick(String(t).replace("-", "−"), toPixel(t) - 4, size - 3);
        tick(String(t).replace("-", "−"), 2, size - toPixel(t) + 4);
      }
      tick("z", size - 20, size - 17, "1");
      tick("z", 20, 14, "2");
      context.strokeStyle = "#e4572e"; // the 9 → 6 → 0 path
      context.setLineDash([5, 4]);
      context.lineWidth = 1.5;
      context.beginPath();
      map.path.forEach(function (p, k) { var x = toPixel(p[0]), y = size - toPixel(p[1]); if (k) context.lineTo(x, y); else context.moveTo(x, y); });
      context.stroke();
      context.setLineDash([]);
      var pointX = toPixel(z[0]), pointY = size - toPixel(z[1]);
      map.labels.forEach(function (label) { // each digit's name at the middle of its training codes
        var x = toPixel(label[0]), y = size - toPixel(label[1]);
        // under the reader's point it would be hidden: then it steps aside, above the point
        if (Math.hypot(x - pointX, y - pointY) < 16) y = pointY - 18 < 10 ? pointY + 18 : pointY - 18;
        context.beginPath();
        context.arc(x, y, 8, 0, 2 * Math.PI);
        context.fillStyle = "rgba(255,255,255,0.85)";
        context.fill();
        context.strokeStyle = COLOURS[label[2]];
        context.lineWidth = 1.5;
        context.stroke();
        context.fillStyle = COLOURS[label[2]];
        context.font = "bold 11px sans-serif";
        context.fillText(String(label[2]), x - 3.5, y + 4);
      });
      context.beginPath();
      context.arc(pointX, pointY, 8, 0, 2 * Math.PI);
      context.fillStyle = "#e4572e";
      context.fill();
      context.lineWidth = 2;
      context.strokeStyle = "#fff";
      context.stroke();
    }
    var current = null;
    function render() {
      var pixels = model.decode(z), probabilities = model.probabilities(pixels), near = model.nearest(pixels);
      current = { pixels: pixels, probabilities: probabilities, nearest: near };
      drawDigit(decodedBox.canvas, pixels);
      drawDigit(nearestBox.canvas, near.pixels);
      // red when the decoded image is farther from every training digit than 90% of the VAE's own copies are
      var far = near.distance > map.copy_distance_p90;
      nearestBox.caption.textContent = words.nearest + " (" + words.distance + " " + near.distance.toFixed(1) + (far ? ", " + words.far : "") + ")";
      nearestBox.caption.classList.toggle("latent-explorer__far", far);
      probabilities.forEach(function (p, k) {
        barRows[k].fill.style.width = (100 * p).toFixed(1) + "%";
        barRows[k].value.textContent = Math.round(100 * p) + "%";
      });
      var best = probabilities.indexOf(Math.max.apply(null, probabilities));
      var text = "z = (" + z[0].toFixed(2) + ", " + z[1].toFixed(2) + ") · " + words.readsAs(best, Math.round(100 * probabilities[best]));
      readout.textContent = text;
      canvas.setAttribute("aria-label", words.map + " " + text); // a map is not a slider: no aria-valuetext
      drawMap();
    }
    function setZ(value) {
      z = [Math.max(-limit, Math.min(limit, value[0])), Math.max(-limit, Math.min(limit, value[1]))];
      render();
    }
    function touched() { hint.classList.add("latent-explorer__hint--gone"); }
    window.WidgetKit.pointOnMap(canvas, limit, {
      moveTo: setZ, current: function () { return z; }, step: 0.1, bigStep: 0.5,
      touched: function () { stopPlaying(); touched(); },
    });
    gridBox.addEventListener("change", drawMap);
    window.addEventListener("resize", function () { fit(); drawMap(); });
    var playing = null;
    function stopPlaying() {
      if (playing) clearTimeout(playing);
      playing = null;
      play.textContent = "▶ " + words.play;
    }
    play.addEventListener("click", function () { // walk the path in about four seconds
      if (playing) { stopPlaying(); return; }
      touched();
      play.textContent = "■ " + words.stop;
      var started = performance.now(), path = map.path;
      function frame(now) {
        var s = Math.min(1, (now - started) / 4000) * (path.length - 1), k = Math.min(path.length - 2, Math.floor(s)), f = s - k;
        setZ([path[k][0] + f * (path[k + 1][0] - path[k][0]), path[k][1] + f * (path[k + 1][1] - path[k][1])]);
        // a timer, not requestAnimationFrame: the walk ends on time even where frames are starved
        if (s < path.length - 1) playing = setTimeout(function () { frame(performance.now()); }, 16); else stopPlaying();
      }
      playing = setTimeout(function () { frame(performance.now()); }, 16);
    });
    fit();
    setZ(z);
    return { decode: model.decode, probabilities: model.probabilities, nearest: model.nearest,
             setZ: setZ, getZ: function () { return z.slice(); }, current: function () { return current; },
             playing: function () { return playing !== null; },
             pixels: function () { return Array.from(decodedBox.canvas.getContext("2d").getImageData(0, 0, 28, 28).data); } };
  }

  window.WidgetKit.mount({ // fetch the ~1 MB of weights once, when the reader comes near
    name: "latent-explorer", selector: ".latent-explorer[data-decoder]", list: "latentExplorers", words: WORDS,
    load: function (root) { return loadModel(new URL(root.dataset.decoder, window.WidgetKit.siteBase()).href); },
    build: build,
  });
})();

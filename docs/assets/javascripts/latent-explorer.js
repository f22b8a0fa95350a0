// The latent explorer: drag a point over the 2-D latent map of the MNIST VAE and watch the
// decoded digit change. Plain JavaScript, no framework: it reads the decoder that the
// generator exports (figures/latent_explorer/mnist_decoder.json + .f16.gz; format in README.md)
// and runs the forward pass itself (with mlp.js, which must load first). Every element with
// class "latent-explorer" becomes one.
(function () {
  "use strict";
  var COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                 "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]; // matplotlib tab10
  var WORDS = {
    ko: { map: "잠재공간 지도: 점을 끌거나 화살표 키로 움직이세요", digit: "디코딩한 숫자",
          loading: "디코더를 불러오는 중…", failed: "디코더를 불러오지 못했습니다." },
    en: { map: "Latent map: drag the point or use the arrow keys", digit: "Decoded digit",
          loading: "Loading the decoder…", failed: "The decoder could not be loaded." },
  };
  window.latentExplorers = window.latentExplorers || [];

  // the decoder, loaded with mlp.js; decode(z) returns 784 pixel probabilities
  async function loadDecoder(url) {
    var model = await window.ManifoldMlp.load(url);
    return { description: model.description,
             decode: function (z) { return window.ManifoldMlp.forward(model.layers, Float32Array.from(z), 1); } };
  }

  function setUp(root) {
    var words = WORDS[document.documentElement.lang] || WORDS.en;
    var status = document.createElement("p");
    status.className = "latent-explorer__status";
    status.textContent = words.loading;
    root.appendChild(status);
    var started = null;
    // load(): fetch the ~1 MB of weights once, build the explorer, resolve with its controls
    function load() {
      if (!started) {
        started = loadDecoder(new URL(root.dataset.decoder, window.ManifoldMlp.siteBase()).href).then(function (decoder) {
          status.remove();
          return build(root, decoder, words);
        }).catch(function (error) {
          status.textContent = words.failed + " (" + error + ")";
          throw error;
        });
      }
      return started;
    }
    window.ManifoldMlp.whenNear(root, load);
    window.latentExplorers.push({ element: root, load: load });
  }

  function build(root, decoder, words) {
    var limit = decoder.description.map.limit, points = decoder.description.map.points;
    var z = [0, 0];
    var panel = document.createElement("div");
    panel.className = "latent-explorer__panel";
    var map = document.createElement("canvas");
    map.className = "latent-explorer__map";
    map.tabIndex = 0;
    map.setAttribute("role", "slider");
    map.setAttribute("aria-label", words.map);
    var digit = document.createElement("canvas");
    digit.className = "latent-explorer__digit";
    digit.width = digit.height = 28;
    digit.setAttribute("role", "img");
    digit.setAttribute("aria-label", words.digit);
    var readout = document.createElement("p");
    readout.className = "latent-explorer__readout";
    var right = document.createElement("div");
    right.className = "latent-explorer__output";
    right.append(digit, readout);
    panel.append(map, right);
    root.appendChild(panel);

    var size = 300, scale = window.devicePixelRatio || 1;
    map.width = map.height = size * scale;
    var context = map.getContext("2d");
    function toPixel(value) { return ((value + limit) / (2 * limit)) * size; }
    function drawMap() {
      context.setTransform(scale, 0, 0, scale, 0, 0);
      context.clearRect(0, 0, size, size);
      points.forEach(function (p) {
        context.fillStyle = COLOURS[p[2]];
        context.globalAlpha = 0.55;
        context.fillRect(toPixel(p[0]) - 1.5, size - toPixel(p[1]) - 1.5, 3, 3);
      });
      context.globalAlpha = 1;
      context.beginPath();
      context.arc(toPixel(z[0]), size - toPixel(z[1]), 8, 0, 2 * Math.PI);
      context.fillStyle = "#e4572e";
      context.fill();
      context.lineWidth = 2;
      context.strokeStyle = "#fff";
      context.stroke();
    }
    var pixels = digit.getContext("2d"), image = pixels.createImageData(28, 28);
    function render() {
      var probabilities = decoder.decode(z);
      for (var i = 0; i < 784; i++) {
        var grey = Math.round(255 * (1 - probabilities[i])); // ink is dark
        image.data[4 * i] = image.data[4 * i + 1] = image.data[4 * i + 2] = grey;
        image.data[4 * i + 3] = 255;
      }
      pixels.putImageData(image, 0, 0);
      var text = "z = (" + z[0].toFixed(2) + ", " + z[1].toFixed(2) + ")";
      readout.textContent = text;
      map.setAttribute("aria-valuetext", text);
      drawMap();
    }
    function setZ(value) {
      z = [Math.max(-limit, Math.min(limit, value[0])), Math.max(-limit, Math.min(limit, value[1]))];
      render();
    }
    function fromEvent(event) {
      var box = map.getBoundingClientRect();
      setZ([((event.clientX - box.left) / box.width) * 2 * limit - limit,
            limit - ((event.clientY - box.top) / box.height) * 2 * limit]);
    }
    map.addEventListener("pointerdown", function (event) {
      map.setPointerCapture(event.pointerId);
      fromEvent(event);
      map.focus({ preventScroll: true }); // scrolling now would move the map under the finger
    });
    map.addEventListener("pointermove", function (event) {
      if (map.hasPointerCapture(event.pointerId)) fromEvent(event);
    });
    map.addEventListener("keydown", function (event) {
      var step = event.shiftKey ? 0.5 : 0.1;
      var moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
      if (!moves[event.key]) return;
      event.preventDefault();
      setZ([z[0] + moves[event.key][0], z[1] + moves[event.key][1]]);
    });
    setZ([0, 0]);
    return { decode: decoder.decode, setZ: setZ, getZ: function () { return z.slice(); },
             pixels: function () { return Array.from(pixels.getImageData(0, 0, 28, 28).data); } };
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".latent-explorer[data-decoder]").forEach(setUp);
  });
})();

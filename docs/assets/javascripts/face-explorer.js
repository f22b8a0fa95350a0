// The face explorer: one slider per named axis of the faces VAE's latent space, and the face
// its decoder draws, decoded live in plain JavaScript (widget-kit.js sets it up, mlp.js loads
// the weights). It reads the generator's export figures/face_explorer/face_decoder.json
// (+ .f16.gz): a linear layer from the latent code to a 4×4 image of many channels, then
// transposed convolutions that double the size each time (4 → 8 → 16 → 32 → 64), a sigmoid at
// the end. Every element with class "face-explorer" becomes one.
(function () {
  "use strict";
  var WORDS = {
    ko: { reset: "처음 얼굴로", random: "다른 얼굴", loading: "디코더를 불러오는 중…",
          failed: "디코더를 불러오지 못했습니다.", face: "디코더가 그린 얼굴" },
    en: { reset: "Reset", random: "Another face", loading: "Loading the decoder…",
          failed: "The decoder could not be loaded.", face: "The face the decoder draws" },
  };
  var TICKS = [0, 0.3, 0.5, 0.8, 1];
  var element = window.WidgetKit.element;  // element(tag, className, text): a new DOM node

  // ConvTranspose2d(kernel 4, stride 2, padding 1): every input pixel spreads over a 4×4
  // patch of the output, twice as large: y[o, 2i−1+a, 2j−1+b] += w[c, o, a, b] · x[c, i, j]
  function convTranspose(x, layer, size) {
    var cin = layer.in, cout = layer.out, out = 2 * size, area = out * out;
    var y = new Float32Array(cout * area), w = layer.weight;
    for (var o = 0; o < cout; o++) y.fill(layer.bias[o], o * area, (o + 1) * area);
    for (var c = 0; c < cin; c++) {
      for (var i = 0; i < size; i++) for (var j = 0; j < size; j++) {
        var v = x[(c * size + i) * size + j];
        if (v === 0) continue;
        for (o = 0; o < cout; o++) {
          var base = (c * cout + o) * 16, plane = o * area;
          for (var a = 0; a < 4; a++) {
            var row = 2 * i - 1 + a;
            if (row < 0 || row >= out) continue;
            for (var b = 0; b < 4; b++) {
              var col = 2 * j - 1 + b;
              if (col >= 0 && col < out) y[plane + row * out + col] += w[base + a * 4 + b] * v;
            }
          }
        }
      }
    }
    return y;
  }

  async function loadDecoder(url) {
    var net = await window.ManifoldMlp.load(url), d = net.description, values = net.values;
    var convolutions = d.convolutions.map(function (layer) {
      return { in: layer.in, out: layer.out, activation: layer.activation,
               weight: values.subarray(layer.weight_offset, layer.weight_offset + layer.in * layer.out * 16),
               bias: values.subarray(layer.bias_offset, layer.bias_offset + layer.out) };
    });
    // z -> (side, side, 3) pixels in [0, 1], channel last
    // mirror of Python: generator/figures/face_explorer.py decode_exported() — tests/widgets/test_face_explorer.py compares them
    function decode(z) {
      var x = window.ManifoldMlp.forward(net.layers, Float32Array.from(z), 1), size = d.start_size;
      convolutions.forEach(function (layer) {
        x = convTranspose(x, layer, size);
        size *= 2;
        window.ManifoldMlp.activateAll(layer.activation, x);
      });
      var area = size * size, pixels = new Float32Array(area * 3);
      for (var p = 0; p < area; p++) for (var c = 0; c < 3; c++) pixels[3 * p + c] = x[c * area + p];
      return pixels;
    }
    return { description: d, decode: decode };
  }

  function build(root, model, words, lang) {
    var d = model.description, faces = d.faces, which = 0;
    var z = faces[0].slice(); // a held-out face's code: the named axes first, then the free ones
    var panel = element("div", "face-explorer__panel");
    var canvas = element("canvas", "face-explorer__face");
    canvas.width = canvas.height = d.side;
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", words.face);
    var sliders = element("div", "face-explorer__sliders"), inputs = [];
    var ticks = element("datalist");
    ticks.id = "face-explorer-ticks-" + document.querySelectorAll(".face-explorer datalist").length;
    TICKS.forEach(function (t) { var option = element("option"); option.value = t; ticks.appendChild(option); });
    sliders.appendChild(ticks);
    d.factors.forEach(function (factor, k) {
      var label = element("label", "face-explorer__slider"), name = element("span", "face-explorer__name", factor[lang]);
      var input = element("input"), value = element("output", "face-explorer__value");
      input.type = "range"; input.min = 0; input.max = 1; input.step = 0.01;
      input.setAttribute("list", ticks.id);
      input.addEventListener("input", function () {
        // the axis holds the factor scaled to unit variance: z_k = (v − ½)·√12
        z[k] = (Number(input.value) - 0.5) * d.scale;
        render();
      });
      label.append(name, input, value);
      sliders.appendChild(label);
      inputs.push({ input: input, value: value });
    });
    var buttons = element("div", "face-explorer__buttons");
    var reset = element("button", "face-explorer__button pill", words.reset), random = element("button", "face-explorer__button pill", words.random);
    reset.type = random.type = "button";
    reset.addEventListener("click", function () { z = faces[which].slice(); render(); });
    random.addEventListener("click", function () { which = (which + 1) % faces.length; z = faces[which].slice(); render(); });
    buttons.append(reset, random);
    var figure = element("div", "face-explorer__figure");
    figure.append(canvas);
    panel.append(figure, sliders);
    root.append(panel, buttons);

    var context = canvas.getContext("2d"), image = context.createImageData(d.side, d.side);
    function render() {
      var pixels = model.decode(z);
      for (var p = 0; p < d.side * d.side; p++) {
        for (var c = 0; c < 3; c++) image.data[4 * p + c] = Math.round(255 * pixels[3 * p + c]);
        image.data[4 * p + 3] = 255;
      }
      context.putImageData(image, 0, 0);
      inputs.forEach(function (slider, k) {
        var v = Math.min(1, Math.max(0, z[k] / d.scale + 0.5));
        slider.input.value = v.toFixed(2);
        slider.value.textContent = v.toFixed(2);
      });
    }
    render();
    return { decode: model.decode, setZ: function (value) { z = value.slice(); render(); },
             getZ: function () { return z.slice(); } };
  }

  window.WidgetKit.mount({
    name: "face-explorer", selector: ".face-explorer[data-decoder]", list: "faceExplorers", words: WORDS,
    load: function (root) { return loadDecoder(new URL(root.dataset.decoder, window.WidgetKit.siteBase()).href); },
    build: build,
  });
})();

// The k slider of the intrinsic-dimension chapter: the spiral of the diffusion chapter, one
// point and its k nearest neighbours, and the Levina–Bickel estimate at that k, at that point
// and over all points. Everything is precomputed by the generator
// (figures/intrinsic_dimension/intrinsic_widget.json); this only draws. Uses widget-kit.js for
// its set-up. Every element with class "intrinsic-widget" becomes one.
(function () {
  "use strict";
  var WORDS = {
    ko: { k: "이웃의 수 k", local: "이 점에서 잰 차원", overall: "모든 점의 평균", loading: "데이터를 불러오는 중…",
          failed: "데이터를 불러오지 못했습니다.",
          map: "나선 위의 점들. 주황색 점과, 그 점에서 가장 가까운 k개의 이웃(진한 점)과 그들이 든 원." },
    en: { k: "neighbours k", local: "dimension measured at this point", overall: "average over all points",
          loading: "Loading the data…", failed: "The data could not be loaded.",
          map: "Points on the spiral. The orange point, its k nearest neighbours (dark) and the circle that holds them." },
  };
  var element = window.WidgetKit.element;  // element(tag, className, text): a new DOM node

  function build(root, data, words) {
    var canvas = element("canvas", "intrinsic-widget__map");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", words.map);
    var label = element("label", "intrinsic-widget__slider"), input = element("input"), shown = element("output");
    input.type = "range";
    input.min = data.k[0]; input.max = data.k[data.k.length - 1]; input.step = 1; input.value = 10;
    label.append(element("span", "", words.k), input, shown);
    var readout = element("p", "intrinsic-widget__readout");
    readout.setAttribute("aria-live", "polite");
    root.append(canvas, label, readout);
    var xs = data.points.map(function (p) { return p[0]; }), ys = data.points.map(function (p) { return p[1]; });
    // the view holds every point and the largest circle (k = 50) around the orange point
    var centre0 = data.points[data.chosen], widest = Math.max.apply(null, data.radius) + 0.05;
    var low = Math.min(Math.min.apply(null, xs), Math.min.apply(null, ys), centre0[0] - widest, centre0[1] - widest) - 0.05;
    var high = Math.max(Math.max.apply(null, xs), Math.max.apply(null, ys), centre0[0] + widest, centre0[1] + widest) + 0.05;
    var context = canvas.getContext("2d"), size = 300, scale = window.devicePixelRatio || 1;
    function fit() {
      size = Math.max(200, Math.round(canvas.getBoundingClientRect().width) || 300);
      canvas.width = canvas.height = size * scale;
    }
    // data units -> canvas pixels through a frame: the whole view, or the lens around the point
    var frame = { low: low, high: high, left: 0, top: 0, side: 0 };
    function px(p) {
      var side = frame.side || size;
      return [frame.left + (p[0] - frame.low) / (frame.high - frame.low) * side,
              frame.top + side - (p[1] - frame.lowY) / (frame.high - frame.low) * side];
    }
    function scene(k, index, centre, dotRadius) { // the points, the k neighbours, their circle, the point
      context.fillStyle = "#b0bec5";
      data.points.forEach(function (p) { var a = px(p); context.fillRect(a[0] - 1.5, a[1] - 1.5, 3, 3); });
      context.fillStyle = "#263238";
      data.neighbours.slice(0, k).forEach(function (i) {
        var a = px(data.points[i]);
        context.beginPath(); context.arc(a[0], a[1], 3, 0, 2 * Math.PI); context.fill();
      });
      var c = px(centre), radius = data.radius[index] / (frame.high - frame.low) * (frame.side || size);
      context.fillStyle = "#e4572e";
      context.beginPath(); context.arc(c[0], c[1], dotRadius, 0, 2 * Math.PI); context.fill();
      // the circle through the k-th neighbour (the neighbourhood the estimate looks at), over the dot
      context.strokeStyle = "#e4572e"; context.lineWidth = 1.5;
      context.beginPath(); context.arc(c[0], c[1], radius, 0, 2 * Math.PI); context.stroke();
      return radius;
    }
    function draw() {
      var k = Number(input.value), index = data.k.indexOf(k), centre = data.points[data.chosen];
      context.setTransform(scale, 0, 0, scale, 0, 0);
      context.clearRect(0, 0, size, size);
      frame = { low: low, high: high, lowY: low, left: 0, top: 0, side: 0 };
      var radius = scene(k, index, centre, 4);
      lens = null;
      if (radius < 24) { // too small to see: the same neighbourhood magnified in a corner lens
        var side = Math.round(size * 0.4), half = data.radius[index] * 2.2, c = px(centre);
        var left = c[0] > size / 2 ? 4 : size - side - 4, top = c[1] > size / 2 ? 4 : size - side - 4;
        frame = { low: centre[0] - half, high: centre[0] + half, lowY: centre[1] - half, left: left, top: top, side: side };
        context.save();
        context.beginPath(); context.rect(left, top, side, side); context.clip();
        context.fillStyle = "#fff"; context.fillRect(left, top, side, side);
        scene(k, index, centre, 3);
        context.restore();
        context.strokeStyle = "#263238"; context.lineWidth = 1;
        context.strokeRect(left + 0.5, top + 0.5, side - 1, side - 1);
        context.fillStyle = "#263238"; context.font = "12px sans-serif";
        lens = { zoom: Math.round((high - low) / (2 * half)), left: left, top: top, side: side };
        context.fillText("×" + lens.zoom, left + 4, top + side - 5);
      }
      shown.textContent = String(k);
      readout.textContent = words.local + ": " + data.local[index].toFixed(2) + " · " + words.overall + ": " + data.overall[index].toFixed(2);
    }
    var lens = null;
    input.addEventListener("input", draw);
    window.addEventListener("resize", function () { fit(); draw(); });
    fit();
    draw();
    return { setK: function (k) { input.value = k; draw(); }, readout: function () { return readout.textContent; },
             lens: function () { return lens; } };
  }

  window.WidgetKit.mount({
    name: "intrinsic-widget", selector: ".intrinsic-widget[data-source]", list: "intrinsicWidgets", words: WORDS,
    load: function (root) {
      return fetch(new URL(root.dataset.source, window.WidgetKit.siteBase()).href)
        .then(function (response) { return response.json(); });
    },
    build: build,
  });
})();

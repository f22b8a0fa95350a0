// The Web Worker that trains the reader's denoiser (docs/assets/javascripts/draw-train.js starts
// it): the page stays responsive because every step, every arrow of the field and every sample
// is computed here. Messages in: { type: "train", data, labels, seed, config } starts afresh on
// new data (labels: each point's colour, or null for one colour); "pause", "resume"; "field"
// { sigma, label } asks for the arrows at one noise level (for one colour); "sample" { n, steps,
// seed, label, weight } asks for a cloud flowing onto the data (guided toward one colour).
// Messages out: "progress" { step, losses, field }, "samples" { path, score, label }.
/* global importScripts, TrainCore */
importScripts("widget-kit.js", "train-core.js"); // the seeded generator, then the trainer

var run = null;   // { layers, averaged, moments, data, m, rng, config, step, losses, running }
var FIELD = 15;   // arrows per side of the field
var CHUNK_MS = 40; // train this long between looks at the message queue

function field(sigma) {
  // the averaged denoiser's move D(x; σ) − x at a FIELD × FIELD grid over the drawing's square
  var limit = run.config.limit, n = FIELD * FIELD, x = new Float64Array(2 * n), s = new Float64Array(n).fill(sigma);
  for (var i = 0; i < FIELD; i++) for (var j = 0; j < FIELD; j++) {
    var k = i * FIELD + j;
    x[2 * k] = -limit + (j + 0.5) * 2 * limit / FIELD;
    x[2 * k + 1] = limit - (i + 0.5) * 2 * limit / FIELD;
  }
  var labels = run.config.conditions ? new Int32Array(n).fill(run.fieldLabel) : null;
  var guess = TrainCore.denoise(run.averaged, x, s, n, run.config, labels), moves = new Float32Array(2 * n);
  for (var q = 0; q < 2 * n; q++) moves[q] = guess[q] - x[q];
  return { points: Float32Array.from(x), moves: moves };
}

function report() {
  self.postMessage({ type: "progress", step: run.step, losses: run.losses.slice(), running: run.running,
                     field: field(run.fieldSigma) });
}

function train() {
  if (!run || !run.running) return;
  var started = performance.now(), total = 0, count = 0;
  while (performance.now() - started < CHUNK_MS && run.step < run.config.maxSteps) {
    var b = TrainCore.batch(run.data, run.m, run.config.batch, run.rng, run.config, run.labels);
    total += TrainCore.trainStep(run.layers, run.moments, b.x0, b.sigma, b.noise, run.config.batch, run.config, b.labels);
    run.averaged = TrainCore.average(run.averaged, run.layers, run.config.averageDecay);
    run.step++; count++;
  }
  if (count) run.losses.push([run.step, total / count]);
  if (run.losses.length > 400) run.losses = run.losses.filter(function (_, i) { return i % 2 === 0; });
  if (run.step >= run.config.maxSteps) run.running = false;
  if (performance.now() - (run.reported || 0) > 250 || !run.running) { report(); run.reported = performance.now(); }
  setTimeout(train, 0); // let a waiting message ("pause", "sample") in between chunks
}

self.onmessage = function (event) {
  var message = event.data;
  if (message.type === "train") {
    var config = message.config, rng = TrainCore.random(message.seed);
    var sizes = [2 + 2 * config.frequencies + (config.conditions || 0)].concat(new Array(config.layers).fill(config.hidden), [2]);
    var layers = TrainCore.createNetwork(sizes, rng);
    run = { layers: layers, averaged: TrainCore.average(null, layers), moments: {}, data: Float64Array.from(message.data),
            m: message.data.length / 2, rng: rng, config: config, step: 0, losses: [], running: true,
            labels: message.labels ? Int32Array.from(message.labels) : null,
            fieldSigma: config.fieldSigma, fieldLabel: config.conditions ? config.conditions - 1 : 0 };
    train();
  } else if (!run) {
    return;
  } else if (message.type === "pause") {
    run.running = false; report();
  } else if (message.type === "resume") {
    if (!run.running && run.step < run.config.maxSteps) { run.running = true; train(); }
  } else if (message.type === "field") {
    run.fieldSigma = message.sigma;
    if (message.label !== undefined && run.config.conditions) run.fieldLabel = message.label;
    report();
  } else if (message.type === "sample") {
    var label = run.config.conditions ? message.label : undefined;
    var path = TrainCore.sample(run.averaged, message.n, message.steps, TrainCore.random(message.seed), run.config,
                                label, message.weight || 0);
    var last = path[path.length - 1], target = run.data;
    if (label !== undefined) { // the score against the points of the asked colour only
      var mine = [];
      for (var i = 0; i < run.m; i++) if (run.labels[i] === label) mine.push(run.data[2 * i], run.data[2 * i + 1]);
      target = Float64Array.from(mine);
    }
    self.postMessage({ type: "samples", step: run.step, label: label, path: path.map(function (p) { return Float32Array.from(p); }),
                       score: TrainCore.meanNearest(last, target) });
  }
};

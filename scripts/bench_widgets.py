"""How fast the conditional chapter's widgets answer, in Chromium at 1× and at Lighthouse's 4×
CPU slowdown (what a mid-range phone feels like).

Usage: .venv/bin/python scripts/bench_widgets.py [--runs N]
Builds the site into a temporary folder, serves it (served_site.py) and, for each slowdown,
prints the fastest, median and slowest of N runs of:
- noise-split, new σ: a whole redraw, the field of 121 arrows computed again (guidance on);
- noise-split, drag: a redraw after the point moved (the field kept);
- noise-split, replay: the whole reverse process of 120 points (18 noise-free steps);
- noise-split, one step: what the replay does between two frames (a step, the field, a redraw);
- playground, sampler: the prompt playground's 36 samples through all its steps, nothing drawn;
- playground, generation: from pressing "generate" to the last frame of the animation.
Times are the page's own (performance.now around the work); they depend on the machine, so
they are measurements to compare, not facts of the model.
"""
from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from served_site import served_site  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
MEASURE = """(runs) => window.noiseSplits[0].load().then(i => {
  const sigma = [], drag = [], replay = [], step = [];
  i.setGuidance(2);
  for (let k = 0; k < runs; k++) {
    sigma.push(i.setSigma(0.03 + 0.04 * k));
    const started = performance.now(); i.moveProbe([0.5 + 0.01 * k, 0.3]); drag.push(performance.now() - started);
  }
  const last = i.model.description.sampler.steps;
  i.reverse();
  for (let k = 0; k < last; k++) { const s = performance.now(); i.setStep(k + 1); step.push(performance.now() - s); }
  for (let k = 0; k < Math.min(runs, 5); k++) {
    const s = performance.now(); i.reverse().upTo(last); replay.push(performance.now() - s);
  }
  return {sigma, drag, replay, step};
})"""


PLAYGROUND = """(runs) => window.promptPlaygrounds[0].load().then(async p => {
  const sampler = [], generation = [], m = p.model, start = p.noise(1, 36, m.sigmaMax);
  for (let k = 0; k < Math.min(runs, 5); k++) {
    const s = performance.now(); m.sample(start, 36, p.state.condition, 2); sampler.push(performance.now() - s);
  }
  for (let k = 0; k < Math.min(runs, 3); k++) {
    p.seed.value = String(k + 2);
    const s = performance.now();
    p.generate();
    while (!p.done()) await new Promise(r => setTimeout(r, 5));
    generation.push(performance.now() - s);
  }
  return {sampler, generation};
})"""


def line(name: str, times: list[float]) -> str:
    return (f"  {name:<22} fastest {min(times):7.1f} ms   median {statistics.median(times):7.1f} ms"
            f"   slowest {max(times):7.1f} ms   ({len(times)} runs)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with served_site() as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for slowdown in (1, 4):
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.goto(base + "conditional/")
            page.wait_for_function("window.noiseSplits && window.noiseSplits.length === 1")
            page.evaluate("window.noiseSplits[0].load().then(() => true)")
            page.evaluate("window.promptPlaygrounds[0].load().then(() => true)")
            page.bring_to_front()  # animation frames run only in the page in front
            cdp = page.context.new_cdp_session(page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": slowdown})
            found = page.evaluate(MEASURE, args.runs)
            print(f"Chromium, CPU slowdown {slowdown}×:")
            print(line("noise-split, new σ", found["sigma"]))
            print(line("noise-split, drag", found["drag"]))
            print(line("noise-split, replay", found["replay"]))
            print(line("noise-split, one step", found["step"]))
            page.wait_for_function("window.promptPlaygrounds[0].instance && window.promptPlaygrounds[0].instance.done()")
            found = page.evaluate(PLAYGROUND, args.runs)
            print(line("playground, sampler", found["sampler"]))
            print(line("playground, generation", found["generation"]))
            page.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How well and how fast the diffusion chapter's draw-your-own-data widget learns, in Chromium:
for each preset, train in the page's Web Worker for a fixed time, then sample, and compare the
samples' mean distance to the data with the data's own floor (fresh points of the same preset
against the data: the chapter's real-vs-real baseline). Also the longest main-thread task seen
while training (a page that stays responsive has none over 50 ms).

    python scripts/bench_draw_train.py                 # 20 s at full speed, 60 s at 4× slowdown
    python scripts/bench_draw_train.py --seconds 20 --slowdown 1

The time budgets are the issue's; the steps reached in them depend on the machine, the scores
at a given step do not.
"""
from __future__ import annotations

import argparse
import time

from served_site import served_site

PRESETS = ("spiral", "moons", "ring", "letter")
W = "window.drawTrains[0].instance"


def measure(page, preset: str, seconds: float) -> dict:
    page.evaluate(f"{W}.preset('{preset}')")
    page.evaluate("""() => { window.longest = 0; if (!window.watching) { window.watching = true;
        new PerformanceObserver(l => l.getEntries().forEach(e => { window.longest = Math.max(window.longest, e.duration); }))
            .observe({entryTypes: ['longtask']}); } }""")
    page.evaluate(f"{W}.start()")
    time.sleep(seconds)
    step = page.evaluate(f"{W}.state.step")
    page.evaluate(f"{W}.worker.postMessage({{type: 'pause'}})")
    page.evaluate(f"{W}.state.score = undefined; {W}.sample()")
    page.wait_for_function(f"{W}.state.score !== undefined", timeout=300_000)
    return page.evaluate(f"""() => {{
        // (a two-coloured preset was sampled in its first colour: the floor is that colour's)
        const mine = points => points.filter(p => {W}.state.sampled === undefined || p[2] === {W}.state.sampled)
            .map(p => [p[0], p[1]]).flat();
        const fresh = mine({W}.presetPoints('{preset}', 600, 12345)), data = mine({W}.state.points);
        return {{step: {step}, score: {W}.state.score, longest: window.longest,
                 floor: window.TrainCore.meanNearest(Float64Array.from(fresh), Float64Array.from(data))}};
    }}""")


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, nargs="*", default=[20, 60])
    parser.add_argument("--slowdown", type=float, nargs="*", default=[1, 4])
    options = parser.parse_args()
    print("| preset | CPU | seconds | steps | samples' distance | floor | ratio | longest main-thread task |")
    print("|---|---|---|---|---|---|---|---|")
    with served_site() as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        for slowdown, seconds in zip(options.slowdown, options.seconds):
            for preset in PRESETS:
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.goto(base + "en/diffusion/")
                page.wait_for_function("window.drawTrains && window.drawTrains.length === 1")
                page.evaluate("window.drawTrains[0].load().then(() => true)")
                page.context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": slowdown})
                r = measure(page, preset, seconds)
                print(f"| {preset} | {slowdown:g}× | {seconds:g} | {r['step']:,} | {r['score']:.4f} | {r['floor']:.4f} "
                      f"| {r['score'] / r['floor']:.2f} | {r['longest']:.0f} ms |", flush=True)
                page.close()
        browser.close()


if __name__ == "__main__":
    main()

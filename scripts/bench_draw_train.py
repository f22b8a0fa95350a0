"""How well and how fast the diffusion chapter's draw-your-own-data widget learns, in Chromium:
for each preset, train in the page's Web Worker for a fixed time, then sample, and compare the
samples' mean distance to the data with the data's own floor (fresh points of the same preset
against the data: the chapter's real-vs-real baseline). Also the longest main-thread task seen
while training (a page that stays responsive has none over 50 ms).

    python scripts/bench_draw_train.py                 # 20 s at full speed, 60 s at 4× slowdown
    python scripts/bench_draw_train.py --seconds 20 --slowdown 1

A slowdown of 4 gives the page's renderer processes a quarter of a core with Debian's cpulimit
(`apt install cpulimit`), the training worker included; without it, DevTools' throttling slows
the main thread only (as Lighthouse's does), and the worker trains at full speed.

The time budgets are the issue's; the steps reached in them depend on the machine, the scores
at a given step do not.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
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


def our_renderers() -> list[int]:
    """The pids of the Chromium renderer processes this script started (its descendants)."""
    def parent(pid: str) -> str:
        return open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[1]

    found, me = [], str(os.getpid())
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if "--type=renderer" not in open(f"/proc/{pid}/cmdline").read():
                continue
            ancestor = pid
            while ancestor not in ("0", "1", me):
                ancestor = parent(ancestor)
            if ancestor == me:
                found.append(int(pid))
        except OSError:
            continue  # it ended meanwhile
    return found


def slow_down(page, slowdown: float) -> list:
    """A CPU `slowdown` times slower for the page, its Web Worker included. Lighthouse's CPU
    throttling (DevTools' Emulation.setCPUThrottlingRate) slows only the page's main thread,
    not the worker that trains; so with Debian's cpulimit at hand, every renderer process of
    this browser gets 1/slowdown of a core instead (all its threads, the worker's too)."""
    if slowdown == 1:
        return []
    if shutil.which("cpulimit") is None:
        print(f"(no cpulimit: {slowdown:g}× slows the main thread only, not the training worker; "
              "apt install cpulimit)", flush=True)
        page.context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": slowdown})
        return []
    print("(cpulimit stops and resumes the whole process in turns: a main-thread task's wall time "
          "below then includes those stops; the test measures the task's work at full speed)", flush=True)
    return [subprocess.Popen(["cpulimit", "-q", "-l", f"{100 / slowdown:.0f}", "-p", str(pid)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for pid in our_renderers()]


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
                limits = slow_down(page, slowdown)
                r = measure(page, preset, seconds)
                for limit in limits:
                    limit.terminate()
                print(f"| {preset} | {slowdown:g}× | {seconds:g} | {r['step']:,} | {r['score']:.4f} | {r['floor']:.4f} "
                      f"| {r['score'] / r['floor']:.2f} | {r['longest']:.0f} ms |", flush=True)
                page.close()
        browser.close()


if __name__ == "__main__":
    main()

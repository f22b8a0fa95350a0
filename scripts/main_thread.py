"""The longest task on a page's main thread, read from a Chromium performance trace.

    browser.start_tracing(page=page, categories=CATEGORIES)
    ...  # what the page should do without blocking its reader
    wall, cpu = longest_task(browser.stop_tracing())

A task is one "RunTask" event on the renderer's main thread ("CrRendererMain"). Its wall time
(`dur`) is what a reader waits; its thread time (`tdur`) is the work it did. On a busy machine
(tests running side by side) the two part: the thread waits for a core and the wall time grows,
while the work stays what the page asked for. Both in milliseconds.
"""
from __future__ import annotations

import json

CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline"]


def longest_task(trace: bytes) -> tuple[float, float]:
    """(longest wall time, longest thread time) of the main thread's tasks, in ms."""
    events = json.loads(trace)["traceEvents"]
    main = {(e["pid"], e["tid"]) for e in events
            if e.get("ph") == "M" and e.get("name") == "thread_name" and e["args"].get("name") == "CrRendererMain"}
    tasks = [e for e in events if e.get("ph") == "X" and e.get("name") == "RunTask" and (e["pid"], e["tid"]) in main]
    if not tasks:
        raise ValueError("the trace holds no main-thread task: start tracing with page=… and CATEGORIES")
    if not any("tdur" in e for e in tasks):
        raise ValueError("the trace has no thread times: add 'disabled-by-default-devtools.timeline'")
    return (max(e["dur"] for e in tasks) / 1000, max(e.get("tdur", 0) for e in tasks) / 1000)

"""Every piece of Python that a widget's JavaScript repeats is marked at both ends, and each
pair names the test that compares them. Editing one end without the other then shows up twice:
the marker points at the twin to fix, and the named test fails if they drift apart."""
import re

from shared import ROOT

JS = ROOT / "docs" / "assets" / "javascripts"
MIRROR_OF = re.compile(r"// mirror of Python: (\S+) (\w+)\(\) — (\S+) compares them\n\s*(?:async )?function (\w+)\(")
MIRRORED_IN = re.compile(r"# mirrored in JS: (\S+) (\w+)\(\) — (\S+) compares them\ndef (\w+)\(")
# the twins the site has today: a new widget adds its own, and a removed marker fails here
EXPECTED = {("generator/pipelines/prompts.py", "parse_prompt"), ("generator/networks/export.py", "forward"),
            ("generator/networks/export.py", "edm_denoise"),
            ("generator/figures/conditional_playground.py", "sample_exported"),
            ("generator/figures/latent_explorer.py", "decode_exported"),
            ("generator/figures/face_explorer.py", "decode_exported"),
            ("generator/networks/live_training.py", "train_step")}


def js_markers() -> set:
    found = set()
    for script in JS.glob("*.js"):
        for python, python_name, test, js_name in MIRROR_OF.findall(script.read_text(encoding="utf-8")):
            found.add((f"docs/assets/javascripts/{script.name}", js_name, python, python_name, test))
    return found


def python_markers() -> set:
    found = set()
    for source in (ROOT / "generator").rglob("*.py"):
        for script, js_name, test, python_name in MIRRORED_IN.findall(source.read_text(encoding="utf-8")):
            found.add((script, js_name, source.relative_to(ROOT).as_posix(), python_name, test))
    return found


def test_both_ends_of_every_mirror_are_marked_alike():
    assert js_markers() == python_markers()
    assert {(python, name) for _, _, python, name, _ in js_markers()} == EXPECTED


def test_each_pair_names_a_test_that_calls_both():
    for script, js_name, python, python_name, test in js_markers():
        text = (ROOT / test).read_text(encoding="utf-8")
        assert python_name in text, f"{test} never calls {python}'s {python_name}"
        assert re.search(rf"\.{js_name}\(", text), f"{test} never calls {script}'s {js_name}()"

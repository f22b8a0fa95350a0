"""The layers of generator/ (README, "Where things live"): engine ← science ← models ← figures.

The contract itself is in pyproject.toml ([tool.importlinter]); import-linter checks it. These
tests run it, show that it catches an upward import, and hold what it cannot see: that every
part of generator/ has a layer, and that the engine names no model and no figure."""
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from shared import ROOT

LINT_IMPORTS = str(Path(sys.executable).with_name("lint-imports"))


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    """import-linter on the generator/ package found in `root`, with root's pyproject.toml."""
    return subprocess.run([LINT_IMPORTS, "--no-cache", "--config", str(root / "pyproject.toml")],
                          cwd=root, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root)},
                          capture_output=True, text=True)


def test_imports_run_one_way():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "Contracts: 2 kept, 0 broken." in result.stdout


def test_an_upward_import_breaks_the_contract(tmp_path):
    """An engine module that imports a figure (the kind of shortcut a tired maintainer takes)."""
    shutil.copytree(ROOT / "generator", tmp_path / "generator",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    output = tmp_path / "generator" / "engine" / "output.py"
    output.write_text(output.read_text() + "\nfrom generator.figures import overview  # planted\n")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "generator.engine is not allowed to import generator.figures" in result.stdout
    assert "generator.engine.output -> generator.figures.overview" in result.stdout


def test_every_part_of_the_generator_has_a_layer():
    """A new folder or module at the top of generator/ must be placed in a layer, or the
    contract would not look at it."""
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    layers = next(c["layers"] for c in contracts if c["type"] == "layers")
    named = {part.strip() for layer in layers for part in re.split(r"[|:]", layer)}
    parts = {f"generator.{p.stem if p.suffix == '.py' else p.name}"
             for p in (ROOT / "generator").iterdir()
             if (p.suffix == ".py" and p.stem not in ("__init__", "__main__"))
             or (p.is_dir() and (p / "__init__.py").exists())}
    assert parts == named


def test_the_engine_names_no_model_and_no_figure():
    """The engine works on whatever is registered; a model's or a figure's name in it means
    knowledge of the science has leaked down (as the expected training seconds once did)."""
    from generator.engine import registry

    registry.load_all()
    names = set(registry.MODELS) | set(registry.FIGURES)
    found = {}
    for source in (ROOT / "generator" / "engine").glob("*.py"):
        text = source.read_text(encoding="utf-8")
        hits = sorted(name for name in names if re.search(rf"(?<![\w/.-]){re.escape(name)}(?![\w-])", text))
        if hits:
            found[source.name] = hits
    assert found == {}


def test_every_module_imports_without_the_heavy_libraries():
    """Publishing imports every model and figure module with numpy alone (check --sources): a
    torch or matplotlib import at the top of a module, or of a module it imports, breaks it.
    (tests/engine/test_workflows.py runs the real publishing steps; this says it in a second.)"""
    script = ("import sys\n"
              "for name in ('torch', 'matplotlib', 'sklearn', 'skimage', 'scipy', 'PIL', 'imageio'):\n"
              "    sys.modules[name] = None  # importing it now raises ImportError\n"
              "from generator.engine import registry\n"
              "registry.load_all()\n")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-1500:]

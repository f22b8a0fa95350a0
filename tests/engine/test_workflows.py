"""The GitHub workflows: what they run, how they are pinned, and the Pages workflow run for
real. Its `run:` steps are executed as GitHub would execute them (a fresh copy of the
checkout, a fresh virtual environment first on PATH, `bash -e` for each step), so a package
missing from the publishing install fails here instead of on the first push."""
import re
import subprocess
import sys
import tomllib

import pytest
import yaml
from shared import ROOT, SITE_BUILD_COMMAND


WORKFLOWS = ROOT / ".github" / "workflows"
PAGES = yaml.safe_load((WORKFLOWS / "pages.yml").read_text())
TESTS = yaml.safe_load((WORKFLOWS / "tests.yml").read_text())
# the values GitHub would put in for each ${{ … }} expression of the Pages build job
EXPRESSIONS = {"steps.pages.outputs.base_url": "http://127.0.0.1:8000/manifold-explainer",
               "github.server_url": "https://github.com",
               "github.repository": "someone/manifold-explainer"}
EXPRESSION = re.compile(r"\$\{\{\s*([^}]+?)\s*\}\}")


def triggers(workflow: dict) -> dict:
    return workflow.get("on") or workflow[True]  # YAML 1.1 reads the key `on` as True


def with_values(text: str) -> str:
    def value(match):
        assert match.group(1) in EXPRESSIONS, f"no test value for ${{{{ {match.group(1)} }}}}"
        return EXPRESSIONS[match.group(1)]
    return EXPRESSION.sub(value, text)


def test_the_site_is_tested_before_it_is_published():
    assert PAGES["jobs"]["test"]["uses"] == "./.github/workflows/tests.yml"
    assert PAGES["jobs"]["build"]["needs"] == "test" and PAGES["jobs"]["deploy"]["needs"] == "build"
    assert PAGES["concurrency"]["cancel-in-progress"] is False  # a deploy is never cut halfway
    assert {"push", "pull_request", "workflow_call"} <= set(triggers(TESTS))
    (job,) = TESTS["jobs"].values()
    assert job["steps"][-1]["run"] == "make test"
    ci = (ROOT / ".ci" / "run").read_text()
    assert [line for line in ci.splitlines() if line and not line.startswith(("#", "set ", "cd "))] \
        == ["make test"], "CI runs exactly the README's test command"


def test_every_action_is_pinned_by_commit_with_its_version_beside_it():
    for path in WORKFLOWS.glob("*.yml"):
        for line in path.read_text().splitlines():
            used = re.search(r"uses:\s*(\S+)", line)
            if used and not used.group(1).startswith("./"):
                assert re.fullmatch(r"[\w-]+/[\w-]+@[0-9a-f]{40}", used.group(1)), f"{path.name}: {line}"
                assert re.search(r"#\s*v\d+\.\d+\.\d+$", line), f"{path.name}: say the version: {line}"


def test_one_way_to_install_and_every_package_pinned():
    """setup.sh and the Pages workflow install the same way, from pyproject.toml's lists with
    constraints.txt; no second list of packages anywhere."""
    import importlib.metadata

    setup = (ROOT / "scripts" / "setup.sh").read_text()
    assert re.search(r'pip install [^\n]*-c constraints.txt -e "\.\[figures,test\]"', setup)
    runs = [step.get("run", "") for step in PAGES["jobs"]["build"]["steps"]]
    assert "pip install -c constraints.txt -e ." in runs
    check = runs.index("python -m generator check --sources")
    assert check < runs.index(" ".join(SITE_BUILD_COMMAND))
    assert not any("generator build" in run for run in runs), \
        "the workflow publishes the committed figures, it never regenerates them"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = dict(line.split("==", 1) for line in (ROOT / "constraints.txt").read_text().splitlines()
                if "==" in line and not line.startswith("#"))
    pins = {name.lower(): version for name, version in pins.items()}
    wanted = project["dependencies"] + project["optional-dependencies"]["figures"] \
        + project["optional-dependencies"]["test"]
    for requirement in wanted:
        package = re.split(r"[<>=\[ ]", requirement, maxsplit=1)[0].lower()
        assert package in pins, f"{package} is not pinned in constraints.txt"
        installed = importlib.metadata.version(package)
        assert installed == pins[package], f"{package}: tests run {installed}, constraints.txt pins {pins[package]}"


@pytest.mark.slow
def test_the_pages_workflow_publishes_from_a_fresh_environment(tmp_path, fault_probes):
    checkout = fault_probes.fresh_checkout(tmp_path / "checkout")  # what a clone would hold
    venv = tmp_path / "venv"
    subprocess.run([sys._base_executable, "-m", "venv", str(venv)], check=True)
    environment = {key: value for key, value in __import__("os").environ.items()
                   if key not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    environment["PATH"] = f"{venv / 'bin'}:{environment['PATH']}"
    environment["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    environment["PIP_NO_COMPILE"] = "1"  # no .pyc ahead of time: the same packages, seconds sooner
    ran = []
    for step in PAGES["jobs"]["build"]["steps"]:
        if "run" not in step:
            continue  # `uses:` steps (checkout, setup-python, Pages upload) are GitHub's
        env = dict(environment, **{k: with_values(str(v)) for k, v in step.get("env", {}).items()})
        result = subprocess.run(["bash", "-e", "-c", with_values(step["run"])], cwd=checkout,
                                env=env, capture_output=True, text=True)
        assert result.returncode == 0, (f"step '{step.get('name', step['run'])}' failed:\n"
                                        f"{result.stdout[-2000:]}\n{result.stderr[-3000:]}")
        ran.append(step["run"])
    assert len(ran) == 3
    torch = subprocess.run([str(venv / "bin" / "python"), "-c", "import torch"], capture_output=True)
    assert torch.returncode != 0, "publishing should not need torch (a few GB on GitHub)"
    site = checkout / "site"
    assert (site / "index.html").is_file() and (site / "en" / "conditional" / "index.html").is_file()
    notebook = (site / "notebooks" / "swiss_roll_notebook" / "index.html").read_text(encoding="utf-8")
    assert notebook.lstrip().startswith("<!doctype html>")  # HTML, not the notebook's raw JSON

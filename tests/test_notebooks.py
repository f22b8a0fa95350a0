"""The hands-on notebooks: made from one source per notebook, run by the build (smoke size
here), failing loudly, and shown in the built site as rendered HTML with their outputs."""
import json
import re

import nbformat
import pytest

from conftest import ROOT
from generator import builder, notebook
from generator.errors import GeneratorError

SOURCES = ["generator.notebooks.swiss_roll", "generator.notebooks.mnist_vae"]
NAMES = {"generator.notebooks.swiss_roll": "swiss_roll_notebook",
         "generator.notebooks.mnist_vae": "mnist_vae_notebook"}


@pytest.fixture(scope="module", params=SOURCES)
def executed(request):
    """Both languages of one notebook, run at smoke size exactly as the build runs them."""
    metrics = {}
    files = notebook.build_notebooks(request.param, smoke=True, metrics=metrics)
    return request.param, {name: nbformat.reads(data.decode(), as_version=4)
                           for name, data in files.items()}, metrics


def code_of(nb):
    return [cell.source for cell in nb.cells if cell.cell_type == "code"]


def test_both_languages_run_the_same_code_and_say_it_in_their_own(executed):
    _, notebooks, metrics = executed
    korean, english = notebooks["ko.ipynb"], notebooks["en.ipynb"]
    assert code_of(korean) == code_of(english) and len(code_of(korean)) >= 5
    for nb, language in ((korean, "ko"), (english, "en")):
        prose = " ".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")
        assert bool(re.search("[가-힣]", prose)) == (language == "ko")
        assert nb.cells[0].source.startswith("# ")  # the page title
        assert nb.metadata["language"] == language
        assert metrics[f"execution_seconds_{language}"] < 60


def test_smoke_run_uses_the_quick_parameters_and_every_cell_has_run(executed):
    _, notebooks, _ = executed
    for nb in notebooks.values():
        parameters = [cell for cell in nb.cells if "parameters" in cell.metadata.get("tags", [])]
        assert [cell.source for cell in parameters] == [notebook.QUICK_PARAMETERS]
        code = [cell for cell in nb.cells if cell.cell_type == "code"]
        assert all(cell.execution_count for cell in code)
        outputs = [output for cell in code for output in cell.outputs]
        assert not [o for o in outputs if o.output_type == "error"]
        assert sum("image/png" in o.get("data", {}) for o in outputs) >= 2


def test_published_notebooks_ran_at_full_size():
    for source, name in NAMES.items():
        for language in ("ko", "en"):
            nb = nbformat.read(ROOT / "figures" / "notebooks" / f"{name}.{language}.ipynb", 4)
            assert "QUICK = False" in nb.cells[[c.cell_type for c in nb.cells].index("code")].source
            assert all(c.execution_count for c in nb.cells if c.cell_type == "code")


def test_a_failing_cell_fails_the_build_and_saves_nothing(tmp_path, monkeypatch):
    original = notebook.for_language

    def broken(source, lang, smoke):
        nb = original(source, lang, smoke)
        nb.cells.append(nbformat.v4.new_code_cell("raise ValueError('a broken cell')", id="broken"))
        return nb

    monkeypatch.setattr(notebook, "for_language", broken)
    with pytest.raises(GeneratorError, match="a broken cell"):
        builder.build(["swiss_roll_notebook"], smoke=True, figures_dir=tmp_path / "figures",
                      cache_dir=tmp_path / "models", quiet=True)
    assert not list(tmp_path.rglob("*.ipynb"))


@pytest.mark.parametrize("language", ["", "en/"])
@pytest.mark.parametrize("name", sorted(NAMES.values()))
def test_built_notebook_pages_are_html_with_outputs(built_site, name, language):
    folder = built_site / language / "notebooks" / name
    html = (folder / "index.html").read_text(encoding="utf-8")
    assert html.lstrip().startswith("<!doctype html>")
    assert '"cells":' not in html  # the raw-JSON failure of mkdocs-static-i18n + mkdocs-jupyter
    assert html.count("jp-CodeCell") >= 5
    # the output images: files beside the page (moved out of the HTML), each one present
    images = re.findall(r'<img[^>]*src="(output-\w+\.png)" loading="lazy"', html)
    assert len(images) >= 2 and all((folder / image).is_file() for image in images)
    assert "data:image/png;base64" not in html
    # the download link points at the notebook, copied next to the page
    link = re.search(r'<p class="notebook-download"><a href="([^"]+\.ipynb)" download>', html)
    assert link and (folder / link.group(1)).is_file()
    json.loads((folder / link.group(1)).read_text(encoding="utf-8"))
    # the notebook CSS is one shared file, not inlined into every page
    assert "<style" not in html
    css = re.search(r'<link rel="stylesheet" href="([^"?]+notebook\.css)\?v=\w+">', html)
    assert css and (folder / css.group(1)).resolve().is_file()
    # no zoom links duplicating the inline images
    assert 'href="data:image' not in html


def test_css_purge_keeps_what_the_pages_can_use():
    import importlib.util

    spec = importlib.util.spec_from_file_location("notebook_hook", ROOT / "hooks" / "notebooks.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    css = """
    :root { --used: red; --chained: var(--used); --unused: blue; }
    .jp-Cell { color: var(--chained); }
    .jp-Missing { color: green; }
    .jp-Cell:not(.jp-mod-hidden) { margin: 0; }
    .jp-Missing, .jp-Cell > .jp-Output { padding: 1px; }
    @media (max-width: 10px) { .jp-Missing { top: 0; } .jp-Cell { top: 1px; } }
    @keyframes spin { from { opacity: 0; } }
    """
    kept = hook.purge_css(css, {"jp-Cell", "jp-Output"})
    assert "--used:red" in kept and "--chained:var(--used)" in kept and "--unused" not in kept
    assert ".jp-Cell{color:var(--chained)}" in kept.replace(" ", "")
    assert "green" not in kept and "top:0" not in kept and "top:1px" in kept
    assert ":not(.jp-mod-hidden)" in kept and "padding:1px" in kept and "@keyframes" in kept

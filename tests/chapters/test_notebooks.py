"""The hands-on notebooks: made from one source per notebook, run by the build (smoke size
here), failing loudly, and shown in the built site as rendered HTML with their outputs, the
commands to run them and a link to their source."""
import ast
import html
import json
import os
import re
import tomllib

import nbformat
import pytest
from shared import ROOT

from generator.engine import builder, notebook_runner
from generator.engine.errors import GeneratorError

SOURCES = ["generator.notebooks.swiss_roll", "generator.notebooks.mnist_vae"]
NAMES = {"generator.notebooks.swiss_roll": "swiss_roll_notebook",
         "generator.notebooks.mnist_vae": "mnist_vae_notebook"}
HANGUL = re.compile("[가-힣]")
# plotting and printing calls whose words a reader sees
WORDED_CALLS = {"print", "title", "set_title", "suptitle", "xlabel", "ylabel", "set_xlabel",
                "set_ylabel", "text", "legend", "colorbar", "annotate"}


@pytest.fixture(scope="module", params=SOURCES)
def executed(request, smoke_builds):
    """Both languages of one notebook, as the first smoke build ran them (tests/conftest.py)."""
    figures = smoke_builds[0][0] / "figures"
    name = NAMES[request.param]
    metrics = json.loads((figures / "manifest.json").read_text())["figures"][name]["metrics"]
    return request.param, {f"{lang}.ipynb": nbformat.read(figures / "notebooks" / f"{name}.{lang}.ipynb",
                                                          as_version=4)
                           for lang in ("ko", "en")}, metrics


def code_of(nb):
    return [cell.source for cell in nb.cells if cell.cell_type == "code"]


def words_of(cell_source: str) -> dict:
    """The WORDS dictionary that a language's code cell defines."""
    namespace = {}
    exec(cell_source, namespace)
    return namespace["WORDS"]


def test_both_languages_run_the_same_code_and_say_it_in_their_own(executed):
    _, notebooks, metrics = executed
    korean, english = notebooks["ko.ipynb"], notebooks["en.ipynb"]
    assert len(code_of(korean)) == len(code_of(english)) >= 5
    # the same code, except the one cell with the words of the plots and printouts; comments
    # differ too, each in its notebook's language
    def without_comments(source):
        return "\n".join(line for line in source.splitlines() if not line.lstrip().startswith("#"))

    different = [(ko, en) for ko, en in zip(code_of(korean), code_of(english))
                 if without_comments(ko) != without_comments(en)]
    assert len(different) == 1
    for ko, en in zip(code_of(korean), code_of(english)):
        ko_comments = [line for line in ko.splitlines() if line.lstrip().startswith("#")]
        en_comments = [line for line in en.splitlines() if line.lstrip().startswith("#")]
        assert not any(HANGUL.search(line) for line in en_comments)
        assert all(HANGUL.search(line) for line in ko_comments), ko_comments
    ko_words, en_words = (words_of(source) for source in different[0])
    assert ko_words.keys() == en_words.keys()
    assert all(HANGUL.search(word) for word in ko_words.values())
    assert not any(HANGUL.search(word) for word in en_words.values())
    for nb, language in ((korean, "ko"), (english, "en")):
        prose = " ".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")
        assert bool(HANGUL.search(prose)) == (language == "ko")
        assert nb.cells[0].source.startswith("# ")  # the page title
        assert nb.metadata["language"] == language
        assert metrics[f"code_cells_{language}"] == sum(cell.cell_type == "code" for cell in nb.cells)


def test_smoke_run_uses_the_quick_parameters_and_every_cell_has_run(executed):
    _, notebooks, _ = executed
    for nb in notebooks.values():
        parameters = [cell for cell in nb.cells if "parameters" in cell.metadata.get("tags", [])]
        assert [cell.source for cell in parameters] == [notebook_runner.QUICK_PARAMETERS]
        code = [cell for cell in nb.cells if cell.cell_type == "code"]
        assert all(cell.execution_count for cell in code)
        outputs = [output for cell in code for output in cell.outputs]
        assert not [o for o in outputs if o.output_type == "error"]
        assert sum("image/png" in o.get("data", {}) for o in outputs) >= 2


def test_printed_text_and_plots_are_in_the_page_language(executed):
    _, notebooks, _ = executed
    printed, images = {}, {}
    for language in ("ko", "en"):
        outputs = [output for cell in notebooks[f"{language}.ipynb"].cells
                   if cell.cell_type == "code" for output in cell.outputs]
        # no stderr: a glyph missing from the fonts (Hangul drawn as boxes) would warn there
        assert not [o.text for o in outputs if o.output_type == "stream" and o.name == "stderr"]
        printed[language] = "".join(o.text for o in outputs if o.output_type == "stream")
        images[language] = [o.data["image/png"] for o in outputs if "image/png" in o.get("data", {})]
    assert HANGUL.search(printed["ko"]) and not HANGUL.search(printed["en"])
    # every plot has a title in its language, so no picture is the same in both notebooks
    assert len(images["ko"]) == len(images["en"]) >= 2
    assert not set(images["ko"]) & set(images["en"])


@pytest.mark.parametrize("source", SOURCES)
def test_shared_code_takes_every_word_it_shows_from_the_language_cell(source):
    """A title, label or printout written into the shared code would be in one language on
    both pages: its words must come from WORDS (numbers, symbols and $math$ are fine)."""
    import jupytext

    cells = jupytext.read(notebook_runner.source_path(source), fmt="py:percent").cells
    for cell in cells:
        if cell.cell_type != "code" or set(cell.metadata.get("tags", [])) & {"ko", "en"}:
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name not in WORDED_CALLS:
                continue
            for argument in [*node.args, *(keyword.value for keyword in node.keywords)]:
                parts = argument.values if isinstance(argument, ast.JoinedStr) else [argument]
                for part in parts:
                    if isinstance(part, ast.Constant) and isinstance(part.value, str):
                        words = re.sub(r"\$[^$]*\$", "", part.value)
                        assert not re.search(r"[A-Za-z가-힣]{2,}", words), \
                            f"{source}: {name}({part.value!r}) is not in WORDS"


def test_published_notebooks_ran_at_full_size():
    for source, name in NAMES.items():
        for language in ("ko", "en"):
            nb = nbformat.read(ROOT / "figures" / "notebooks" / f"{name}.{language}.ipynb", 4)
            assert "QUICK = False" in nb.cells[[c.cell_type for c in nb.cells].index("code")].source
            assert all(c.execution_count for c in nb.cells if c.cell_type == "code")


def test_a_failing_cell_fails_the_build_and_saves_nothing(tmp_path, monkeypatch):
    original = notebook_runner.for_language

    def broken(source, lang, smoke):
        nb = original(source, lang, smoke)
        nb.cells.insert(0, nbformat.v4.new_code_cell("raise ValueError('a broken cell')", id="broken"))
        return nb

    monkeypatch.setattr(notebook_runner, "for_language", broken)
    with pytest.raises(GeneratorError, match="a broken cell"):
        builder.build(["swiss_roll_notebook"], smoke=True, figures_dir=tmp_path / "figures",
                      cache_dir=tmp_path / "models", quiet=True)
    assert not list(tmp_path.rglob("*.ipynb"))


def test_each_language_runs_from_an_empty_namespace(tmp_path, monkeypatch):
    """The two languages share one kernel; a name the Korean notebook defined must not reach
    the English one, as it would not in a reader's fresh kernel."""
    original = notebook_runner.for_language

    def leaning(source, lang, smoke):
        nb = original(source, lang, smoke)
        code = "only_in_korean = 1" if lang == "ko" else "print(only_in_korean)"
        nb.cells.append(nbformat.v4.new_code_cell(code, id=f"leaning-{lang}"))
        return nb

    monkeypatch.setattr(notebook_runner, "for_language", leaning)
    with pytest.raises(GeneratorError, match=r"(?s)swiss_roll \(en\).*NameError: name 'only_in_korean'"):
        builder.build(["swiss_roll_notebook"], smoke=True, figures_dir=tmp_path / "figures",
                      cache_dir=tmp_path / "models", quiet=True)


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
    # none of mkdocs-jupyter's unused loaders (an empty MathJax src, Mermaid from a CDN)
    assert '<script src="">' not in html and "cdnjs" not in html and "x-mathjax-config" not in html


def repository_url() -> str:
    """mkdocs.yml's repo_url as the test build sees it: REPO_URL, or the default there."""
    default = re.search(r'^repo_url: !ENV \[REPO_URL, "([^"]+)"\]$',
                        (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.MULTILINE)
    assert default, "mkdocs.yml sets repo_url from REPO_URL with a default"
    return os.environ.get("REPO_URL", default.group(1)).rstrip("/")


@pytest.mark.parametrize("language", ["ko", "en"])
@pytest.mark.parametrize("name", sorted(NAMES.values()))
def test_notebook_pages_say_how_to_run_them_yourself(built_site, name, language):
    folder = built_site / ("en/" if language == "en" else "") / "notebooks" / name
    page = (folder / "index.html").read_text(encoding="utf-8")
    repo = repository_url()
    # the repository in the header, without Material's request to GitHub's API
    assert f'<a href="{repo}" title=' in page and 'class="md-source"' in page
    assert 'data-md-component="source"' not in page
    # the box, in the page's language, with the exact commands
    box = re.search(r'<div class="admonition tip notebook-run">(.*?)</div>', page, re.DOTALL)
    assert box, "no run-it-yourself box"
    title = re.search(r'<p class="admonition-title">([^<]+)</p>', box.group(1)).group(1)
    assert bool(HANGUL.search(title)) == (language == "ko")
    commands = html.unescape(re.search(r"<pre><code>(.*?)</code></pre>", box.group(1),
                                       re.DOTALL).group(1)).splitlines()
    file_name = f"{name}.{language}.ipynb"
    assert commands == [f"git clone {repo}",
                        f"cd {repo.rsplit('/', 1)[-1].removesuffix('.git')}",
                        "make setup",
                        ".venv/bin/pip install -e '.[notebooks]'",
                        f".venv/bin/jupyter lab figures/notebooks/{file_name}"]
    # what those commands use is really there: the setup, the extra, the notebook
    assert (ROOT / "scripts" / "setup.sh").is_file() and "setup:" in (ROOT / "Makefile").read_text()
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    assert any(package.startswith("jupyterlab==") for package in extras["notebooks"])
    assert (ROOT / "figures" / "notebooks" / file_name).is_file()
    # and the link to the notebook's source in the repository
    source = name.removesuffix("_notebook")
    assert f'<a href="{repo}/blob/main/generator/notebooks/{source}.py">' in box.group(1)
    assert (ROOT / "generator" / "notebooks" / f"{source}.py").is_file()


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


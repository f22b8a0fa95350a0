"""Turn a notebook source into a Korean and an English notebook, run it, and save it.

Sources live in generator/notebooks/ in jupytext's "percent" format (see that package's
docstring). A cell tagged "ko" or "en" goes only into that language's notebook, code cells
too: each source has one code cell per language that sets WORDS, the words of its plot
titles, labels and printouts, so all the rest of the code is shared. Inside a shared code
cell, a comment line written `# ko: …` or `# en: …` is kept only in that language (as `# …`),
so a Korean reader never meets English comments. Running happens here,
in the build, never in `mkdocs build`: the site only renders the saved notebooks with their
outputs. The saved bytes are stable: cell ids are numbered, no timing is recorded, and
nbformat writes keys in sorted order.
"""
from __future__ import annotations

import contextlib
import re
import tempfile
from pathlib import Path

from generator.engine import paths
from generator.engine.errors import GeneratorError, require_package
from generator.engine.keys import module_file

LANGUAGE_TAGS = ("ko", "en")
QUICK_PARAMETERS = "QUICK = True"  # what a smoke build puts in the "parameters" cell
CELL_TIMEOUT = 300  # seconds one cell may run before the build gives up on it
ANSI_COLOURS = re.compile(r"\x1b\[[0-9;]*m")  # the colour codes of IPython's tracebacks


def source_path(source: str):
    """generator.notebooks.swiss_roll -> the file that holds it."""
    return module_file(source)


COMMENT_IN = re.compile(r"^(\s*)# (ko|en): ")  # a comment line for one language only


def localize_comments(code: str, lang: str) -> str:
    """Keep `# ko: …` lines in Korean and `# en: …` lines in English, each as a plain `# …`."""
    lines = []
    for line in code.splitlines():
        match = COMMENT_IN.match(line)
        if match and match.group(2) != lang:
            continue
        lines.append(COMMENT_IN.sub(r"\1# ", line) if match else line)
    return "\n".join(lines)


def for_language(source: str, lang: str, smoke: bool):
    """The notebook of one language: the untagged cells and those tagged `lang`."""
    jupytext = require_package("jupytext", "Reading notebook sources")
    import nbformat

    notebook = jupytext.read(source_path(source), fmt="py:percent")
    cells = []
    for cell in notebook.cells:
        tags = cell.metadata.get("tags", [])
        other_languages = [tag for tag in tags if tag in LANGUAGE_TAGS and tag != lang]
        if other_languages:
            continue
        cell.metadata = {"tags": [tag for tag in tags if tag not in LANGUAGE_TAGS]} if tags else {}
        if not cell.metadata.get("tags"):
            cell.metadata = {}
        if cell.cell_type == "code":
            cell.source = localize_comments(cell.source, lang)
        if smoke and "parameters" in tags:
            cell.source = QUICK_PARAMETERS
        cell.id = f"{source.rsplit('.', 1)[-1]}-{len(cells):02d}"  # stable ids, not random ones
        cells.append(cell)
    result = nbformat.v4.new_notebook(cells=cells)
    result.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "language": lang,
    }
    return result


@contextlib.contextmanager
def one_kernel():
    """A Python kernel for the notebooks of one source, started in the project's folder and
    shut down at the end."""
    from jupyter_client.manager import KernelManager

    with tempfile.TemporaryDirectory(prefix="kernel-") as sockets:
        # local sockets instead of TCP ports: nothing listens on the network, no warning
        kernel = KernelManager(kernel_name="python3", transport="ipc",
                               ip=str(Path(sockets) / "socket"))
        kernel.start_kernel(cwd=str(paths.ROOT))
        try:
            yield kernel
        finally:
            if kernel.has_kernel:
                kernel.shutdown_kernel(now=False)


def execute(notebook, label: str, kernel) -> None:
    """Run every cell in `kernel` (in place), from an empty namespace; a failing cell stops the
    build."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    # %reset -f: no name from an earlier notebook in this kernel is left, so a cell that leans
    # on one fails here as it would in a reader's fresh kernel (imported modules stay loaded)
    empty = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("%reset -f")])
    NotebookClient(empty, km=kernel, timeout=CELL_TIMEOUT, allow_errors=False).execute()
    client = NotebookClient(notebook, km=kernel, timeout=CELL_TIMEOUT, allow_errors=False,
                            record_timing=False)
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError) as error:
        message = ANSI_COLOURS.sub("", str(error)).strip().splitlines()
        raise GeneratorError(f"notebook {label}: a cell failed, so nothing was saved.\n"
                             + "\n".join(message[-12:])) from error


def clean_outputs(notebook) -> None:
    """Drop what would change from run to run: the kernel's own version details, and where
    printed text happened to be split into pieces (that depends on when the kernel flushed)."""
    from nbconvert.preprocessors import CoalesceStreamsPreprocessor

    CoalesceStreamsPreprocessor().preprocess(notebook, {})
    notebook.metadata["language_info"] = {"name": "python"}
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.metadata.pop("execution", None)


def to_bytes(notebook) -> bytes:
    import nbformat

    nbformat.validate(notebook)
    return (nbformat.writes(notebook) + "\n").encode("utf-8")


def build_notebooks(source: str, smoke: bool, metrics: dict) -> dict[str, bytes]:
    """{"ko.ipynb": bytes, "en.ipynb": bytes}: both languages, run and cleaned."""
    files = {}
    with one_kernel() as kernel:  # one start-up and one import of torch, not one per language
        for lang in LANGUAGE_TAGS:
            notebook = for_language(source, lang, smoke)
            execute(notebook, f"{source.rsplit('.', 1)[-1]} ({lang})", kernel)
            clean_outputs(notebook)
            # what the run did, counted (its duration depends on the machine: not a fact to record)
            metrics[f"code_cells_{lang}"] = sum(cell.cell_type == "code" for cell in notebook.cells)
            files[f"{lang}.ipynb"] = to_bytes(notebook)
    return files

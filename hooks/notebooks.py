"""MkDocs hook: show the notebooks that `python -m generator build` ran and saved.

- hooks/figures.py (before i18n) adds figures/notebooks/<name>.<lang>.ipynb as the pages
  notebooks/<name>.<lang>.ipynb, so mkdocs-static-i18n makes one page per language.
- mkdocs-static-i18n replaces every file with its own copy, which silently undoes
  mkdocs-jupyter's wrapping: the page would be served as raw JSON and --strict would still
  pass (upstream issue #198). on_files after i18n wraps the notebooks again, keeping the
  place i18n gave them, and points them at the saved file in figures/notebooks/. `.ipynb` must also count as a page for mkdocs itself (on_config).
- mkdocs-jupyter puts ≈ 0.6 MB of the same CSS inside every notebook page. on_post_page
  takes those <style> blocks out and links one shared file, assets/notebook.css, instead;
  on_post_build writes that file with only the rules the notebook pages can use (≈ 20 KB),
  and the browser caches it for every notebook page. The output images, inlined as base64 by
  mkdocs-jupyter, become lazily loaded files beside the page.
- Under a notebook's title, on_page_content adds the download line and a "run it yourself"
  box: the commands that clone the repository (mkdocs.yml's repo_url, set by REPO_URL), set it
  up and open this very notebook in JupyterLab, and a link to the notebook's source file.
- Material links repo_url in the header of every page and, for a GitHub address, would ask
  GitHub's API for its stars and forks from the reader's browser. The site makes no request
  to anyone else (no web fonts either), and the browser tests run offline, so on_post_page
  unhooks that one component on every page: the link stays, the request goes.
"""
from __future__ import annotations

import base64
import hashlib
import html as html_text
import os
import re
from pathlib import Path

import mkdocs.utils
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

FIGURES = Path(__file__).resolve().parent.parent / "figures"
NOTEBOOKS = FIGURES / "notebooks"
DOWNLOAD_WORDS = {
    "ko": {"link": "노트북 내려받기 (.ipynb)",
           "ran": "· 아래 출력은 이 노트북을 처음부터 끝까지 한 번 실행한 결과입니다. GPU 없이 CPU만으로 돌아갑니다."},
    "en": {"link": "Download the notebook (.ipynb)",
           "ran": "· The outputs below come from one run of it from top to bottom. It needs no GPU: a CPU is enough."},
}
# The "run it yourself" box. A notebook's page is named after its source (README, "Notebooks"):
# swiss_roll_notebook is made from generator/notebooks/swiss_roll.py.
RUN_WORDS = {
    "ko": {"title": "직접 실행해 보기",
           "intro": "저장소를 받아 아래 명령을 차례로 실행하면 이 노트북이 JupyterLab에서 열립니다. "
                    "Python 3.11이 필요하고, 처음에는 패키지를 설치하느라 시간이 좀 걸립니다. "
                    "<code>make</code>가 없으면 <code>make setup</code> 대신 "
                    "<code>bash scripts/setup.sh</code>를 실행하세요.",
           "source": "노트북의 원본 코드는 {link}입니다. jupytext 형식의 이 파일 하나에서 한국어 "
                     "노트북과 영어 노트북을 함께 만듭니다."},
    "en": {"title": "Run it yourself",
           "intro": "Clone the repository and run these commands in order to open this notebook "
                    "in JupyterLab. You need Python 3.11; the first time, installing the packages "
                    "takes a while. Without <code>make</code>, run "
                    "<code>bash scripts/setup.sh</code> instead of <code>make setup</code>.",
           "source": "The source of this notebook is {link}: one file in jupytext's format that "
                     "makes both the Korean and the English notebook."},
}
RUN_COMMANDS = (
    "git clone {repo_url}",
    "cd {folder}",
    "make setup",
    ".venv/bin/pip install -e '.[notebooks]'",  # JupyterLab: the optional "notebooks" extra
    ".venv/bin/jupyter lab figures/notebooks/{file_name}",
)
SOURCES = Path(__file__).resolve().parent.parent / "generator" / "notebooks"
SOURCE_URL = "{repo_url}/blob/main/generator/notebooks/{source}.py"  # GitHub's address of a file
# Material's header link to the repository; with this attribute its script fetches the facts
REPO_FACTS = ' data-md-component="source"'
SHARED_CSS = "assets/notebook.css"
INLINE_IMAGE = re.compile(r'<img([^>]*?)src="data:image/png;base64,([^"]+)"')
STYLE_BLOCK = re.compile(r"<style[^>]*>(.*?)</style>", re.DOTALL)
# mkdocs-jupyter's loaders for MathJax (an empty src: no MathJax URL is configured, and the
# notebooks' text has no formulas) and for Mermaid (from a CDN, and only for diagrams,
# which these notebooks have none of): dead code that names another site, so it goes
UNUSED_LOADERS = re.compile(r'<!-- Load mathjax -->\s*<script src=""> </script>.*?'
                            r'<!-- End of mathjax configuration -->'
                            r'|<script type="module">\s*document\.addEventListener\("DOMContentLoaded", '
                            r'async \(\) => \{\s*const diagrams = .*?</script>', re.DOTALL)
_shared_css: dict[str, str] = {}  # the CSS text taken out of the pages, written on_post_build


def on_config(config):
    if ".ipynb" not in mkdocs.utils.markdown_extensions:
        mkdocs.utils.markdown_extensions = (*mkdocs.utils.markdown_extensions, ".ipynb")
    _shared_css.clear()  # (_page_classes is kept: i18n builds each language in turn, and the
    return config        #  shared CSS must serve the classes of every language's pages)


@event_priority(-200)  # after mkdocs-static-i18n
def on_files(files, config):
    from mkdocs_jupyter.plugin import NotebookFile

    for file in list(files):
        if file.src_uri.endswith(".ipynb") and not isinstance(file, NotebookFile):
            executed = NOTEBOOKS / Path(file.src_uri).name  # where the build saved it
            if not executed.is_file():
                raise PluginError(f"{file.src_uri}: no {executed}; run `python -m generator build`")
            file.abs_src_path = str(executed)
            wrapped = NotebookFile(file, config["use_directory_urls"], config["site_dir"])
            # keep the destination i18n chose (e.g. en/notebooks/name/index.html)
            wrapped.dest_path, wrapped.abs_dest_path, wrapped.url = (
                file.dest_path, file.abs_dest_path, file.url)
            wrapped.abs_src_path = file.abs_src_path  # a property of File: not delegated
            files.remove(file)
            files.append(wrapped)
    return files


HEADING = re.compile(r'<(h[1-6]) id="([^"]*)">(.*?)<a class="anchor-link" href="#[^"]*">', re.S)


def heading_ids_from_toc(html: str, toc) -> str:
    """Give each heading the id its table-of-contents link points to. The notebook's headings
    get their ids from nbconvert, the page's table of contents gets its links from Markdown's
    slugs, and the two disagree where a heading has no Latin letters: a Korean heading gets
    id="" while its contents link says "#_1", so the link would lead nowhere."""
    def flat(items):
        for item in items:
            yield item.id
            yield from flat(item.children)

    wanted = iter(list(flat(toc)))
    headings = HEADING.findall(html)
    if len(headings) != len(list(flat(toc))):
        return html  # not the same headings: leave them (hooks/anchors.py reports a broken link)

    def renamed(match):
        tag, _, text = match.groups()
        new = next(wanted)
        return f'<{tag} id="{new}">{text}<a class="anchor-link" href="#{new}">'

    return HEADING.sub(renamed, html)


@event_priority(50)  # before mkdocs-glightbox
def on_page_content(html, page, config, files):
    """Add the download link and the "run it yourself" box under the title. And no zoom
    links on notebook images: glightbox would wrap each inline (base64) image in a link to
    itself, so every image would be in the page twice."""
    if not page.file.src_uri.endswith(".ipynb"):
        return html
    page.meta["glightbox"] = False
    html = heading_ids_from_toc(html, page.toc)
    file_name = Path(page.file.src_uri).name  # mkdocs-jupyter copies it next to the page
    name, lang = file_name.split(".")[0], file_name.split(".")[1]
    words = DOWNLOAD_WORDS[lang]
    box = (f'<p class="notebook-download"><a href="{file_name}" download>{words["link"]}</a>'
           f' <span>{words["ran"]}</span></p>'
           + run_box(name, file_name, lang, config))
    title_end = html.find("</h1>")
    if title_end < 0:
        raise PluginError(f"{page.file.src_uri}: the notebook has no title (a first-level heading)")
    cut = title_end + len("</h1>")
    return html[:cut] + box + html[cut:]


def run_box(name: str, file_name: str, lang: str, config) -> str:
    """An admonition (Material's look) with the commands that open this notebook, and a
    link to its source, both built from mkdocs.yml's repo_url."""
    repo_url = (config.get("repo_url") or "").rstrip("/")
    if not repo_url:
        raise PluginError("mkdocs.yml has no repo_url: the notebook pages link to the repository")
    source = name.removesuffix("_notebook")
    if not (SOURCES / f"{source}.py").is_file():
        raise PluginError(f"{name}: no generator/notebooks/{source}.py to link as its source")
    folder = repo_url.rsplit("/", 1)[-1].removesuffix(".git")  # where `git clone` puts it
    commands = "\n".join(command.format(repo_url=repo_url, folder=folder, file_name=file_name)
                         for command in RUN_COMMANDS)
    source_url = html_text.escape(SOURCE_URL.format(repo_url=repo_url, source=source))
    link = f'<a href="{source_url}"><code>generator/notebooks/{source}.py</code></a>'
    words = RUN_WORDS[lang]
    return (f'<div class="admonition tip notebook-run">'
            f'<p class="admonition-title">{words["title"]}</p>'
            f'<p>{words["intro"]}</p>'
            f'<pre><code>{html_text.escape(commands, quote=False)}</code></pre>'
            f'<p>{words["source"].format(link=link)}</p></div>')


def on_post_page(output, page, config):
    output = output.replace(REPO_FACTS, "")  # every page: the repository link without the request
    if not page.file.src_uri.endswith(".ipynb") or os.environ.get("NOTEBOOK_CSS") == "inline":
        return output  # NOTEBOOK_CSS=inline keeps mkdocs-jupyter's own way, to measure the difference
    blocks = STYLE_BLOCK.findall(output)
    if not blocks:
        raise PluginError(f"{page.file.src_uri}: no notebook CSS found; is it rendered as HTML?")
    css = "\n".join(block.strip() for block in blocks)
    _shared_css.setdefault(css, hashlib.sha256(css.encode()).hexdigest()[:10])
    if len(_shared_css) > 1:
        raise PluginError("notebook pages carry different CSS; cannot share one file")
    output = STYLE_BLOCK.sub("", output)
    output = UNUSED_LOADERS.sub("", output)
    output = move_images_out(output, Path(page.file.abs_dest_path).parent)
    _page_classes.update(name for names in CLASS_ATTRIBUTE.findall(output) for name in names.split())
    link = (f'<link rel="stylesheet" href="{relative_root(page)}{SHARED_CSS}'
            f'?v={_shared_css[css]}">')
    return output.replace("</head>", f"{link}\n</head>", 1)


def move_images_out(html: str, folder: Path) -> str:
    """Save each inline (base64) output image as a file beside the page and link it, lazily
    loaded: the page's HTML shrinks from ≈ 0.5 MB to tens of KB, so text appears sooner."""
    def save(match) -> str:
        data = base64.b64decode(match.group(2))
        name = f"output-{hashlib.sha256(data).hexdigest()[:12]}.png"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
        return f'<img{match.group(1)}src="{name}" loading="lazy"'

    return INLINE_IMAGE.sub(save, html)


def relative_root(page) -> str:
    depth = page.url.rstrip("/").count("/") + 1 if page.url else 0
    return "../" * depth


def on_post_build(config):
    for css in _shared_css:
        target = Path(config["site_dir"]) / SHARED_CSS
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(purge_css(css, _page_classes), encoding="utf-8")


# --- Keeping only the CSS the notebook pages can use -----------------------------------------
# mkdocs-jupyter ships all of JupyterLab's styles (≈ 0.6 MB); a rendered notebook uses a few
# dozen of its classes. A rule stays when one of its selectors names only classes that occur in
# the notebook pages; a custom property (--jp-…) stays when a kept rule uses it, directly or
# through another kept property. Rules without classes (element, attribute, :root) all stay.

CLASS_ATTRIBUTE = re.compile(r'class="([^"]*)"')
SELECTOR_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
NEGATION = re.compile(r":not\([^)]*\)")
VARIABLE_USE = re.compile(r"var\(\s*(--[\w-]+)")
_page_classes: set[str] = set()


def purge_css(css: str, classes: set[str]) -> str:
    import tinycss2

    def rules_of(tokens, top=False):
        parse = tinycss2.parse_stylesheet if top else tinycss2.parse_rule_list
        return parse(tokens, skip_comments=True, skip_whitespace=True)

    def select(rules):
        """[(prelude, declarations | nested list | None)] of the rules that may apply."""
        kept = []
        for rule in rules:
            if rule.type == "qualified-rule":
                prelude = tinycss2.serialize(rule.prelude).strip()
                # classes inside :not(…) need not be present for the rule to apply
                if any(set(SELECTOR_CLASS.findall(NEGATION.sub("", part))) <= classes
                       for part in prelude.split(",")):
                    body = tinycss2.parse_blocks_contents(rule.content, skip_comments=True,
                                                          skip_whitespace=True)
                    kept.append((prelude, [d for d in body if d.type == "declaration"]))
            elif rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports"):
                inner = select(rules_of(rule.content or []))
                if inner:
                    kept.append((f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude).rstrip()}", inner))
            elif rule.type == "at-rule":  # @font-face, @keyframes, …: kept whole
                kept.append((tinycss2.serialize([rule]), None))
        return kept

    def declarations(kept):
        for _, body in kept:
            for item in body or []:
                yield from (declarations([item]) if isinstance(item, tuple) else [item])

    def used_variables(kept) -> set[str]:
        values: dict[str, list[str]] = {}
        todo = set()
        for declaration in declarations(kept):
            text = tinycss2.serialize(declaration.value)
            if declaration.name.startswith("--"):
                values.setdefault(declaration.name, []).append(text)
            else:
                todo.update(VARIABLE_USE.findall(text))
        used = set()
        while todo:  # follow var() inside the values of the variables in use
            name = todo.pop()
            if name not in used:
                used.add(name)
                for text in values.get(name, []):
                    todo.update(VARIABLE_USE.findall(text))
        return used

    def write(kept, used) -> str:
        out = []
        for prelude, body in kept:
            if body is None:
                out.append(prelude)
            elif body and isinstance(body[0], tuple):
                inner = write(body, used)
                out.append(f"{prelude}{{{inner}}}" if inner else "")
            else:
                text = ";".join(f"{d.name}:{tinycss2.serialize(d.value).strip()}"
                                + ("!important" if d.important else "")
                                for d in body if not d.name.startswith("--") or d.name in used)
                out.append(f"{prelude}{{{text}}}\n" if text else "")
        return "".join(out)

    kept = select(rules_of(css, top=True))
    return write(kept, used_variables(kept))

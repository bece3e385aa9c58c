"""Sphinx hooks for the book's site (a local extension, listed in _config.yml).

Every page must work with no network. Jupyter Book 1 always loads sphinx-thebe, which puts
its loader and an inline script naming thebe's CDN address on every page, twice (declaring
the same ``const`` twice, an error in the browser's console). The book has no thebe button
(``launch_buttons.thebe`` is off), so nothing would ever call them: they are dropped, and
any script a page lists twice is kept once.

Readers run a chapter without its solutions: the Colab launch button and the download button
give the readers' copy in ``student/`` (written by ``scripts/student_notebooks.py``), not the
instructor's source in ``notebooks/``.
"""
import pathlib
import shutil


def _tidy_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if scripts is None:
        return
    kept, seen = [], set()
    for js in scripts:
        filename = str(getattr(js, "filename", js) or "")
        body = str(getattr(js, "attributes", {}).get("body", ""))
        if filename.endswith("sphinx-thebe.js") or "THEBE_JS_URL" in body:
            continue
        key = (filename, body)
        if key in seen:
            continue
        seen.add(key)
        kept.append(js)
    scripts[:] = kept


def _colab_opens_the_readers_copy(app, pagename, templatename, context, doctree):
    def visit(item):
        if isinstance(item, dict):
            url = item.get("url")
            if isinstance(url, str) and "colab" in url and "/notebooks/" in url:
                item["url"] = url.replace("/notebooks/", "/student/", 1)
            for value in item.values():
                visit(value)
        elif isinstance(item, list):
            for value in item:
                visit(value)

    visit(context.get("header_buttons", []))


def _download_the_readers_copy(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    sources = pathlib.Path(app.outdir) / "_sources" / "notebooks"
    for copy in sorted((pathlib.Path(app.srcdir) / "student").glob("*.ipynb")):
        if (sources / copy.name).exists():
            shutil.copyfile(copy, sources / copy.name)


def setup(app):
    app.connect("html-page-context", _colab_opens_the_readers_copy, priority=900)
    app.connect("build-finished", _download_the_readers_copy)
    # After every other extension has added its page scripts (Mermaid, MathJax).
    app.connect("html-page-context", _tidy_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

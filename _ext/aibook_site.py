"""Sphinx hooks for the book's site (a local extension, listed in _config.yml).

Every page must work with no network. Jupyter Book 1 always loads sphinx-thebe, which puts
its loader and an inline script naming thebe's CDN address on every page, twice (declaring
the same ``const`` twice, an error in the browser's console). The book has no thebe button
(``launch_buttons.thebe`` is off), so nothing would ever call them: they are dropped, and
any script a page lists twice is kept once.
"""


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


def setup(app):
    # After every other extension has added its page scripts (Mermaid, MathJax).
    app.connect("html-page-context", _tidy_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

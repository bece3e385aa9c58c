"""The built site in a real browser: headless Chromium (Debian's), driven by Playwright.

The site is built from the notebooks that nbval has just run (the root conftest hands their
executions to the build's cache), served on 127.0.0.1 and opened page by page with the network
cut: every request that is not for the local server is recorded and aborted, and Chromium's own
name resolution refuses every other host. Each page is opened once; the tests below read what
was recorded. Screenshots, the build log and a table of requests per page go to
``test-artifacts/site/``.

    AIBOOK_SITE_BUILD=0   test the site already built (skip the build)
    AIBOOK_SITE_OUTPUT    build into $AIBOOK_SITE_OUTPUT/_build/html (default: ./_build/html)
    AIBOOK_CHROMIUM       the browser (default /usr/bin/chromium)
"""
import functools
import http.server
import json
import os
import pathlib
import re
import subprocess
import threading
import time
import urllib.parse

import nbformat
import pytest
import yaml

pytestmark = pytest.mark.browser

ROOT = pathlib.Path(__file__).resolve().parent.parent
ARTIFACTS = pathlib.Path(os.environ.get("AIBOOK_TEST_ARTIFACTS") or ROOT / "test-artifacts") / "site"
CHROMIUM = os.environ.get("AIBOOK_CHROMIUM", "/usr/bin/chromium")
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
TOC = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))


def toc_files():
    files = [TOC["root"]]
    for part in TOC.get("parts", []):
        for chapter in part.get("chapters", []):
            files.append(chapter["file"])
            files += [s["file"] for s in chapter.get("sections", [])]
    return files


DOCS = toc_files()
CHAPTERS = [f for f in DOCS if f.startswith("notebooks/")]
# Every page of the book, the redirect at the site's root, and Sphinx's own pages.
PAGES = [f"{doc}.html" for doc in DOCS] + ["index.html", "genindex.html", "search.html"]


def glossary_terms():
    """(English, Chinese) pairs of book/glossary.md, in file order."""
    text = (ROOT / "book" / "glossary.md").read_text(encoding="utf-8")
    block = text.split("```{glossary}", 1)[1].split("```", 1)[0]
    lines = [line for line in block.splitlines() if not line.startswith(":")]
    pairs, entry = [], []
    for line in lines + [""]:
        if line.strip() and not line.startswith((" ", "\t")):
            entry.append(line.strip())
        elif entry:
            if len(entry) >= 2:
                pairs.append((entry[0], entry[1]))
            entry = []
    return pairs


# --------------------------------------------------------------------------- the site, served


@pytest.fixture(scope="session")
def site_html(notebooks_of_this_run, site_summary):
    """The built site's folder, built now from the notebooks' cached executions."""
    html = pathlib.Path(os.environ.get("AIBOOK_SITE_OUTPUT") or ROOT).resolve() / "_build" / "html"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    if os.environ.get("AIBOOK_SITE_BUILD", "1") == "0":
        if not (html / "index.html").exists():
            pytest.fail(f"AIBOOK_SITE_BUILD=0 but there is no built site in {html}")
        site_summary(f"site: tested the site already built in {html} (AIBOOK_SITE_BUILD=0)")
        return html
    failed = sorted(n for n, outcome in notebooks_of_this_run.items() if outcome["failed"])
    if failed:  # the build would execute them again, only to fail the same way
        pytest.fail("the site is not built because notebooks failed under nbval: " + ", ".join(failed))
    log = ARTIFACTS / "build.log"
    env = dict(os.environ, AIBOOK_SKIP_SETUP="1")
    start = time.monotonic()
    with open(log, "w", encoding="utf-8") as out:
        # --all: every page is read again, so every page's warnings count, not only changed ones.
        result = subprocess.run(["bash", "scripts/build_book.sh", "--all"], cwd=ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT, timeout=1800)
    seconds = time.monotonic() - start
    text = log.read_text(encoding="utf-8", errors="replace")
    executed = re.findall(r"(\S+\.ipynb): Executing notebook", text)
    cached = re.findall(r"(\S+\.ipynb): Using cached notebook", text)
    site_summary(f"site build: {seconds:.0f} s, {len(cached)} notebook(s) from the execution cache, "
                   f"{len(executed)} executed by the build ({', '.join(pathlib.Path(p).name for p in executed) or 'none'})")
    if result.returncode != 0:
        problems = [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in text.splitlines()
                    if re.search(r"WARNING: (?!All log messages)|ERROR|Error|Traceback", line)
                    and "Kernel is running over TCP" not in line]
        pytest.fail(f"the book build failed (exit {result.returncode}); full log in {log}:\n"
                    + "\n".join(problems[:30] or text.splitlines()[-30:]), pytrace=False)
    return html


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".mjs": "text/javascript", ".js": "text/javascript", ".woff": "font/woff",
                      ".woff2": "font/woff2", ".svg": "image/svg+xml", ".json": "application/json"}

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def base_url(site_html):
    handler = functools.partial(_QuietHandler, directory=str(site_html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


# Module-scoped, not session-scoped: Playwright's sync API keeps an event loop running in this
# thread until it stops, and the unit tests that run after these on the same worker
# (conftest.py's order) call asyncio.run, which refuses to start inside a running loop.
@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"no browser at {CHROMIUM}: run `bash scripts/install_browser.sh` (the test command runs it: Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            # the network cut: no host but this machine can be resolved
            "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
        ])
        yield browser
        browser.close()


# --------------------------------------------------------------------------- one visit per page

MATHJAX_DONE = """async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
}"""
MERMAID_DONE = """() => [...document.querySelectorAll('.mermaid')].every(e =>
  e.getAttribute('data-processed') === 'true' || e.hasAttribute('data-mermaid-deferred')
  || e.hasAttribute('data-mermaid-render-failed'))"""
FACTS = """() => {
  const all = (sel) => [...document.querySelectorAll(sel)];
  const main = document.querySelector('main') || document.body;
  const prose = main.cloneNode(true);
  prose.querySelectorAll('pre, code, script, style, textarea, mjx-container, .mermaid').forEach(e => e.remove());
  const math = all('.math');
  const diagrams = all('.mermaid');
  return {
    title: document.title,
    math_total: math.length,
    math_typeset: math.filter(e => e.querySelector('mjx-container')).length,
    math_errors: all('mjx-merror').map(e => e.getAttribute('data-mjx-error') || e.textContent),
    prose: prose.textContent,
    diagrams_total: diagrams.length,
    diagrams_svg: diagrams.filter(e => e.querySelector('svg')).length,
    diagrams_deferred: diagrams.filter(e => e.hasAttribute('data-mermaid-deferred')).length,
    diagram_errors: diagrams.filter(e => /Syntax error|Parse error/.test(e.textContent)
                                      || e.hasAttribute('data-mermaid-render-failed')).length,
    launch_links: all('.dropdown-launch-buttons a').map(a => a.href),
    colab_text_links: all('main a').filter(a => a.href.includes('colab.research.google.com')).map(a => a.href),
    download_links: all('a.btn-download-source-button').map(a => a.href),
    glossary_links: all('main a[href*="glossary.html#term-"]').map(a => a.href),
    // code a reader sees that does not fit the column (collapsed cells have no width)
    wide_code: all('main div.highlight pre').filter(e => !e.closest('.cell_output') && e.clientWidth > 0
                                                  && e.scrollWidth > e.clientWidth + 1)
      .map(e => `${e.scrollWidth} px in ${e.clientWidth} px: ${e.textContent.split('\\n')[0].slice(0, 60)}`),
    // figures as shown: how much the browser shrank each (1 = shown at its own size)
    figures: all('main .cell_output img').filter(e => e.clientWidth > 0 && e.naturalWidth > 0)
      .map(e => ({width: e.naturalWidth, shown: e.clientWidth, alt: e.alt})),
    exercise_titles: all('main .exercise .admonition-title, main div.exercise p.admonition-title')
      .map(e => e.textContent.trim()),
  };
}"""


QUIET_SECONDS = 0.5  # as Playwright's "networkidle": no request in flight for this long


@pytest.fixture(scope="module")
def visit(browser, base_url, site_html, site_summary):
    """``visit(page)``: open a page once, wait for formulas and diagrams, and return what was seen.

    The page after it in ``PAGES`` starts loading meanwhile (the tests ask for pages in that
    order), so that Chromium renders two pages at once, one a core, instead of waiting on one.
    """
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    seen, loading, table = {}, {}, []

    def start(page_path):
        page = context.new_page()
        page.set_default_timeout(30_000)
        facts = {"page": page_path, "requests": [], "external": [], "failed": [], "bad_status": [],
                 "console_errors": [], "page_errors": []}
        in_flight, last_change = set(), [time.monotonic()]

        def route(r):
            url = r.request.url
            if url.startswith(base_url) or url.startswith(("data:", "blob:")):
                r.continue_()
            else:
                facts["external"].append(url)
                r.abort("internetdisconnected")

        def began(req):
            facts["requests"].append(req.url)
            in_flight.add(req)
            last_change[0] = time.monotonic()

        def ended(req):
            in_flight.discard(req)
            last_change[0] = time.monotonic()

        page.route("**/*", route)
        page.on("request", began)
        page.on("requestfinished", ended)
        page.on("requestfailed", ended)
        page.on("requestfailed", lambda req: facts["failed"].append(f"{req.url} ({req.failure})"))
        page.on("response", lambda res: res.status >= 400 and facts["bad_status"].append(f"{res.url} ({res.status})"))
        page.on("console", lambda msg: msg.type == "error" and facts["console_errors"].append(msg.text))
        page.on("pageerror", lambda err: facts["page_errors"].append(str(err)))
        facts["start"] = time.monotonic()
        response = page.goto(base_url + page_path, wait_until="commit")
        facts["status"] = response.status if response else None
        loading[page_path] = (page, facts, in_flight, last_change)

    def wait_until_quiet(page, page_path, in_flight, last_change):
        """Until no request of the page has been in flight for QUIET_SECONDS. Not Playwright's
        "networkidle", which is Chromium's own count: with two pages loading it sometimes never
        came (30 s time-outs) while this page had no request in flight."""
        deadline = time.monotonic() + 30
        while in_flight or time.monotonic() - last_change[0] < QUIET_SECONDS:
            if time.monotonic() > deadline:
                pytest.fail(f"{page_path}: requests still in flight after 30 s: "
                            f"{sorted(r.url for r in in_flight)[:5]}")
            page.wait_for_timeout(50)

    def finish(page_path):
        page, facts, in_flight, last_change = loading.pop(page_path)
        # the page loading ahead took the front: a page behind it gets no animation frames, and
        # Playwright's clicks and screenshots wait for frames (about 2 s each)
        page.bring_to_front()
        url = base_url + page_path
        if re.search(r'http-equiv="refresh"', (site_html / page_path).read_text(errors="replace"), re.I):
            # the site root's index.html sends the reader to the book's first page
            page.wait_for_url(lambda u: u != url)
        page.wait_for_load_state("load")
        page.evaluate(MATHJAX_DONE)
        try:
            page.wait_for_function(MERMAID_DONE, timeout=30_000)
        except Exception:  # noqa: BLE001 -- a diagram that never renders is reported by the tests
            pass
        wait_until_quiet(page, page_path, in_flight, last_change)
        facts["seconds"] = time.monotonic() - facts.pop("start")
        facts["final_url"] = page.url
        facts.update(page.evaluate(FACTS))
        stem = page_path.removesuffix(".html").replace("/", "__")
        if page_path.startswith("notebooks/") or page_path.startswith("book/"):
            page.screenshot(path=ARTIFACTS / f"{stem}.png")
        # A close-up of the first formula (display math if any) and diagram a reader can see.
        for kind, selectors in (("formula", ("div.math mjx-container", ".math mjx-container")),
                                ("diagram", (".mermaid svg",))):
            for selector in selectors:
                shown = page.locator(selector).filter(visible=True)
                if shown.count():
                    shown.first.screenshot(path=ARTIFACTS / f"{stem}--{kind}.png", timeout=10_000)
                    break
        if page_path.startswith("notebooks/"):
            facts["solutions"] = _solutions_as_shown(page)
        page.close()
        seen[page_path] = facts
        table.append(facts)
        return facts

    def open_page(page_path):
        if page_path in seen:
            return seen[page_path]
        if page_path not in loading:
            start(page_path)
        later = PAGES[PAGES.index(page_path) + 1:] if page_path in PAGES else []
        ahead = next((p for p in later if p not in seen and p not in loading), None)
        if ahead is not None and not loading.keys() - {page_path}:
            start(ahead)
        return finish(page_path)

    yield open_page
    for page, *_ in loading.values():
        page.close()
    context.close()
    _write_request_report(site_summary, table)


def _write_request_report(site_summary, table):
    rows = sorted(table, key=lambda f: PAGES.index(f["page"]) if f["page"] in PAGES else 999)
    lines = ["| page | requests | outside the local server | formulas typeset | diagrams drawn | seconds |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for f in rows:
        lines.append(f"| {f['page']} | {len(f['requests'])} | {len(f['external'])} | "
                     f"{f['math_typeset']}/{f['math_total']} | {f['diagrams_svg']}/{f['diagrams_total']} | "
                     f"{f['seconds']:.1f} |")
    (ARTIFACTS / "requests.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (ARTIFACTS / "requests.json").write_text(json.dumps(
        [{k: f[k] for k in ("page", "requests", "external", "failed", "bad_status", "math_total",
                            "math_typeset", "diagrams_total", "diagrams_svg", "seconds")} for f in rows],
        indent=1), encoding="utf-8")
    total = sum(len(f["requests"]) for f in rows)
    outside = sum(len(f["external"]) for f in rows)
    site_summary(f"site pages opened in Chromium: {len(rows)}, {total} requests, {outside} outside "
                   f"127.0.0.1; per page in {ARTIFACTS / 'requests.md'}")


# --------------------------------------------------------------------------- every page


@pytest.mark.parametrize("page_path", PAGES)
def test_page_loads_everything_from_the_local_server(visit, page_path):
    facts = visit(page_path)
    assert facts["status"] == 200
    assert facts["external"] == [], f"{page_path} asked for addresses outside the site"
    assert facts["bad_status"] == [], f"{page_path}: requests that failed on the local server"
    assert facts["failed"] == [], f"{page_path}: requests that did not complete"
    assert facts["page_errors"] == [], f"{page_path}: uncaught JavaScript errors"
    assert facts["console_errors"] == [], f"{page_path}: errors in the browser console"


RAW_TEX = re.compile(r"\$\$|\\\(|\\\[|\$[^$\n]*\\[A-Za-z]+[^$\n]*\$")


@pytest.mark.parametrize("page_path", PAGES)
def test_formulas_are_typeset_and_no_raw_tex_is_left(visit, page_path):
    facts = visit(page_path)
    assert facts["math_typeset"] == facts["math_total"], \
        f"{page_path}: only {facts['math_typeset']} of {facts['math_total']} formulas typeset"
    assert facts["math_errors"] == [], f"{page_path}: MathJax could not typeset these"
    leftovers = RAW_TEX.findall(facts["prose"])
    assert leftovers == [], f"{page_path}: raw TeX in the text: {leftovers[:5]}"


@pytest.mark.parametrize("page_path", PAGES)
def test_mermaid_diagrams_are_drawn_as_svg(visit, page_path):
    facts = visit(page_path)
    visible = facts["diagrams_total"] - facts["diagrams_deferred"]
    assert facts["diagrams_svg"] >= visible, \
        f"{page_path}: {facts['diagrams_svg']} of {visible} visible diagrams drawn"
    assert facts["diagram_errors"] == 0, f"{page_path}: Mermaid could not draw {facts['diagram_errors']} diagram(s)"


# A figure's smallest text is 9 pt (aibook.plots sets the sizes; tests/test_reading.py forbids
# smaller ones in the chapters), drawn at 100 dpi: 12.5 px. Shrunk below this scale it would be
# under 9 px on the page.
FIGURE_DPI, SMALLEST_FONT_PT, READABLE_PX = 100, 9, 9
MIN_FIGURE_SCALE = READABLE_PX / (SMALLEST_FONT_PT * FIGURE_DPI / 72)


@pytest.mark.parametrize("page_path", PAGES)
def test_no_code_block_scrolls_sideways_at_1280_px(visit, page_path):
    facts = visit(page_path)
    assert facts["wide_code"] == [], f"{page_path}: code wider than the column: {facts['wide_code'][:5]}"


@pytest.mark.parametrize("page_path", PAGES)
def test_no_figure_is_shrunk_below_a_readable_size_at_1280_px(visit, page_path):
    facts = visit(page_path)
    small = [f for f in facts["figures"] if f["shown"] < MIN_FIGURE_SCALE * f["width"]]
    assert small == [], (f"{page_path}: figures shrunk so that 9-pt text is under {READABLE_PX} px "
                         f"(draw them narrower, at most {800 / FIGURE_DPI / MIN_FIGURE_SCALE:.0f} in): {small[:5]}")


@pytest.mark.parametrize("doc", [p for p in PAGES if re.match(r"notebooks/\d\d_", p)])
def test_exercises_are_numbered_per_chapter(visit, doc):
    chapter = int(re.match(r"notebooks/(\d\d)", doc).group(1))
    titles = visit(doc)["exercise_titles"]
    assert titles, f"{doc}: no exercise titles found"
    numbers = [re.match(r"Exercise (\d+)\.(\d+)", t) for t in titles]
    assert all(numbers), f"{doc}: titles not 'Exercise {chapter}.k': {titles[:3]}"
    assert [(int(m.group(1)), int(m.group(2))) for m in numbers] == \
        [(chapter, k) for k in range(1, len(titles) + 1)], titles


def test_the_site_has_formulas_and_diagrams_to_check(visit):
    """With the network cut, a page shows typeset formulas and drawn diagrams (else the checks above prove nothing)."""
    seen = [visit(p) for p in PAGES]
    assert sum(f["math_typeset"] for f in seen) > 0, "no page has a typeset formula"
    assert sum(f["diagrams_svg"] for f in seen) > 0, "no page has a drawn Mermaid diagram"
    offline = visit("book/offline.html")
    assert offline["math_typeset"] >= 2 and offline["diagrams_svg"] >= 1


EXTERNAL_ASSET = re.compile(r"<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)=\"(?:https?:)?//", re.I)


def test_no_page_names_a_script_style_or_image_outside_the_site(site_html):
    """Static check of every built HTML file: what a page loads by itself must be local."""
    offenders = {}
    for path in site_html.rglob("*.html"):
        text = path.read_text(encoding="utf-8", errors="replace")
        hits = [m.group(0) for m in EXTERNAL_ASSET.finditer(text)]
        hits += re.findall(r"https?://(?:unpkg\.com|cdn\.jsdelivr\.net|cdnjs\.cloudflare\.com)[^\"' ]*", text)
        # a live widget would need the ipywidgets manager, which the site does not load
        hits += re.findall(r"application/vnd\.jupyter\.widget-view\+json", text)
        if hits:
            offenders[path.relative_to(site_html).as_posix()] = hits[:3]
    assert offenders == {}


def test_every_built_page_is_checked(site_html):
    skip = ("_static/", "_sources/", "_images/", "vendor/")
    built = {p.relative_to(site_html).as_posix() for p in site_html.rglob("*.html")}
    built = {p for p in built if not p.startswith(skip)}
    assert built - set(PAGES) == set(), "pages in the site that the browser tests do not open"


# --------------------------------------------------------------------------- chapters: Colab and download


def colab_url(doc):
    repo = urllib.parse.urlparse(CONFIG["repository"]["url"]).path.strip("/")
    branch = CONFIG["repository"].get("branch", "main")
    readers_copy = doc.replace("notebooks/", "student/", 1)  # the chapter without its solutions
    return f"{CONFIG['launch_buttons']['colab_url'].rstrip('/')}/github/{repo}/blob/{branch}/{readers_copy}.ipynb"


@pytest.mark.parametrize("doc", CHAPTERS)
def test_chapter_colab_button_and_link_open_the_readers_copy_of_this_notebook(visit, doc):
    assert (ROOT / doc.replace("notebooks/", "student/", 1)).with_suffix(".ipynb").exists()
    facts = visit(f"{doc}.html")
    expected = colab_url(doc)
    assert expected in facts["launch_links"], f"the launch button offers {facts['launch_links']}"
    assert facts["colab_text_links"], "the chapter has no 'Run in Colab' link"
    assert set(facts["colab_text_links"]) == {expected}


@pytest.mark.parametrize("doc", CHAPTERS)
def test_chapter_download_button_serves_the_readers_copy_of_this_notebook(visit, browser, base_url, doc):
    facts = visit(f"{doc}.html")
    notebooks = [u for u in facts["download_links"] if u.endswith(".ipynb")]
    assert notebooks == [f"{base_url}_sources/{doc}.ipynb"]
    context = browser.new_context()
    try:
        response = context.request.get(notebooks[0])
        assert response.status == 200
        served = nbformat.reads(response.text(), as_version=4)
    finally:
        context.close()
    readers_copy = nbformat.read(ROOT / f"{doc.replace('notebooks/', 'student/', 1)}.ipynb", as_version=4)
    assert [c.source for c in served.cells] == [c.source for c in readers_copy.cells]
    assert not any("solution" in c.metadata.get("tags", []) for c in served.cells)


# --------------------------------------------------------------------------- glossary and search


def test_glossary_links_in_pages_lead_to_glossary_entries(visit, browser, base_url):
    glossary = visit("book/glossary.html")
    assert glossary["status"] == 200
    context = browser.new_context()
    try:
        page = context.new_page()
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base_url) else r.abort())
        page.goto(base_url + "book/glossary.html", wait_until="domcontentloaded")
        anchors = set(page.evaluate("() => [...document.querySelectorAll('dt[id]')].map(e => e.id)"))
    finally:
        context.close()
    english, chinese = zip(*glossary_terms())
    assert len(anchors) >= len(english) + len(chinese), "each English and Chinese term is its own entry"
    for page_path in PAGES:
        for href in visit(page_path)["glossary_links"]:
            target = urllib.parse.urlparse(href)
            assert target.path.endswith("/book/glossary.html") and target.fragment in anchors, \
                f"{page_path} links to {href}, which is not a glossary entry"


@pytest.mark.parametrize("which", ["English", "Chinese"])
def test_search_finds_a_glossary_term(browser, base_url, which):
    english, chinese = glossary_terms()[0]
    term = english if which == "English" else chinese
    context = browser.new_context()
    try:
        page = context.new_page()
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base_url) else r.abort())
        page.goto(f"{base_url}search.html?q={urllib.parse.quote(term)}", wait_until="load")
        page.wait_for_function("""() => {
            const s = document.querySelector('#search-results .search-summary, #search-results p');
            return s && !/Preparing|Searching/.test(s.textContent) && s.textContent.trim().length > 0; }""",
                               timeout=30_000)
        results = page.evaluate("() => [...document.querySelectorAll('#search-results ul.search li a')].map(a => a.href)")
        page.screenshot(path=ARTIFACTS / f"search--{which.lower()}.png")
    finally:
        context.close()
    assert any("book/glossary.html" in href for href in results), \
        f"searching {term!r} did not find the glossary: {results}"


# --------------------------------------------------------------------------- exercises on the page


def _exercise_cells(doc):
    nb = nbformat.read(ROOT / f"{doc}.ipynb", as_version=4)
    tagged = lambda tag: [c for c in nb.cells if tag in c.metadata.get("tags", [])]
    return tagged("solution"), tagged("hidden-tests")


EXERCISE_CHAPTERS = [doc for doc in CHAPTERS if _exercise_cells(doc)[1]]


def _solutions_as_shown(page):
    """The page's text and its exercise solutions as a reader finds them, then after a click.

    Read during the page's one visit (a second load of each chapter cost about 4 s): last,
    because the clicks unfold the prose solutions.
    """
    closed = page.locator(".tag_solution details.hide:not([open])")
    dropdowns = page.locator("div.solution.dropdown")
    shown = {"text": page.evaluate("() => document.body.textContent"),
             "closed_code": closed.count(),
             "closed_code_visible": [closed.nth(i).locator("pre").first.is_visible()
                                     for i in range(closed.count())],
             "prose": dropdowns.count(), "prose_open_at_first": [], "prose_opens_on_click": []}
    for i in range(dropdowns.count()):
        body = dropdowns.nth(i).locator("section, p").last
        shown["prose_open_at_first"].append(body.is_visible())
        dropdowns.nth(i).locator("button.toggle-button").click()
        try:
            body.wait_for(state="visible", timeout=5_000)
            shown["prose_opens_on_click"].append(True)
        except Exception:  # noqa: BLE001 -- the test reports a solution that does not open
            shown["prose_opens_on_click"].append(False)
    return shown


@pytest.mark.parametrize("doc", EXERCISE_CHAPTERS)
def test_chapter_page_collapses_solutions_and_shows_no_hidden_test(visit, doc):
    solutions, hidden = _exercise_cells(doc)
    shown = visit(f"{doc}.html")["solutions"]
    text = shown["text"]
    visible_source = "\n".join(
        c.source for c in nbformat.read(ROOT / f"{doc}.ipynb", as_version=4).cells
        if "hidden-tests" not in c.metadata.get("tags", []))
    for cell in hidden:  # every distinctive line of every hidden test is absent from the page
        for line in (l.strip() for l in cell.source.splitlines()):
            if len(line) > 15 and not line.startswith("#") and line not in visible_source:
                assert line not in text, f"{doc}: hidden test line on the page: {line}"
    assert "### BEGIN SOLUTION" not in text and "### END SOLUTION" not in text
    code = [c for c in solutions if c.cell_type == "code"]
    prose = [c for c in solutions if c.cell_type == "markdown"]
    # code solutions sit in closed <details> (myst-nb's hide-input), their code not visible
    assert shown["closed_code"] == len(code), \
        f"{doc}: {shown['closed_code']} collapsed code solutions of {len(code)}"
    assert not any(shown["closed_code_visible"]), f"{doc}: a collapsed code solution shows its code"
    # prose solutions are sphinx-exercise dropdowns, folded by sphinx-togglebutton
    assert shown["prose"] == len(prose), f"{doc}: {shown['prose']} prose solutions of {len(prose)}"
    assert not any(shown["prose_open_at_first"]), f"{doc}: prose solutions open: {shown['prose_open_at_first']}"
    assert all(shown["prose_opens_on_click"]), f"{doc}: a click did not open: {shown['prose_opens_on_click']}"

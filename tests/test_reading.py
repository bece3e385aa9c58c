"""A chapter reads well for a first-time learner (book/template.md, "Reading"): the main line
first, the critique of the source articles in asides, plumbing hidden, code that fits the column.
Checked in the sources; tests/test_site.py checks the rendered pages in a browser."""
import json
import pathlib
import re
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
ERRATA = set(re.findall(r"^### (E\w+\.\d+) ", (ROOT / "book" / "errata.md").read_text(encoding="utf-8"), re.M))
ASIDE_OPENING = "```{admonition} What the articles say"
ABOUT_THE_ARTICLES = re.compile(r"\b(articles?|seeds?|errat\w*)\b", re.I)
MAX_ARTICLE_SHARE = 0.15
CODE_WIDTH = 76  # characters the code column shows at 1,280 px without scrolling (pyproject: ruff)
URL = re.compile(r"https?://\S+")


def cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def source(cell):
    return "".join(cell["source"])


def tags(cell):
    return cell.get("metadata", {}).get("tags", [])


def is_aside(cell):
    return cell["cell_type"] == "markdown" and source(cell).lstrip().startswith(ASIDE_OPENING)


def main_line_paragraphs(path):
    """The prose a reader reads straight through: markdown outside asides, exercises and solutions."""
    for cell in cells(path):
        text = source(cell)
        if cell["cell_type"] != "markdown" or is_aside(cell) or "solution" in tags(cell):
            continue
        if re.search(r"```\{(exercise|solution)\}", text):
            continue
        for paragraph in re.split(r"\n\s*\n", text):
            if not paragraph.lstrip().startswith(("#", "```", ":")):
                yield paragraph


def article_share(path):
    """The share of the main line's words in paragraphs about the articles or their errata."""
    paragraphs = [p for p in main_line_paragraphs(path)
                  if not re.search(r"random seed|seed\(|seed=", p)]  # a random seed is not an article
    words = lambda p: len(p.split())
    total = sum(map(words, paragraphs))
    return sum(words(p) for p in paragraphs if ABOUT_THE_ARTICLES.search(p)) / max(total, 1)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_articles_critique_is_at_most_15_percent_of_the_main_line(path):
    share = article_share(path)
    assert share <= MAX_ARTICLE_SHARE, \
        f"{share:.0%} of the main line is about the articles: move critique into a '{ASIDE_OPENING}' aside"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_an_aside_is_a_collapsed_admonition_naming_its_errata_entry_with_its_cells_after_it(path):
    previous = None
    for cell in cells(path):
        if is_aside(cell):
            text = source(cell)
            assert re.search(r"^:class: dropdown\s*$", text, re.M), f"an aside is collapsed: {text[:80]!r}"
            named = set(re.findall(r"\b(E\d+\.\d+)\b", text))
            assert named and named <= ERRATA, \
                f"an aside names its errata entries (E6.2, …) and each exists: {sorted(named)} in {text[:80]!r}"
        if "aside" in tags(cell):
            assert cell["cell_type"] == "code" and "hide-cell" in tags(cell), \
                "a cell of an aside is code tagged `aside` and `hide-cell` (collapsed on the site)"
            assert previous is not None and (is_aside(previous) or "aside" in tags(previous)), \
                "an aside's cells follow the aside directly"
        previous = cell


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_glue_is_plumbing_and_hidden_from_the_page(path):
    for cell in cells(path):
        if cell["cell_type"] == "code" and re.search(r"\bbook\.glue\(", source(cell)):
            assert {"remove-input", "remove-cell"} & set(tags(cell)), \
                f"{cell['id']}: a cell that glues is tagged remove-input (its output stays): {source(cell)[:60]!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_visible_code_line_fits_the_column(path):
    long = []
    for cell in cells(path):
        if cell["cell_type"] != "code" or {"remove-input", "remove-cell"} & set(tags(cell)):
            continue
        for line in source(cell).splitlines():
            # a URL cannot be wrapped (the setup cell's install line)
            if len(line) > CODE_WIDTH and not URL.search(line):
                long.append(f"{cell['id']}: {line}")
    assert not long, f"{len(long)} code line(s) longer than {CODE_WIDTH} characters:\n" + "\n".join(long[:10])


def test_notebooks_are_formatted_by_ruff():
    ruff = shutil.which("ruff") or str(pathlib.Path(sys.executable).with_name("ruff"))
    done = subprocess.run([ruff, "format", "--check", "notebooks"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, f"run `ruff format notebooks`:\n{done.stdout}{done.stderr}"


DIFFICULTY = re.compile(r"\((★{1,3})\)$")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_exercises_are_graded_easiest_first(path):
    stars = []
    for cell in cells(path):
        title = re.match(r"```\{exercise\}\s*(.*)", source(cell).lstrip())
        if cell["cell_type"] == "markdown" and title:
            grade = DIFFICULTY.search(title.group(1).strip())
            assert grade, f"the exercise title ends with its difficulty, (★), (★★) or (★★★): {title.group(1)!r}"
            stars.append(len(grade.group(1)))
    assert stars == sorted(stars), f"exercises from easiest to hardest: {stars}"


SMALL_FONT = re.compile(r"""\bfontsize\s*=\s*(?:(\d+(?:\.\d+)?)\b|["'](x{0,2}-?small)["'])""")
WIDE_FIGURE = re.compile(r"\bfigsize\s*=\s*\(\s*(\d+(?:\.\d+)?)\s*,")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_figures_use_no_text_under_9_pt_and_fit_the_column(path):
    from aibook import plots

    for cell in cells(path):
        if cell["cell_type"] != "code":
            continue
        for size, named in SMALL_FONT.findall(source(cell)):
            assert named == "" and float(size) >= 9, f"{cell['id']}: fontsize {size or named} (at least 9 pt)"
        for width in WIDE_FIGURE.findall(source(cell)):
            assert float(width) <= plots.MAX_WIDTH, \
                f"{cell['id']}: a figure {width} in wide is shrunk on the page (at most {plots.MAX_WIDTH} in)"

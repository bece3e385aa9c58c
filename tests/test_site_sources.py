"""What the site is built from, checked in the sources (no build, no browser): every chapter's
Colab set-up against the template, the table of contents, and the appendices' structure."""
import collections
import pathlib
import re
import shlex

import nbformat
import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
REPOSITORY = CONFIG["repository"]["url"].rstrip("/")
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
CJK = re.compile(r"[\u3400-\u9fff]")
COLAB_GUARD = 'if "google.colab" in sys.modules:'


def code_cells(path):
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


def pip_lines(source):
    return [line for line in source.splitlines() if re.search(r"(^|[\s%!])pip3?\s+install\b", line)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_first_code_cell_is_the_one_tagged_setup(path):
    cells = code_cells(path)
    assert cells, "a chapter without code"
    tagged = [i for i, c in enumerate(cells) if "setup" in c.metadata.get("tags", [])]
    assert tagged == [0], f"code cells tagged 'setup': {tagged} (want only the first)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_setup_cell_installs_the_library_from_the_repository_in_one_pip_install_in_colab_only(path):
    cells = code_cells(path)
    everywhere = [line for c in cells for line in pip_lines(c.source)]
    assert len(everywhere) == 1, f"want one pip install in the notebook, found {everywhere}"
    setup = cells[0].source.splitlines()
    line = next(i for i, text in enumerate(setup) if pip_lines(text))
    assert line > 0 and setup[line - 1].split("#")[0].strip() == COLAB_GUARD, \
        f"the install must sit directly under `{COLAB_GUARD}`: Colab lacks only the book's library"
    args = shlex.split(setup[line].strip())
    assert args[:2] == ["%pip", "install"], "use the %pip magic (it installs into the running kernel)"
    packages = [a for a in args[2:] if not a.startswith("-")]
    assert packages == [f"aibook @ git+{REPOSITORY}"], \
        f"install exactly the book's library from {REPOSITORY}, not {packages}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_setup_cell_imports_the_library_seeds_and_describes_the_run(path):
    source = code_cells(path)[0].source
    assert re.search(r"^from aibook import .*\bconfig\b", source, re.M)
    assert re.search(r"^config\.seed\(", source, re.M)
    assert re.search(r"^config\.describe\(\)", source, re.M)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_first_cell_has_a_title_and_a_run_in_colab_link_to_this_notebook(path):
    first = nbformat.read(path, as_version=4).cells[0]
    assert first.cell_type == "markdown"
    number = int(path.name[:2])
    if number > 0:
        assert re.match(rf"# Chapter {number}: \S", first.source), "title: `# Chapter N: …`"
    branch = CONFIG["repository"].get("branch", "main")
    repo = REPOSITORY.split("github.com/", 1)[1]
    url = f"https://colab.research.google.com/github/{repo}/blob/{branch}/notebooks/{path.name}"
    assert f"]({url})" in first.source, f"no text link to {url}"
    assert not re.search(r"!\[[^\]]*\]\(https?://", first.source), "no badge image: pages load nothing from the network"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_without_outputs(path):
    for cell in code_cells(path):
        assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]


def test_every_notebook_is_in_the_table_of_contents():
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    files = set(re.findall(r"file:\s*(\S+)", toc))
    assert {f"notebooks/{p.stem}" for p in NOTEBOOKS} <= files


# --------------------------------------------------------------------------- glossary


def glossary_entries():
    """Each entry of the {glossary} block as its list of non-blank lines."""
    text = (ROOT / "book" / "glossary.md").read_text(encoding="utf-8")
    assert text.count("```{glossary}") == 1, "one glossary block, so every term sorts together"
    block = text.split("```{glossary}", 1)[1].split("\n```", 1)[0]
    entries, current = [], []
    for line in block.splitlines():
        if line.startswith(":"):
            continue
        if line.strip():
            current.append(line)
        elif current:
            entries.append(current)
            current = []
    return entries + ([current] if current else [])


def test_glossary_entries_are_english_term_chinese_term_definition():
    for lines in glossary_entries():
        english, chinese, *definition = lines
        assert not english.startswith(" ") and not CJK.search(english), f"English term first: {lines[:2]}"
        assert not chinese.startswith(" ") and CJK.search(chinese), f"then its Chinese term: {lines[:2]}"
        assert definition and all(d.startswith("  ") for d in definition), f"an indented definition: {lines[:2]}"


def test_glossary_terms_are_unique():
    terms = [line.strip() for lines in glossary_entries() for line in lines[:2]]
    repeated = [t for t, n in collections.Counter(terms).items() if n > 1]
    assert repeated == []


def test_chapters_link_only_to_terms_in_the_glossary():
    terms = {line.strip() for lines in glossary_entries() for line in lines[:2]}
    role = re.compile(r"(?<!`)\{term\}`([^`<]*?)(?:\s*<([^>]+)>)?`")  # not one quoted as code
    for path in NOTEBOOKS + sorted((ROOT / "book").glob("*.md")):
        for text, target in role.findall(path.read_text(encoding="utf-8")):
            term = (target or text).strip()
            # Sphinx matches terms ignoring case
            assert term.lower() in {t.lower() for t in terms}, f"{path.name}: no glossary term {term!r}"


# --------------------------------------------------------------------------- errata


def test_errata_entries_say_what_the_article_says_what_is_right_and_where_it_is_shown():
    text = (ROOT / "book" / "errata.md").read_text(encoding="utf-8")
    sections = re.split(r"^## ", text, flags=re.M)[1:]
    ids = []
    for section in sections:
        heading = section.splitlines()[0]
        chapter = re.match(r"Chapter (\d+):", heading)
        for entry in re.split(r"^### ", section, flags=re.M)[1:]:
            title = entry.splitlines()[0]
            number = re.match(r"E(\d+|[A-Z])\.(\d+) \S", title)
            assert number, f"entry heading `### EN.k title` (N: chapter, or a letter for an appendix), not {title!r}"
            if chapter:
                assert int(number.group(1)) == int(chapter.group(1)), f"{title!r} under {heading!r}"
            # An appendix entry (a misattributed paper) is shown on the references page.
            for item in ("**Article**", "**Right**") + (("**Shown in**",) if chapter else ()):
                assert item in entry, f"{title!r} lacks {item}"
            ids.append(number.group(0))
    assert ids, "the errata page lists no entry"
    assert len(ids) == len(set(ids)), "errata numbers are unique"


# --------------------------------------------------------------------------- references


def bib_entries():
    text = (ROOT / "book" / "references.bib").read_text(encoding="utf-8")
    return re.findall(r"@(\w+)\s*\{\s*([^,\s]+)\s*,(.*?)\n\}", text, flags=re.S)


def test_references_have_authors_title_year_and_venue():
    venue = {"article": "journal", "inproceedings": "booktitle", "incollection": "booktitle",
             "book": "publisher"}
    for kind, key, body in bib_entries():
        fields = set(re.findall(r"^\s*(\w+)\s*=", body, flags=re.M))
        missing = {"title", "year"} - fields
        if not {"author", "editor"} & fields:
            missing.add("author")
        if kind.lower() in venue and venue[kind.lower()] not in fields:
            missing.add(venue[kind.lower()])
        assert not missing, f"{key}: missing {sorted(missing)}"


def test_reference_keys_are_unique():
    keys = [key for _, key, _ in bib_entries()]
    assert [k for k, n in collections.Counter(keys).items() if n > 1] == []


def test_every_citation_has_a_reference():
    keys = {key for _, key, _ in bib_entries()}
    cite = re.compile(r"(?<!`)\{cite(?::[a-z]+)?\}`([^`]+)`")
    for path in NOTEBOOKS + sorted((ROOT / "book").glob("*.md")):
        for group in cite.findall(path.read_text(encoding="utf-8")):
            for key in (k.strip() for k in group.split(",")):
                assert key in keys, f"{path.name} cites {key!r}, which book/references.bib lacks"

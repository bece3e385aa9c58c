"""What the site is built from, checked in the sources (no build, no browser): every chapter
against the chapter template (book/template.md: title, Colab link, what you will learn, the setup
cell, cell ids, Summary and Exercises, exercise labels and solutions, the word "article", the one
section that uses the test split), the table of contents, and the appendices' structure."""
import collections
import json
import pathlib
import re
import shlex
import textwrap
import tomllib

import nbformat
import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
REPOSITORY = CONFIG["repository"]["url"].rstrip("/")
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
CJK = re.compile(r"[\u3400-\u9fff]")
COLAB_GUARD = 'if "google.colab" in sys.modules:'
# `aibook[rl] @ git+…`: a chapter may install one of the library's extras (pyproject.toml)
WITH_EXTRA = re.compile(r"aibook\[([a-z0-9-]+)\] @")
CHAPTER_EXTRAS = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
                     ["project"]["optional-dependencies"]) - {"instructor"}


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
    # `repo = "github.com/…"` on the line above keeps the install within the code column;
    # IPython expands `{repo}` in the magic
    repo = re.fullmatch(r'\s+repo = "([^"]+)"', setup[line - 1])
    guard = line - 2 if repo else line - 1
    assert guard >= 0 and setup[guard].split("#")[0].strip() == COLAB_GUARD, \
        f"the install must sit directly under `{COLAB_GUARD}`: Colab lacks only the book's library"
    text = setup[line].strip().replace("{repo}", repo.group(1)) if repo else setup[line].strip()
    args = shlex.split(text)
    assert args[:2] == ["%pip", "install"], "use the %pip magic (it installs into the running kernel)"
    packages = [a for a in args[2:] if not a.startswith("-")]
    assert len(packages) == 1 and WITH_EXTRA.sub("aibook @", packages[0]) == f"aibook @ git+{REPOSITORY}", \
        f"install exactly the book's library from {REPOSITORY}, not {packages}"
    extra = WITH_EXTRA.match(packages[0])
    if extra:  # a chapter's own needs, declared in pyproject.toml (never the instructor's tools)
        assert extra.group(1) in CHAPTER_EXTRAS, \
            f"aibook[{extra.group(1)}]: not one of pyproject.toml's chapter extras {sorted(CHAPTER_EXTRAS)}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_setup_cell_imports_the_library_seeds_and_describes_the_run(path):
    source = one_line_imports(code_cells(path)[0].source)
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
    # readers run the copy without solutions (student/, scripts/student_notebooks.py)
    url = f"https://colab.research.google.com/github/{repo}/blob/{branch}/student/{path.name}"
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


# --------------------------------------------------------------------------- the chapter template
# book/template.md states the template; these tests hold chapters 0-7 (and every chapter copied from
# them) to it, so that a chapter that drifts fails here rather than in review.

TEMPLATE = (ROOT / "book" / "template.md").read_text(encoding="utf-8")
LIB = ROOT / "lib" / "aibook"
AIBOOK_IMPORT = re.compile(r"from aibook import (\w+(?:, \w+)*)")
SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
EXERCISE_LABEL = re.compile(r"\bch\d\d-ex\d+\b")


def cells(path):
    return nbformat.read(path, as_version=4).cells


def tags(cell):
    return cell.metadata.get("tags", [])


def prefix(path):
    """A chapter's prefix for cell ids and exercise labels: ch00 for 00_how_to_use.ipynb."""
    return f"ch{path.name[:2]}"


def template_setup_lines():
    """The setup cell exactly as book/template.md shows it, for this repository."""
    section = TEMPLATE.split("**One setup cell**", 1)[1]
    block = re.search(r"```python\n(.*?)\n[ \t]*```", section, re.S).group(1)
    return textwrap.dedent(block).replace("<repository>", REPOSITORY.split("github.com/", 1)[1]).splitlines()


def test_template_shows_a_setup_cell_with_one_aibook_import_line():
    lines = template_setup_lines()
    assert len([line for line in lines if AIBOOK_IMPORT.fullmatch(line)]) == 1, lines
    assert COLAB_GUARD in "\n".join(lines)


def one_line_imports(source):
    """The source with ruff's wrapped `from aibook import (...)`, one module a line, read as one line."""
    return re.sub(r"^from aibook import \(\n(.*?)\n\)$",
                  lambda m: "from aibook import " + ", ".join(x.strip().rstrip(",") for x in m.group(1).splitlines()),
                  source, flags=re.S | re.M)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_setup_cell_is_the_templates_line_for_line_but_for_the_modules_it_imports(path):
    want = template_setup_lines()
    got = WITH_EXTRA.sub("aibook @", one_line_imports(code_cells(path)[0].source)).splitlines()
    same = len(got) == len(want) and all(
        g == w or (AIBOOK_IMPORT.fullmatch(g) and AIBOOK_IMPORT.fullmatch(w)) for g, w in zip(got, want))
    assert same, "the setup cell is book/template.md's, line for line; only the modules on the " \
                 "`from aibook import` line vary. Want:\n" + "\n".join(want)
    modules = next(AIBOOK_IMPORT.fullmatch(g) for g in got if AIBOOK_IMPORT.fullmatch(g)).group(1).split(", ")
    assert modules == sorted(set(modules)), f"modules sorted alphabetically, each once: {modules}"
    assert "config" in modules, "the setup cell seeds and describes the run with `config`"
    missing = [m for m in modules if not ((LIB / f"{m}.py").is_file() or (LIB / m / "__init__.py").is_file())]
    assert not missing, f"no such module in lib/aibook: {missing}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_title_cell_has_the_title_the_colab_link_and_what_you_will_learn_as_a_bold_line(path):
    lines = cells(path)[0].source.splitlines()
    number = int(path.name[:2])
    if number > 0:  # chapter 0 is the guide, "How to use this book"
        assert re.fullmatch(rf"# Chapter {number}: \S.*", lines[0]), "first line: `# Chapter N: …`"
    else:
        assert re.fullmatch(r"# \S.*", lines[0])
    assert lines[2].startswith("[Run this chapter in Colab](https://colab.research.google.com/"), \
        "third line: the text link `[Run this chapter in Colab](…)`"
    assert lines[4] == "**What you will learn**", "fifth line: the bold line **What you will learn**"
    bullets = [line for line in lines[5:] if line.startswith("- ")]
    assert 3 <= len(bullets) <= 6, f"three to six bullet points, not {len(bullets)}"
    assert all(line == "" or line.startswith(("- ", "  ")) for line in lines[5:]), \
        "after **What you will learn** only its bullet points"
    for cell in cells(path):
        if cell.cell_type == "markdown":
            assert not re.search(r"^#+\s*What you will learn", cell.source, re.M | re.I), \
                "**What you will learn** is a bold line, not a heading"


# ----------------------------------------------------------------- cell ids


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_cell_ids_are_chNN_slug_unique_and_valid(path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    assert (notebook.nbformat, notebook.nbformat_minor) >= (4, 5), "cell ids need nbformat 4.5"
    # the ids as stored: nbformat.read quietly replaces a repeated id by a random one
    ids = [cell.get("id") for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]]
    wrong = [i for i in ids if not re.fullmatch(rf"{prefix(path)}-{SLUG}", i)]
    assert not wrong, f"ids are {prefix(path)}-<slug> (lowercase letters, digits, hyphens): {wrong}"
    repeated = [i for i, n in collections.Counter(ids).items() if n > 1]
    assert not repeated, f"ids are unique within a notebook: {repeated}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_cells_with_a_role_carry_its_id(path):
    ch, found = prefix(path), cells(path)
    want = {0: f"{ch}-title"}
    for i, cell in enumerate(found):
        if "setup" in tags(cell):
            want[i] = f"{ch}-setup"
        elif cell.cell_type == "markdown" and cell.source.startswith("## Summary"):
            want[i] = f"{ch}-summary"
        elif cell.cell_type == "markdown" and cell.source.startswith("## Exercises"):
            want[i] = f"{ch}-exercises"
    for label, group in exercise_groups(path):
        for i, role in group:
            want[i] = label if role == "question" else f"{label}-{role}"
    wrong = {found[i].id: id_ for i, id_ in want.items() if found[i].id != id_}
    assert not wrong, f"cell id → the id its role gives it: {wrong}"


# ----------------------------------------------------------------- Summary, Exercises, exercises


def heading_cells(path, heading):
    """Indices of the markdown cells with a line `heading` (exactly)."""
    return [i for i, cell in enumerate(cells(path))
            if cell.cell_type == "markdown" and heading in cell.source.splitlines()]


def exercise_role(cell):
    if cell.cell_type == "markdown":
        if cell.source.startswith("```{exercise}"):
            return "question"
        if "solution" in tags(cell):
            return "answer"  # prose: a {solution} dropdown
        return None
    for tag, role in (("hidden-tests", "tests"), ("check", "check"), ("solution", "solution")):
        if tag in tags(cell):
            return role
    return None


def exercise_groups(path):
    """``[(label, [(cell index, role), …])]`` for the exercises after the `## Exercises` cell: a
    question, then its solution, check, hidden tests and prose answer (the roles it has)."""
    found = cells(path)
    start = heading_cells(path, "## Exercises")
    if len(start) != 1:
        return []
    groups = []
    for i in range(start[0] + 1, len(found)):
        role = exercise_role(found[i])
        assert role, f"{path.name}: cell {found[i].id} after ## Exercises is no part of an exercise"
        if role == "question":
            label = re.search(r"^:label:\s*(\S+)", found[i].source, re.M)
            groups.append((label.group(1) if label else None, []))
        assert groups, f"{path.name}: the cells after ## Exercises start with a question"
        groups[-1][1].append((i, role))
    return groups


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_summary_and_exercises_are_markdown_cells_of_their_own_in_that_order(path):
    found = cells(path)
    summary, exercises = heading_cells(path, "## Summary"), heading_cells(path, "## Exercises")
    assert len(summary) == 1 and len(exercises) == 1, "one ## Summary and one ## Exercises"
    (s,), (e,) = summary, exercises
    assert found[s].source.startswith("## Summary") and found[e].source.startswith("## Exercises"), \
        "each heading starts its own cell"
    assert e == s + 1, "## Exercises follows ## Summary directly"
    assert re.search(r"^- ", found[s].source, re.M), "the summary is a few bullet points"
    for i in (s, e):
        assert len(re.findall(r"^#", found[i].source, re.M)) == 1, f"cell {found[i].id}: one heading only"
        assert "```{" not in found[i].source, f"cell {found[i].id}: the exercises are cells of their own"
    assert exercise_groups(path), "exercises follow ## Exercises"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_exercises_are_labelled_chNN_exK_in_order_each_with_a_collapsed_solution(path):
    found, groups = cells(path), exercise_groups(path)
    labels = [label for label, _ in groups]
    assert labels == [f"{prefix(path)}-ex{k}" for k in range(1, len(labels) + 1)], labels
    if int(path.name[:2]) > 0:
        assert len(labels) >= 3, "at least three exercises"
    for label, group in groups:
        question, *rest = [found[i] for i, _ in group]
        assert re.match(rf"```{{exercise}} \S.*\n:label: {label}\n", question.source), \
            f"{label}: ```{{exercise}} <title> on the first line, :label: {label} on the second"
        roles = [role for _, role in group]
        code_roles = [r for r in roles if r in ("solution", "check", "tests")]
        assert code_roles in ([], ["solution", "check", "tests"]), \
            f"{label}: a code exercise has a solution, a check and hidden tests, in that order: {roles}"
        assert roles.count("answer") <= 1
        for (i, role), cell in zip(group[1:], rest):
            if role == "answer":
                assert cell.source.startswith(f"```{{solution}} {label}\n:class: dropdown\n"), \
                    f"{label}: a prose solution is ```{{solution}} {label} with :class: dropdown"
            elif role == "solution":
                assert "hide-input" in tags(cell), f"{label}: a code solution is collapsed (hide-input)"
                assert "### BEGIN SOLUTION" in cell.source and "### END SOLUTION" in cell.source
            elif role == "check":
                assert "exercises.check(" in cell.source, f"{label}: the check calls exercises.check"
            elif role == "tests":
                assert "remove-cell" in tags(cell), f"{label}: hidden tests are removed from the site"
                meta = cell.metadata.get("exercise", {})
                assert meta.get("id") == label and meta.get("points", 0) > 0, \
                    f"{label}: hidden tests carry metadata exercise: {{id: {label}, points}}, not {meta}"
        assert "solution" in roles or "answer" in roles, f"{label} has no solution"
    for cell in found:  # no directive or hidden test outside the exercises section
        place = next((label for label, group in groups if any(found[i] is cell for i, _ in group)), None)
        if cell.cell_type == "markdown":
            for target in re.findall(r"```\{solution\}\s*(\S+)", cell.source):
                assert target == place, f"cell {cell.id}: a solution to {target} belongs under it"
            if "```{exercise}" in cell.source:
                assert place, f"cell {cell.id}: exercises go after ## Exercises, one per cell"
        if "exercise" in cell.metadata or "hidden-tests" in tags(cell):
            assert place and cell.metadata.get("exercise", {}).get("id") == place, \
                f"cell {cell.id}: hidden tests for an exercise that is not above them"


def test_exercise_references_name_existing_labels():
    labels = {label for path in NOTEBOOKS for label, _ in exercise_groups(path)}
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "book").glob("*.md"))]
    texts += [(f"{p.name} [{c.id}]", c.source) for p in NOTEBOOKS for c in cells(p) if c.cell_type == "markdown"]
    for where, text in texts:
        for role, target in re.findall(r"\{(ref|numref)\}`(?:[^`<]*<)?([^`>]+)>?`", text):
            if re.fullmatch(r"ch\d\d-ex\d+", target.strip()):
                assert target.strip() in labels, f"{where}: {{{role}}} to {target}, which no exercise has"
        for named in EXERCISE_LABEL.findall(text):  # "Exercise ch03-ex5" in the errata, say
            assert named in labels, f"{where} names exercise {named}, which does not exist"


# ----------------------------------------------------------------- one word for the sources

SEED_FOR_ARTICLE = re.compile(r"\bseeds?(?:\s+|/|-)0\d\d\b|\bseed's\b|\bseeds'|\bseed\s+(?:articles?|listings?)\b", re.I)


def test_the_source_articles_are_called_articles_not_seeds():
    """"Seed" means a random seed; the five source articles are "the articles", one is "article 002"."""
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "book").glob("*.md"))]
    texts += [(f"{p.name} [{c.id}]", c.source) for p in NOTEBOOKS for c in cells(p) if c.cell_type == "markdown"]
    for where, text in texts:
        for line in text.splitlines():
            assert not SEED_FOR_ARTICLE.search(line), f"{where}: say article, not seed: {line.strip()}"
    index = (ROOT / "book" / "index.md").read_text(encoding="utf-8")
    assert re.search(r"calls them \*the articles\*", index) and "article 000" in index, \
        "the book's first page says once what 'the articles' and 'article 000' are"


# ----------------------------------------------------------------- the test split, once

TEST_SECTION = "## The test set, once"
# A use of the test split in code: x_test, y_test, dx_test, xm_test, features_test, …, split("test").
TEST_DATA = re.compile(r"""\b[a-z]*(?:[xy][a-z]?|features|images|labels|ds)_test\b|\bsplit\(\s*["']test["']""", re.I)
# Cells that touch the test split before their chapter's "## The test set, once" (or in a chapter
# without one): each was reviewed, and the code stays where it is. A new such cell fails the test;
# an entry that no longer touches the test split early fails too, so the list stays exact.
TEST_SPLIT_BEFORE_ITS_SECTION = {
    # The split is made, counted or prepared (with training statistics); no model sees it.
    "ch00-007": "glues the number of training, validation and test digits (chapter 0 has no test section)",
    "ch01-014": "digits.split('test') -> x_test, y_test (counted by the glue cell after it)",
    "ch02-005": "holds out a stratified test quarter of each data set and counts it",
    "ch02-013": "HOG features of the test images (a fixed transform: nothing is learned from them)",
    "ch03-004": "breast-cancer train/validation/test split, standardised with the training statistics",
    "ch03-027": "8x8 digits train/validation/test split (dx_test, dy_test), counted",
    "ch04-048": "flattens mnist.x_test into xm_test, next to the training data",
    "ch04-004": "counts the 8x8 digits of all three splits (the test split is held back unused)",
    "ch07-load-data": "checks the test images' shape and glues their number",
    # A model is applied to the test split outside the section.
    "ch02-032": "runs the hand-walked tree rules and tree.predict on the test inputs (no labels, no "
                "score) to show that both give the same answers, in 'Interpretability, made concrete'",
    "ch04-049": "evaluates the NumPy and the Keras network on the test split (test_hand, test_keras) in "
                "section 5; chapter 4 has no 'The test set, once' section",
}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_test_split_is_used_only_in_and_after_its_one_section(path):
    found = cells(path)
    sections = heading_cells(path, TEST_SECTION)
    assert len(sections) <= 1, f"`{TEST_SECTION}` appears at most once"
    for i, cell in enumerate(found):
        if cell.cell_type == "markdown" and i not in sections:
            assert not re.search(r"^#+ .*\btest\b.*\bonce\b", cell.source, re.M | re.I), \
                f"cell {cell.id}: the section where the test split is used is called `{TEST_SECTION}`"
    start = sections[0] if sections else len(found)
    early = {cell.id for cell in found[:start] if cell.cell_type == "code" and TEST_DATA.search(cell.source)}
    known = {cell_id for cell_id in TEST_SPLIT_BEFORE_ITS_SECTION if cell_id.startswith(prefix(path) + "-")}
    assert early - known == set(), f"cells using the test split before `{TEST_SECTION}`"
    assert known - early == set(), "listed in TEST_SPLIT_BEFORE_ITS_SECTION but no longer using the test split early"


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

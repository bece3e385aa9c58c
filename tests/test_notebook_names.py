"""One meaning per name across the book: a function or class defined at the top level of a code cell
in two chapter notebooks must be defined the same way in both. Two chapters that need the same
helper import it from `aibook` instead of each writing their own, slightly different, copy (a
reader who runs chapter 3 and then chapter 4 in one kernel would otherwise get whichever ran last).

Definitions are compared as `ast.unparse` gives them: the same code with other comments, blank lines
or line breaks counts as the same; any other difference, a docstring included, does not."""
import ast
import collections
import pathlib
import re

import nbformat
import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
MAGIC = re.compile(r"^(\s*)[%!]")  # an IPython magic (%pip, %%time) or a shell escape (!ls)


def python_source(source):
    """A cell's source as plain Python: each magic or shell line becomes `pass`, at its indentation,
    so that line numbers stay and a block whose body was a magic still parses."""
    return "\n".join(MAGIC.sub(r"\1pass  # ", line, count=1) if MAGIC.match(line) else line
                     for line in source.splitlines())


def top_level_definitions(path):
    """``[(name, unparsed definition, cell id)]`` for every top-level def and class of the notebook."""
    found = []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        tree = ast.parse(python_source(cell.source), filename=f"{path.name}:{cell.id}")
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                found.append((node.name, ast.unparse(node), cell.id))
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_code_cell_parses_as_python_once_magics_are_set_aside(path):
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "code":
            try:
                ast.parse(python_source(cell.source))
            except SyntaxError as error:
                pytest.fail(f"{path.name}, cell {cell.id}: {error}")


def test_no_two_notebooks_define_the_same_name_differently():
    # name -> definition -> [(notebook, cell id)]
    definitions = collections.defaultdict(lambda: collections.defaultdict(list))
    for path in NOTEBOOKS:
        for name, source, cell_id in top_level_definitions(path):
            definitions[name][source].append((path.name, cell_id))
    collisions = []
    for name, versions in sorted(definitions.items()):
        notebooks = {notebook for places in versions.values() for notebook, _ in places}
        if len(versions) > 1 and len(notebooks) > 1:
            where = "; ".join(f"version {k + 1}: " + ", ".join(f"{nb} [{cid}]" for nb, cid in places)
                              for k, places in enumerate(versions.values()))
            collisions.append(f"{name}: {where}")
    assert not collisions, ("defined differently in different notebooks (move the shared one into "
                            "`aibook`, or give the chapters' versions different names):\n  "
                            + "\n  ".join(collisions))

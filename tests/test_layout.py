"""The library's layout rule, checked: every module is listed where readers look, helpers for one
chapter serve only that chapter, and nothing a reader installs needs the instructor's extra."""
import ast
import json
import pathlib
import re

import aibook

ROOT = pathlib.Path(__file__).resolve().parent.parent
LIB = ROOT / "lib" / "aibook"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def modules():
    """The library's top-level modules and packages, by name."""
    names = {p.stem for p in LIB.glob("*.py") if p.stem != "__init__"}
    names |= {p.parent.name for p in LIB.glob("*/__init__.py")}
    return sorted(names)


def notebook_code(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")


def test_the_package_docstring_and_the_readme_list_every_module():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in modules():
        assert re.search(rf"^\s+{name}\s", aibook.__doc__, re.M), f"aibook/__init__.py does not list {name}"
        assert f"`{name}`" in readme, f"README's layout table does not list {name}"


def test_a_chapter_helper_serves_only_the_chapter_it_is_named_after():
    for helper in sorted((LIB / "chapters").glob("ch[0-9][0-9].py")):
        users = [p.name for p in NOTEBOOKS if re.search(rf"\bchapters\b.*\b{helper.stem}\b", notebook_code(p))]
        assert users == [p.name for p in NOTEBOOKS if p.name.startswith(helper.stem[2:] + "_")], \
            f"{helper.stem} is used by {users}: a helper two chapters need belongs in the shared core"


def test_no_chapter_imports_the_instructor_tools():
    for path in NOTEBOOKS:
        assert not re.search(r"\binstructor\b", notebook_code(path)), path.name


def test_only_the_instructor_module_imports_nbformat_or_nbclient():
    for path in LIB.rglob("*.py"):
        if path.name == "instructor.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            assert not any(n.split(".")[0] in ("nbformat", "nbclient") for n in names), \
                f"{path.relative_to(LIB)} imports {names}: readers install aibook without the instructor extra"

"""One owner of the book's run settings: only ``lib/aibook/config.py`` reads the book's
environment variables. The library, the scripts, the benchmarks and the root conftest.py
take them from ``aibook.config`` (Python) or ``python -m aibook.config`` (shell).

Python files are parsed, so that docstrings, comments and messages may name the variables;
what counts is code that reads the environment. Shell files count ``$NAME`` and ``${NAME``
expansions outside comments.
"""
import ast
import pathlib
import re

import pytest

from aibook import config

ROOT = pathlib.Path(__file__).resolve().parents[1]
BOOK_VARIABLES = frozenset(config.VARIABLES)
OWNER = ROOT / "lib" / "aibook" / "config.py"


def _files_that_must_not_read():
    files = [ROOT / "conftest.py"]
    for folder in ("lib/aibook", "scripts", "benchmarks"):
        files += [p for p in sorted((ROOT / folder).rglob("*"))
                  if p.is_file() and (p.suffix in (".py", ".sh") or p.parent.name == "scripts" and not p.suffix)
                  and "__pycache__" not in p.parts]
    return [p for p in files if p != OWNER]


# --------------------------------------------------------------------------- Python


def _is_environ(node, names):
    """``os.environ`` / ``os.environb``, or ``environ`` imported from os."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return node.value.id in names["os"] and node.attr in ("environ", "environb")
    return isinstance(node, ast.Name) and node.id in names["environ"]


def _is_getenv(node, names):
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return node.value.id in names["os"] and node.attr in ("getenv", "getenvb")
    return isinstance(node, ast.Name) and node.id in names["getenv"]


def _docstrings(tree):
    nodes = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    return {id(n.body[0].value) for n in ast.walk(tree)
            if isinstance(n, nodes) and n.body and isinstance(n.body[0], ast.Expr)
            and isinstance(n.body[0].value, ast.Constant) and isinstance(n.body[0].value.value, str)}


def python_reads(source, filename="<source>"):
    """``[(line, what)]``: each place the code reads a book variable from the environment.

    A read is ``os.environ[NAME]``, ``os.environ.get/setdefault/pop(NAME)``, ``NAME in
    os.environ``, ``os.getenv(NAME)`` (also with ``from os import environ, getenv``), or
    ``{**os.environ, NAME: ...}`` / ``dict(os.environ, NAME=...)`` (a child's copy of it).
    When the name is computed (``os.environ.get(key)``), the read counts if the code also
    spells a book variable as a string anywhere but in a docstring."""
    tree = ast.parse(source, filename)
    names = {"os": {"os"}, "environ": set(), "getenv": set()}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names["os"] |= {a.asname or a.name for a in node.names if a.name == "os"}
        elif isinstance(node, ast.ImportFrom) and node.module == "os":
            for alias in node.names:
                if alias.name in ("environ", "environb"):
                    names["environ"].add(alias.asname or alias.name)
                elif alias.name in ("getenv", "getenvb"):
                    names["getenv"].add(alias.asname or alias.name)
    docstrings = _docstrings(tree)
    spelled = sorted({n.value for n in ast.walk(tree)
                      if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings
                      and n.value in BOOK_VARIABLES})
    found = []

    def key(node, line, how):
        if isinstance(node, ast.Constant):
            if node.value in BOOK_VARIABLES:
                found.append((line, f"{how} {node.value}"))
        elif spelled:  # a computed name, in code that spells a book variable
            found.append((line, f"{how} by a computed name ({', '.join(spelled)} spelt in this file)"))

    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Subscript) and _is_environ(node.value, names):
            key(node.slice, line, "os.environ[...]")
        elif isinstance(node, ast.Call):
            func = node.func
            if _is_getenv(func, names) and node.args:
                key(node.args[0], line, "os.getenv")
            elif (isinstance(func, ast.Attribute) and _is_environ(func.value, names)
                  and func.attr in ("get", "setdefault", "pop", "__getitem__", "__contains__") and node.args):
                key(node.args[0], line, f"os.environ.{func.attr}")
            elif (isinstance(func, ast.Name) and func.id == "dict" and node.args
                  and _is_environ(node.args[0], names)):
                for kw in node.keywords:
                    if kw.arg in BOOK_VARIABLES:
                        found.append((line, f"dict(os.environ, {kw.arg}=...)"))
        elif isinstance(node, ast.Compare) and any(isinstance(op, (ast.In, ast.NotIn)) for op in node.ops):
            if any(_is_environ(c, names) for c in node.comparators):
                key(node.left, line, "... in os.environ:")
        elif isinstance(node, ast.Dict) and any(k is None and _is_environ(v, names)
                                                for k, v in zip(node.keys, node.values)):
            for k in node.keys:
                if isinstance(k, ast.Constant) and k.value in BOOK_VARIABLES:
                    found.append((line, f"{{**os.environ, {k.value!r}: ...}}"))
    return sorted(set(found))


# --------------------------------------------------------------------------- shell

SHELL_EXPANSION = re.compile(r"\$\{?#?!?(%s)(?![A-Za-z0-9_])" % "|".join(sorted(BOOK_VARIABLES, key=len, reverse=True)))


def _strip_shell_comment(line):
    """The line without its comment: a ``#`` at the start of a word, outside quotes."""
    quote, escaped = None, False
    for i, char in enumerate(line):
        if escaped:
            escaped = False
        elif char == "\\" and quote != "'":
            escaped = True
        elif quote:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i]
    return line


def shell_reads(source):
    """``[(line, what)]``: each ``$NAME`` or ``${NAME...`` expansion of a book variable in code."""
    found = []
    for number, line in enumerate(source.splitlines(), 1):
        for match in SHELL_EXPANSION.finditer(_strip_shell_comment(line)):
            found.append((number, f"expands ${match.group(1)}"))
    return found


def reads_in(path):
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".py":
        return python_reads(text, str(path))
    return shell_reads(text)


# --------------------------------------------------------------------------- the rule


def test_only_aibook_config_reads_the_book_variables():
    files = _files_that_must_not_read()
    assert ROOT / "conftest.py" in files and ROOT / "scripts" / "build_book.sh" in files
    offences = [f"{path.relative_to(ROOT)}:{line}: {what}"
                for path in files for line, what in reads_in(path)]
    assert not offences, (
        "only lib/aibook/config.py may read AIBOOK_MODE, AIBOOK_DATA, AIBOOK_STATIC and AIBOOK_DATA_DIR; "
        "use aibook.config (mode(), data_source(), is_static(), data_dir(), book_run(), child_env()) "
        "or `python -m aibook.config exports|stamp|data-dir` in shell:\n  " + "\n  ".join(offences))


def test_the_owner_itself_is_seen_reading_them():
    """The checker finds real reads: config.py, the one file allowed to, has plenty."""
    assert python_reads(OWNER.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- the checker


@pytest.mark.parametrize("code", [
    'import os\nos.environ.get("AIBOOK_MODE")',
    'import os\nos.environ["AIBOOK_DATA"]',
    'import os\nos.getenv("AIBOOK_STATIC", "0")',
    'import os as o\no.environ.setdefault("AIBOOK_DATA_DIR", "x")',
    'from os import environ\nenviron.get("AIBOOK_MODE")',
    'from os import getenv as g\ng("AIBOOK_DATA")',
    'import os\nif "AIBOOK_STATIC" in os.environ: pass',
    'import os\nenv = {**os.environ, "AIBOOK_STATIC": "1"}',
    'import os\nenv = dict(os.environ, AIBOOK_MODE="fast")',
    'import os\nKEYS = ("AIBOOK_MODE", "AIBOOK_DATA")\nline = [os.environ.get(k, "") for k in KEYS]',
])
def test_the_checker_finds_reads_in_python(code):
    assert python_reads(code)


@pytest.mark.parametrize("code", [
    '"""Set AIBOOK_MODE=full to train on everything."""\nimport os\nos.environ.get("HOME")',
    'import os\n# AIBOOK_DATA_DIR is config\'s business\npath = os.environ.get("XDG_CACHE_HOME")',
    'import os\nenv = dict(os.environ, AIBOOK_SKIP_SETUP="1")',
    'from aibook import config\nos_env = {**config.book_run(overrides=False), "TF_CPP_MIN_LOG_LEVEL": "2"}',
    'raise ValueError("AIBOOK_DATA must be online or offline")',
    'import os\nos.environ.get("AIBOOK_DATA_DIRECTORY_OF_SOMETHING_ELSE")',
])
def test_the_checker_leaves_docstrings_comments_and_other_variables_alone(code):
    assert python_reads(code) == []


@pytest.mark.parametrize("line", [
    'echo "$AIBOOK_MODE"',
    'out=${AIBOOK_DATA:-offline}',
    'say "cached in ${AIBOOK_DATA_DIR:-~/.cache/aibook}"',
    'if [ -n "${AIBOOK_STATIC+x}" ]; then :; fi',
    'echo "${#AIBOOK_MODE}"',
])
def test_the_checker_finds_expansions_in_shell(line):
    assert shell_reads(line)


@pytest.mark.parametrize("line", [
    '# AIBOOK_MODE=full bash scripts/build_book.sh builds in full mode, reading $AIBOOK_MODE',
    'exports=$(.venv/bin/python -m aibook.config exports)  # sets $AIBOOK_MODE and friends',
    'out=${AIBOOK_SITE_OUTPUT:-.}',
    'if [ "${AIBOOK_SKIP_SETUP:-0}" != 1 ]; then :; fi',
    "echo 'AIBOOK_MODE=fast is the default'",
])
def test_the_checker_leaves_shell_comments_and_other_variables_alone(line):
    assert shell_reads(line) == []

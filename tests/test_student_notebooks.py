"""Readers get each chapter without its solutions (student/, written by scripts/student_notebooks.py)."""
import pathlib
import subprocess
import sys

import nbformat
import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "student_notebooks.py"


def test_every_chapter_has_an_up_to_date_readers_copy():
    done = subprocess.run([sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("path", sorted((ROOT / "student").glob("*.ipynb")), ids=lambda p: p.name)
def test_a_readers_copy_holds_no_solution_and_no_hidden_test(path):
    for cell in nbformat.read(path, as_version=4).cells:
        tags = cell.metadata.get("tags", [])
        assert "solution" not in tags and "hidden-tests" not in tags, cell.source[:60]
        assert "### BEGIN SOLUTION" not in cell.source
        assert "```{solution}" not in cell.source

"""Writes the readers' copy of every chapter into student/: the chapter without its solutions and
hidden tests (aibook.instructor's student notebook). The site's Colab button, the chapters' "Run
in Colab" links and the site's download button give readers this copy; the chapter in notebooks/
stays the one source. Run it after changing a chapter; tests/test_student_notebooks.py fails
while a copy is out of date.

    python scripts/student_notebooks.py           # write student/NN_name.ipynb for every chapter
    python scripts/student_notebooks.py --check   # exit 1, naming them, if any copy is out of date
"""
import pathlib
import sys

import nbformat

from aibook.instructor import make_assignment

ROOT = pathlib.Path(__file__).resolve().parent.parent
CHAPTERS = ROOT / "notebooks"
STUDENT = ROOT / "student"


def student_text(chapter):
    """The readers' copy of ``chapter`` as the text it is stored as."""
    student, _ = make_assignment(nbformat.read(chapter, as_version=4))
    return nbformat.writes(student) + "\n"


def out_of_date():
    """Chapters whose readers' copy is missing or differs, and copies without a chapter."""
    chapters = sorted(CHAPTERS.glob("[0-9][0-9]_*.ipynb"))
    stale = [c.name for c in chapters
             if not (STUDENT / c.name).exists() or (STUDENT / c.name).read_text(encoding="utf-8") != student_text(c)]
    orphans = sorted({p.name for p in STUDENT.glob("*.ipynb")} - {c.name for c in chapters})
    return stale, orphans


def main(argv):
    if argv == ["--check"]:
        stale, orphans = out_of_date()
        for name in stale:
            print(f"student/{name} is out of date: run python scripts/student_notebooks.py", file=sys.stderr)
        for name in orphans:
            print(f"student/{name} has no chapter in notebooks/: delete it", file=sys.stderr)
        return 1 if stale or orphans else 0
    if argv:
        print(__doc__, file=sys.stderr)
        return 2
    STUDENT.mkdir(exist_ok=True)
    for chapter in sorted(CHAPTERS.glob("[0-9][0-9]_*.ipynb")):
        (STUDENT / chapter.name).write_text(student_text(chapter), encoding="utf-8")
        print(f"student/{chapter.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

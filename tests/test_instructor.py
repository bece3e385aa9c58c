"""The instructor command: student notebooks without solutions, and local autograding."""
import csv
import json
import pathlib
import re
import subprocess
import sys
import time

import nbformat
import pytest

from aibook import instructor

ROOT = pathlib.Path(__file__).resolve().parents[1]
MASTER = ROOT / "tests" / "fixtures" / "exercise_master.ipynb"


def _solution_lines(nb):
    """Every line a student must not see: the code between the markers and prose solutions."""
    lines = []
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if "solution" in tags and cell.cell_type == "code":
            for block in re.findall(r"### BEGIN SOLUTION[^\n]*\n(.*?)### END SOLUTION", cell.source, re.S):
                lines += [line.strip() for line in block.splitlines() if line.strip()]
        elif "solution" in tags or "hidden-tests" in tags:
            lines += [line.strip() for line in cell.source.splitlines()
                      if line.strip() and not line.startswith(("```", ":"))]
    return lines


@pytest.fixture(scope="module")
def assignment(tmp_path_factory):
    return instructor.assign(MASTER, tmp_path_factory.mktemp("course"))


def _student(assignment):
    return nbformat.read(assignment / "student.ipynb", as_version=4)


def _filled(assignment):
    """The student notebook with every answer cell written as in the reference solution."""
    solutions = {c.id: c.source for c in nbformat.read(MASTER, as_version=4).cells}
    nb = _student(assignment)
    for cell in nb.cells:
        if "answer" in cell.metadata.get("tags", []):
            cell.source = solutions[cell.id]
    return nb


def _answer(nb, needle, source):
    """A copy of the student notebook with the answer cell containing ``needle`` replaced."""
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    cell = next(c for c in nb.cells if "answer" in c.metadata.get("tags", []) and needle in c.source)
    cell.source = source
    return nb


def _grade(tmp_path, assignment, submissions, **limits):
    folder = tmp_path / "submitted"
    folder.mkdir()
    for name, nb in submissions.items():
        nbformat.write(nb, folder / f"{name}.ipynb")
    rows = instructor.grade(assignment, folder, tmp_path / "grades.csv", **limits)
    return {r["student"]: r for r in rows}


def test_student_notebook_contains_no_solution_or_hidden_test_text(assignment):
    master = nbformat.read(MASTER, as_version=4)
    student_text = (assignment / "student.ipynb").read_text()
    secrets = _solution_lines(master)
    assert secrets and "SO_SECRET_PROSE squares make every error positive and weigh large errors more." in secrets
    leaked = [line for line in secrets if line in student_text]
    assert leaked == []
    student = _student(assignment)
    assert not any("hidden-tests" in c.metadata.get("tags", []) for c in student.cells)
    assert any("exercises.check" in c.source for c in student.cells), "public checks stay"
    grader = json.loads((assignment / "autograder.json").read_text())
    assert [(t["id"], t["points"]) for t in grader["exercises"]] == [("fx-ex1", 2), ("fx-ex2", 1), ("fx-ex4", 1)]


def test_every_chapter_with_exercises_assigns_without_leaking_solutions(tmp_path):
    chapters = list(instructor._chapters_with_exercises(ROOT / "notebooks"))
    for chapter in chapters:
        target = instructor.assign(chapter, tmp_path)
        student_text = (target / "student.ipynb").read_text()
        master = nbformat.read(chapter, as_version=4)
        # a line that the chapter also has outside its solutions and tests is not a leak
        public = "\n".join(c.source for c in master.cells
                           if not {"solution", "hidden-tests"} & set(c.metadata.get("tags", [])))
        leaked = [line for line in _solution_lines(master)
                  if len(line) > 12 and line in student_text and line not in public]
        assert leaked == [], f"{chapter.name} leaks {leaked[:3]}"


def test_solution_cell_without_markers_is_refused():
    with pytest.raises(ValueError, match="BEGIN/END SOLUTION"):
        instructor.strip_solution("answer = 42\n")


def test_reference_scores_full_marks_untouched_scores_zero_one_wrong_loses_exactly_its_points(tmp_path, assignment):
    reference = _filled(assignment)
    one_wrong = _answer(reference, "answer = 10", "answer = 9")
    rows = _grade(tmp_path, assignment, {"reference": reference, "untouched": _student(assignment),
                                         "one_wrong": one_wrong})
    assert rows["reference"]["total"] == 4.0
    assert rows["untouched"]["total"] == 0.0
    assert [rows["untouched"][k] for k in ("fx-ex1", "fx-ex2", "fx-ex4")] == [0, 0, 0]
    assert (rows["one_wrong"]["fx-ex1"], rows["one_wrong"]["fx-ex2"], rows["one_wrong"]["fx-ex4"]) == (2.0, 0.0, 1.0)
    with open(tmp_path / "grades.csv") as f:
        header = next(csv.reader(f))
    assert header == ["student", "fx-ex1", "fx-ex2", "fx-ex4", "total", "notes"]


def test_looping_raising_flooding_and_deleting_submissions_lose_only_what_they_break(tmp_path, assignment):
    reference = _filled(assignment)
    subs = {
        "loops": _answer(reference, "answer = 10", "while True:\n    pass"),
        "raises": _answer(reference, "answer = 10", "raise RuntimeError('oops')"),
        "floods": _answer(reference, "answer = 10", "for i in range(1_000_000):\n    print(i)\nanswer = 9"),
        "deletes": _answer(reference, "answer = 10",
                           "import os, shutil\nfor p in os.listdir('.'):\n    shutil.rmtree(p) if os.path.isdir(p) else os.remove(p)\nanswer = 9"),
    }
    before = set(pathlib.Path("/tmp").glob("aibook-grade-*"))
    start = time.monotonic()
    rows = _grade(tmp_path, assignment, subs, cell_timeout=5, notebook_timeout=120)
    assert time.monotonic() - start < 120
    for name in subs:
        assert rows[name]["fx-ex2"] == 0.0, name
        assert rows[name]["fx-ex1"] == 2.0 and rows[name]["fx-ex4"] == 1.0, (name, rows[name]["notes"])
    assert "fx-ex2" in rows["loops"]["notes"] and "raises" not in rows["raises"]["notes"]
    assert "NameError" in rows["raises"]["notes"] or "RuntimeError" in rows["raises"]["notes"]
    assert set(pathlib.Path("/tmp").glob("aibook-grade-*")) == before, "a sandbox folder was left behind"


def test_a_notebook_over_its_time_limit_is_stopped_and_its_kernel_killed(tmp_path, assignment):
    reference = _filled(assignment)
    slow = _answer(reference, "answer = 10", "import time\ntime.sleep(3)\nanswer = 10")
    slow.cells.insert(2, nbformat.v4.new_code_cell("import time\ntime.sleep(30)"))
    rows = _grade(tmp_path, assignment, {"slow": slow}, cell_timeout=60, notebook_timeout=8)
    assert rows["slow"]["total"] == 0.0
    assert "notebook time limit" in rows["slow"]["notes"]
    leftover = subprocess.run(["pgrep", "-f", "time.sleep\\(30\\)|aibook.instructor _run"], capture_output=True, text=True)
    assert leftover.stdout.strip() == ""


def test_command_line_assigns_and_grades(tmp_path):
    run = lambda *a: subprocess.run([sys.executable, "-m", "aibook.instructor", *map(str, a)],
                                    capture_output=True, text=True, cwd=tmp_path)
    out = run("assign", MASTER, "--out", tmp_path / "course")
    assert out.returncode == 0 and "3 graded exercises" in out.stdout
    (tmp_path / "subs").mkdir()
    (tmp_path / "subs" / "ada.ipynb").write_text(MASTER.read_text())
    out = run("grade", tmp_path / "course" / "exercise_master", "--submissions", tmp_path / "subs",
              "--out", tmp_path / "g.csv", "--cell-timeout", "20")
    assert out.returncode == 0, out.stderr
    assert "ada: 4/4" in out.stdout and "full marks" in out.stdout


def test_without_its_extra_the_command_names_the_install_line():
    """nbformat and nbclient come only with ``aibook[instructor]``: say so, no traceback."""
    blocked = ("import runpy, sys\n"
               "sys.modules['nbformat'] = sys.modules['nbclient'] = None  # as if not installed\n"
               "sys.argv = ['aibook.instructor', 'assign', 'all']\n"
               "runpy.run_module('aibook.instructor', run_name='__main__', alter_sys=True)\n")
    done = subprocess.run([sys.executable, "-c", blocked], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert 'pip install "aibook[instructor]"' in done.stderr
    assert "Traceback" not in done.stderr
    imported = subprocess.run(
        [sys.executable, "-c", "import sys; sys.modules['nbformat'] = None; import aibook.instructor"],
        capture_output=True, text=True, timeout=120)
    assert imported.returncode == 1 and 'pip install "aibook[instructor]"' in imported.stderr


# --------------------------------------------------------------------------- the sandbox


def test_grading_runs_in_a_bubblewrap_sandbox_here():
    """The test command installs bubblewrap (scripts/install_browser.sh); without it the grader
    falls back to an unsandboxed run with a warning, and the hostile submissions below would harm."""
    command, limit = instructor.sandbox(["true"], pathlib.Path("/tmp"))
    assert command[0].endswith("bwrap") and limit is not None, "bubblewrap is not installed"


def test_hostile_submissions_cannot_delete_the_course_read_the_tests_reach_the_network_or_fork_bomb(
        tmp_path, assignment):
    import socket
    import threading

    grader = assignment / "autograder.json"
    before = grader.read_text()
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    port, reached = server.getsockname()[1], []

    def listen():
        while not stop.is_set():
            try:
                reached.append(server.accept())
            except OSError:
                pass

    stop = threading.Event()
    threading.Thread(target=listen, daemon=True).start()
    reference = _filled(assignment)
    subs = {
        # each sets the graded answer only if its attack worked
        "deletes_course": _answer(reference, "answer = 10",
                                  f"import shutil\nshutil.rmtree({str(assignment)!r})\nanswer = 10"),
        "reads_tests": _answer(reference, "answer = 10", f"answer = 10 if open({str(grader)!r}).read() else 9"),
        "opens_socket": _answer(reference, "answer = 10",
                                f"import socket\nsocket.create_connection(('127.0.0.1', {port}), timeout=3)\nanswer = 10"),
        "fork_bomb": _answer(reference, "answer = 10", (
            "import os, time\nn = 0\ntry:\n    for _ in range(2000):\n        if os.fork() == 0:\n"
            "            time.sleep(30)\n            os._exit(0)\n        n += 1\nexcept OSError:\n    pass\n"
            "answer = 10 if n == 2000 else 9")),
    }
    try:
        rows = _grade(tmp_path, assignment, subs, cell_timeout=20, notebook_timeout=120)
    finally:
        stop.set()
    assert grader.read_text() == before and (assignment / "student.ipynb").exists(), "the course folder was harmed"
    assert not reached, "a submission reached a server on the grader's machine"
    for name in subs:
        # the attack failed, so the answer was never 10; everything else is still graded
        assert rows[name]["fx-ex2"] == 0.0, (name, rows[name]["notes"])
        assert rows[name]["fx-ex1"] == 2.0 and rows[name]["fx-ex4"] == 1.0, (name, rows[name]["notes"])
    leftover = subprocess.run(["pgrep", "-f", "aibook.instructor _run"], capture_output=True, text=True)
    assert leftover.stdout.strip() == "", "the sandbox's processes outlived the grading"

"""Exercises for instructors, from one source: the chapter notebook.

Each exercise in a chapter is a question, a solution (tagged ``solution``), a
public self-check (``check``) and hidden tests (``hidden-tests``, with metadata
``exercise: {id, points}``); ``book/template.md`` gives the format. From it::

    python -m aibook.instructor assign notebooks/03_loss.ipynb --out course/
        writes course/03_loss/student.ipynb (no solutions, no hidden tests) and
        course/03_loss/autograder.json (the hidden tests, their points and positions)

    python -m aibook.instructor grade course/03_loss --submissions submitted/ --out grades.csv
        runs every submitted notebook in its own process and kernel, in a
        throw-away folder, with a time limit per cell and per notebook; then runs
        each exercise's hidden tests after the student's own cells; writes a CSV
        (a row per student, a column per exercise) and prints a per-exercise summary.

``all`` in place of a notebook path assigns every chapter that has exercises.
No server, no container engine: a submission that loops, raises, floods its
output or deletes files loses the exercises it breaks, and the others are still graded.

It needs nbformat and nbclient, which the library installs only with its ``instructor``
extra (``pip install "aibook[instructor]"``); no chapter imports this module.
"""
import argparse
import csv
import json
import os
import pathlib
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

from . import config

MISSING_EXTRA = ("aibook.instructor needs nbformat and nbclient, which the aibook library installs "
                 'only with its instructor extra: pip install "aibook[instructor]"')
try:
    import nbclient  # noqa: F401  (the grader runs each submission with it)
    import nbformat
except ImportError as err:
    if __name__ == "__main__":  # python -m aibook.instructor: a message, not a traceback
        sys.exit(f"{MISSING_EXTRA}\n({err})")
    raise ImportError(f"{MISSING_EXTRA} ({err})") from err

SOLUTION_BLOCK = re.compile(r"^([ \t]*)### BEGIN SOLUTION[^\n]*\n.*?^[ \t]*### END SOLUTION[^\n]*(\n|$)",
                            re.DOTALL | re.MULTILINE)
STUB = "{indent}raise NotImplementedError(\"your code here\")\n"
MAX_OUTPUT_CHARS = 20_000  # what a graded cell may print before the rest is dropped


def _tags(cell):
    return cell.get("metadata", {}).get("tags", [])


def exercise_meta(cell):
    meta = cell.get("metadata", {}).get("exercise")
    if not isinstance(meta, dict) or "id" not in meta:
        raise ValueError(f"hidden-tests cell {cell.get('id')} lacks metadata exercise: {{id, points}}")
    return {"id": str(meta["id"]), "points": float(meta.get("points", 1))}


def strip_solution(source):
    """Replace each ``### BEGIN SOLUTION`` … ``### END SOLUTION`` block with a stub."""
    if "### BEGIN SOLUTION" not in source:
        raise ValueError("a code cell tagged 'solution' must mark its answer with ### BEGIN/END SOLUTION")
    return SOLUTION_BLOCK.sub(lambda m: STUB.format(indent=m.group(1)), source)


def make_assignment(master):
    """``(student notebook, autograder)`` from a chapter notebook (``nbformat`` node)."""
    student = nbformat.v4.new_notebook(metadata=master.metadata)
    tests, previous_id = [], None
    for cell in master.cells:
        tags = _tags(cell)
        if "hidden-tests" in tags:
            meta = exercise_meta(cell)
            tests.append({**meta, "after_cell": previous_id, "source": cell.source})
            continue
        if "solution" in tags and cell.cell_type == "markdown":
            continue
        copy = nbformat.from_dict(json.loads(json.dumps(cell)))
        if cell.cell_type == "code":
            copy.outputs, copy.execution_count = [], None
            if "solution" in tags:
                copy.source = strip_solution(cell.source)
                copy.metadata["tags"] = [t for t in tags if t not in ("solution", "hide-input")] + ["answer"]
        student.cells.append(copy)
        previous_id = cell.get("id")
    if len({t["id"] for t in tests}) != len(tests):
        raise ValueError("two hidden-tests cells share an exercise id")
    return student, {"exercises": tests}


def assign(notebook, out_dir):
    notebook = pathlib.Path(notebook)
    master = nbformat.read(notebook, as_version=4)
    student, grader = make_assignment(master)
    if not grader["exercises"]:
        raise ValueError(f"{notebook} has no hidden-tests cells: nothing to assign")
    target = pathlib.Path(out_dir) / notebook.stem
    target.mkdir(parents=True, exist_ok=True)
    nbformat.write(student, target / "student.ipynb")
    (target / "autograder.json").write_text(json.dumps({"chapter": notebook.stem, **grader}, indent=1))
    print(f"{notebook.name}: {len(grader['exercises'])} graded exercises → {target}/student.ipynb, autograder.json")
    return target


# --------------------------------------------------------------------------- grading


def _grading_plan(student, grader):
    """The submission's cells, each hidden test placed right after the cell it followed
    in the chapter (at the end if the student deleted that cell)."""
    after = {}
    for test in grader["exercises"]:
        after.setdefault(test["after_cell"], []).append(test)
    plan, placed = [], set()
    for cell in student.cells:
        plan.append(("student", cell))
        for test in after.get(cell.get("id"), []):
            plan.append(("test", (test, nbformat.v4.new_code_cell(test["source"]))))
            placed.add(test["id"])
    plan += [("test", (t, nbformat.v4.new_code_cell(t["source"])))
             for t in grader["exercises"] if t["id"] not in placed]
    return plan


def _run_submission(submission, grader_path, result_path, cell_timeout):
    """Child process: execute one submission and write ``{exercise id: [points, reason]}``."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    grader = json.loads(pathlib.Path(grader_path).read_text())
    student = nbformat.read(submission, as_version=4)
    results = {t["id"]: [0.0, "not reached"] for t in grader["exercises"]}

    def save():
        tmp = pathlib.Path(result_path).with_suffix(".tmp")
        tmp.write_text(json.dumps(results))
        os.replace(tmp, result_path)

    save()
    client = NotebookClient(student, timeout=cell_timeout, interrupt_on_timeout=True,
                            allow_errors=True, kernel_name="python3",
                            resources={"metadata": {"path": os.getcwd()}})
    with client.setup_kernel():
        pathlib.Path(result_path).with_suffix(".kernel").write_text(str(client.km.provisioner.pid))
        for kind, item in _grading_plan(student, grader):
            if kind == "student":
                if item.cell_type != "code":
                    continue
                try:
                    client.execute_cell(item, 0)
                except (CellExecutionError, CellTimeoutError):
                    pass  # the hidden tests decide what it cost
                item.outputs = item.outputs[:20]  # a flooding cell must not fill the grader's memory
                continue
            test, cell = item
            cell.metadata["tags"] = []
            start = time.monotonic()
            try:
                client.execute_cell(cell, 0)
                error = next((o for o in cell.outputs if o.output_type == "error"), None)
            except CellTimeoutError:
                error = {"ename": "Timeout", "evalue": f"hidden tests ran over {cell_timeout} s"}
            except CellExecutionError as err:
                error = {"ename": type(err).__name__, "evalue": str(err)[:200]}
            if error is None:
                results[test["id"]] = [test["points"], "ok"]
            else:
                evalue = str(error.get("evalue", ""))[:200]
                if time.monotonic() - start > cell_timeout * 0.9:
                    evalue = f"time limit of {cell_timeout} s"
                results[test["id"]] = [0.0, f"{error.get('ename')}: {evalue}".strip()]
            save()


def _kill_tree(proc, kernel_file):
    """Kill the grading process and its kernel (which runs in a session of its own)."""
    try:
        os.killpg(int(kernel_file.read_text()), signal.SIGKILL)
    except (OSError, ValueError):
        pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except OSError:
        pass


def grade_one(submission, grader_path, cell_timeout=30, notebook_timeout=300):
    """Grade one notebook in a fresh process and folder; returns ``{id: (points, reason)}``."""
    grader = json.loads(pathlib.Path(grader_path).read_text())
    with tempfile.TemporaryDirectory(prefix="aibook-grade-") as sandbox:
        sandbox = pathlib.Path(sandbox)
        work = sandbox / "work"
        work.mkdir()
        shutil.copy(submission, work / "submission.ipynb")
        result = sandbox / "result.json"
        # Widgets drawn once (nobody answers them); the data cache stays the grader's, not the sandbox's HOME.
        env = {**os.environ, "HOME": str(work), "MPLBACKEND": "Agg",
               **config.child_env(static=True, pin_data_dir=True)}
        proc = subprocess.Popen(
            [sys.executable, "-m", "aibook.instructor", "_run", str(work / "submission.ipynb"),
             str(pathlib.Path(grader_path).resolve()), str(result), str(cell_timeout)],
            cwd=work, env=env, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        timed_out = False
        try:
            _, stderr = proc.communicate(timeout=notebook_timeout)
        except subprocess.TimeoutExpired:
            timed_out, stderr = True, b""
        finally:
            _kill_tree(proc, result.with_suffix(".kernel"))
            proc.wait()
        try:
            results = json.loads(result.read_text())
        except (OSError, ValueError):  # it died before writing anything
            results = {t["id"]: [0.0, "not reached"] for t in grader["exercises"]}
        crash = stderr.decode(errors="replace").strip().splitlines()[-1:] if proc.returncode else []
        for value in results.values():
            if value[1] == "not reached":
                if timed_out:
                    value[1] = f"notebook time limit of {notebook_timeout} s"
                elif crash:
                    value[1] = f"the grader stopped: {crash[0][:200]}"
    return {k: (float(v[0]), v[1]) for k, v in results.items()}


def grade(assignment_dir, submissions, out_csv, cell_timeout=30, notebook_timeout=300):
    """Grade every ``*.ipynb`` in ``submissions``; write the CSV and return its rows."""
    assignment_dir = pathlib.Path(assignment_dir)
    grader_path = assignment_dir / "autograder.json"
    grader = json.loads(grader_path.read_text())
    ids = [t["id"] for t in grader["exercises"]]
    total = sum(t["points"] for t in grader["exercises"])
    files = sorted(pathlib.Path(submissions).glob("*.ipynb"))
    if not files:
        raise FileNotFoundError(f"no .ipynb files in {submissions}")
    rows = []
    for path in files:
        start = time.monotonic()
        try:
            results = grade_one(path, grader_path, cell_timeout, notebook_timeout)
        except Exception as err:  # an unreadable file still gets a row
            results = {i: (0.0, f"could not grade: {err}"[:200]) for i in ids}
        row = {"student": path.stem, **{i: results[i][0] for i in ids}}
        row["total"] = sum(results[i][0] for i in ids)
        row["notes"] = "; ".join(f"{i}: {results[i][1]}" for i in ids if results[i][1] != "ok")
        rows.append(row)
        print(f"  {path.stem}: {row['total']:g}/{total:g} in {time.monotonic() - start:.1f} s")
    with open(out_csv, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["student", *ids, "total", "notes"])
        writer.writeheader()
        writer.writerows(rows)
    print(summary(rows, grader))
    return rows


def summary(rows, grader):
    lines = [f"{'exercise':<14}{'points':>7}{'mean':>8}{'full marks':>12}"]
    for test in grader["exercises"]:
        scores = [r[test["id"]] for r in rows]
        full = sum(s >= test["points"] for s in scores)
        lines.append(f"{test['id']:<14}{test['points']:>7g}{statistics.mean(scores):>8.2f}{full:>8}/{len(rows)}")
    return "\n".join(lines)


def _chapters_with_exercises(root="notebooks"):
    for path in sorted(pathlib.Path(root).glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        if any("hidden-tests" in _tags(c) for c in nb.cells):
            yield path


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_run"]:
        _run_submission(argv[1], argv[2], argv[3], int(argv[4]))
        return 0
    parser = argparse.ArgumentParser(prog="python -m aibook.instructor", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    a = sub.add_parser("assign", help="write student notebooks and autograders")
    a.add_argument("notebook", help="a chapter notebook, or 'all'")
    a.add_argument("--out", default="course")
    g = sub.add_parser("grade", help="grade a folder of submitted notebooks into a CSV")
    g.add_argument("assignment", help="a folder written by 'assign' (holds autograder.json)")
    g.add_argument("--submissions", required=True)
    g.add_argument("--out", default="grades.csv")
    g.add_argument("--cell-timeout", type=int, default=60)
    g.add_argument("--notebook-timeout", type=int, default=600)
    args = parser.parse_args(argv)
    if args.command == "assign":
        paths = list(_chapters_with_exercises()) if args.notebook == "all" else [args.notebook]
        for path in paths:
            assign(path, args.out)
    else:
        grade(args.assignment, args.submissions, args.out, args.cell_timeout, args.notebook_timeout)
    return 0


if __name__ == "__main__":
    sys.exit(main())

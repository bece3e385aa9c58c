"""Exercises for instructors, from one source: the chapter notebook.

Each exercise in a chapter is a question, a solution (tagged ``solution``), a
public self-check (``check``) and hidden tests (``hidden-tests``, with metadata
``exercise: {id, points}``); ``book/template.md`` gives the format. From it::

    python -m aibook.instructor assign notebooks/03_loss.ipynb --out course/
        writes course/03_loss/student.ipynb (no solutions, no hidden tests) and
        course/03_loss/autograder.json (the hidden tests, their points and positions)

    python -m aibook.instructor grade course/03_loss --submissions submitted/ --out grades.csv
        runs every submitted notebook in its own process and kernel, in a
        bubblewrap sandbox (see :func:`sandbox`) around a throw-away folder, with a
        time limit per cell and per notebook; then runs
        each exercise's hidden tests after the student's own cells; writes a CSV
        (a row per student, a column per exercise) and prints a per-exercise summary.

``all`` in place of a notebook path assigns every chapter that has exercises.
No server, no container engine: a submission that loops, raises, floods its output,
deletes or reads files, opens sockets or forks without end loses the exercises it breaks,
and the others are still graded.

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


def _run_submission(grader, results_fd, cell_timeout):
    """Child process: execute the submission ``submission.ipynb`` in the working folder and
    report ``{exercise id: [points, reason]}`` as JSON lines on ``results_fd``, a pipe that the
    kernel running the student's code does not inherit (it could otherwise forge its grade).
    The hidden tests come in ``grader`` (read from stdin by :func:`main`), never from a file
    the student's code could read."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    student = nbformat.read("submission.ipynb", as_version=4)
    results = {t["id"]: [0.0, "not reached"] for t in grader["exercises"]}
    out = os.fdopen(results_fd, "w", buffering=1)
    os.set_inheritable(results_fd, False)

    def save(**extra):
        out.write(json.dumps({"results": results, **extra}) + "\n")

    save()
    client = NotebookClient(student, timeout=cell_timeout, interrupt_on_timeout=True,
                            allow_errors=True, kernel_name="python3",
                            resources={"metadata": {"path": os.getcwd()}})
    with client.setup_kernel():
        save(kernel=client.km.provisioner.pid)
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


# A submission may start this many processes and threads (a kernel needs a few dozen): a fork
# bomb stops there. The limit counts the whole user's tasks, hence the sandbox's own user.
MAX_TASKS = 512
SANDBOX_UID = 65534  # nobody


def _tasks_of(uid):
    n = 0
    for task in pathlib.Path("/proc").glob("[0-9]*/task/[0-9]*"):
        try:
            n += task.stat().st_uid == uid
        except OSError:
            pass
    return n


def sandbox(command, work):
    """``command`` wrapped in a bubblewrap sandbox, and the function that limits its tasks, or
    ``(command, None)`` with a warning where the machine has no ``bwrap``.

    Inside: the system (``/usr``, ``/etc``), Python, the library and the data cache, all
    read-only; ``work`` (the submission's folder) the one writable place besides an empty
    ``/tmp``; no network but a loopback of its own; its own process tree, killed with it. Not
    inside: the course folder, the autograder, other students' submissions, the home folder.
    As root the submission runs as ``nobody``; either way it may start at most
    :data:`MAX_TASKS` processes and threads.
    """
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        print("aibook.instructor: WARNING: bubblewrap (bwrap) is not installed, so submissions run "
              "unsandboxed: they can read and delete whatever this user can. Install it "
              "(Debian/Ubuntu: apt-get install bubblewrap) before grading untrusted work.",
              file=sys.stderr)
        return command, None
    import aibook

    readable = {pathlib.Path(sys.base_prefix).resolve(), pathlib.Path(sys.prefix).resolve(),
                pathlib.Path(aibook.__file__).resolve().parent.parent, config.data_dir().resolve()}
    readable = sorted(p for p in readable if p.exists() and not any(q in p.parents for q in readable))
    args = [bwrap, "--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc"]
    for name in ("bin", "sbin", "lib", "lib32", "lib64"):
        link = pathlib.Path("/") / name
        if link.is_symlink():  # a merged /usr: /lib -> usr/lib
            args += ["--symlink", os.readlink(link), str(link)]
        elif link.is_dir():
            args += ["--ro-bind", str(link), str(link)]
    # /tmp first: a readable path or the work folder below it is mounted over the empty /tmp
    args += ["--dev", "/dev", "--proc", "/proc", "--perms", "1777", "--tmpfs", "/tmp"]
    made = {pathlib.Path("/"), pathlib.Path("/usr"), pathlib.Path("/etc"), pathlib.Path("/tmp")}
    for path, how in [*((p, "--ro-bind") for p in readable), (pathlib.Path(work).resolve(), "--bind")]:
        for parent in reversed(path.parents):  # folders the sandbox's user may pass, empty but for this
            if parent not in made:
                args += ["--perms", "0755", "--dir", str(parent)]
                made.add(parent)
        args += [how, str(path), str(path)]
    args += ["--chdir", str(work), "--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
             "--die-with-parent", "--new-session", "--"]
    if os.geteuid() == 0:  # root is exempt from the task limit: run the submission as nobody
        os.chown(work, SANDBOX_UID, SANDBOX_UID)
        args += ["setpriv", f"--reuid={SANDBOX_UID}", f"--regid={SANDBOX_UID}", "--clear-groups",
                 "--inh-caps=-all", "--bounding-set=-all"]
        uid = SANDBOX_UID
    else:
        args[1:1] = ["--unshare-user"]
        uid = os.getuid()

    def limit_tasks():
        import resource

        cap = _tasks_of(uid) + MAX_TASKS
        resource.setrlimit(resource.RLIMIT_NPROC, (cap, cap))

    return args + list(command), limit_tasks


def _kill_tree(proc, kernel_pid):
    """Kill the grading process and its kernel (which runs in a session of its own; inside the
    sandbox the kernel dies with it)."""
    for group in (kernel_pid, proc.pid):
        if group:
            try:
                os.killpg(group, signal.SIGKILL)
            except OSError:
                pass


def _read_reports(stream, reports):
    for line in stream:
        try:
            reports.append(json.loads(line))
        except ValueError:
            pass


def grade_one(submission, grader_path, cell_timeout=30, notebook_timeout=300):
    """Grade one notebook in a fresh process and folder, sandboxed where the machine can
    (:func:`sandbox`); returns ``{id: (points, reason)}``."""
    import threading

    grader = json.loads(pathlib.Path(grader_path).read_text())
    with tempfile.TemporaryDirectory(prefix="aibook-grade-") as folder:
        work = pathlib.Path(folder) / "work"
        work.mkdir()
        shutil.copy(submission, work / "submission.ipynb")
        # Fast mode on the offline data, widgets drawn once, the grader's data cache (read-only).
        env = {**os.environ, "HOME": str(work), "MPLBACKEND": "Agg", "TMPDIR": "/tmp",
               **config.book_run(overrides=False), **config.child_env(static=True, pin_data_dir=True)}
        read_end, write_end = os.pipe()
        command, limit = sandbox([sys.executable, "-m", "aibook.instructor", "_run", str(write_end),
                                  str(cell_timeout)], work)
        proc = subprocess.Popen(command, cwd=work, env=env, start_new_session=True, pass_fds=(write_end,),
                                preexec_fn=limit, stdin=subprocess.PIPE,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        os.close(write_end)
        reports = []
        reader = threading.Thread(target=_read_reports, args=(os.fdopen(read_end), reports), daemon=True)
        reader.start()
        timed_out = False
        try:
            _, stderr = proc.communicate(json.dumps(grader).encode(), timeout=notebook_timeout)
        except subprocess.TimeoutExpired:
            timed_out, stderr = True, b""
        finally:
            # unsandboxed, the kernel runs in a session of its own: find it by its reported pid
            kernel = next((r["kernel"] for r in reports if "kernel" in r), None) if limit is None else None
            _kill_tree(proc, kernel)
            proc.wait()
            reader.join(timeout=10)
        results = reports[-1]["results"] if reports else {
            t["id"]: [0.0, "not reached"] for t in grader["exercises"]}
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
    if argv[:1] == ["_run"]:  # inside the sandbox: the hidden tests arrive on stdin
        _run_submission(json.loads(sys.stdin.read()), int(argv[1]), int(argv[2]))
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

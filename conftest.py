"""Test-session plumbing shared by the unit tests, nbval and the browser tests.

* Prints how long each notebook took under nbval (kernel start included).
* Hands each notebook that nbval ran through to the book build's execution cache
  (jupyter-cache, as myst-nb reads it), so that the browser tests' site build in the
  same run executes no notebook a second time.
* Runs the browser tests (marker ``browser``) after the notebooks and before the unit tests;
  under pytest-xdist (``-n 2 --dist loadfile``) the site fixture waits until every
  notebook of the run has finished on whichever worker ran it.

Each notebook's outcome is written to ``_build/.nbval-runs/<run id>/`` beside the cache:
that is how the workers, the site fixture and the final summary share it.
"""
import collections
import json
import os
import pathlib
import platform
import shutil
import sys
import time

import pytest

from aibook import config

ROOT = pathlib.Path(__file__).resolve().parent
_notebook_seconds = collections.defaultdict(float)


def site_output_dir():
    """Where the test command builds the site: ``$AIBOOK_SITE_OUTPUT/_build/html``."""
    return pathlib.Path(os.environ.get("AIBOOK_SITE_OUTPUT") or ROOT).resolve()


def execution_env():
    """The settings a cached execution was made with; scripts/build_book.sh writes the same line
    (``python -m aibook.config stamp``)."""
    return config.execution_stamp()


def run_dir():
    return site_output_dir() / "_build" / ".nbval-runs" / os.environ["AIBOOK_TEST_RUN_ID"]


def pytest_configure(config):
    if not hasattr(config, "workerinput"):  # the controller of an xdist run, or a plain run
        # xdist workers are started after this and inherit the variable: one id for the run
        os.environ["AIBOOK_TEST_RUN_ID"] = f"{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}"
        # Forget the outcomes of earlier runs; a run still going on beside this one keeps its own.
        for old in (site_output_dir() / "_build" / ".nbval-runs").glob("*"):
            if time.time() - old.stat().st_mtime > 6 * 3600:
                shutil.rmtree(old, ignore_errors=True)


# --------------------------------------------------------------------------- order and timing


# Unit-test files that take 10 s or more (measured in the test command, ninth session), started
# first among the unit tests so that no worker ends the run alone on one of them.
SLOW_UNIT_TESTS = ("tests/test_instructor.py", "tests/test_train.py", "tests/test_data_fashion_mnist.py",
                   "tests/test_pretrained.py")


def pytest_collection_modifyitems(session, config, items):
    """Notebooks first, in reverse chapter order (the later chapters are the longer ones); then the
    browser tests, which build the site from the notebooks' executions; then the unit tests, the
    slow files first. Under xdist the worker that finishes its notebooks first takes the browser
    tests (they wait for the other worker's last notebook) while the other runs the unit tests, so
    neither core sits idle while the site is built and visited. The sort is stable: a notebook's
    cells keep their order."""
    notebooks = sorted({i.nodeid.split("::")[0] for i in items if _is_nbval_cell(i)}, reverse=True)
    rank = {path: n for n, path in enumerate(notebooks)}

    def order(item):
        path = item.nodeid.split("::")[0]
        if path in rank:
            return (0, rank[path])
        if item.get_closest_marker("browser") is not None:
            return (1, 0)
        return (2, SLOW_UNIT_TESTS.index(path) if path in SLOW_UNIT_TESTS else len(SLOW_UNIT_TESTS))

    items.sort(key=order)


def pytest_runtest_logreport(report):
    path = report.nodeid.split("::")[0]
    if path.endswith(".ipynb"):
        _notebook_seconds[path] += report.duration


def pytest_terminal_summary(terminalreporter, config):
    if _notebook_seconds:
        terminalreporter.section("notebook run times (fast mode)")
        for path, seconds in sorted(_notebook_seconds.items()):
            terminalreporter.write_line(f"{seconds:7.1f} s  {path}")
        terminalreporter.write_line(f"{sum(_notebook_seconds.values()):7.1f} s  all notebooks")
    if "AIBOOK_TEST_RUN_ID" not in os.environ or not run_dir().is_dir():
        return
    outcomes = [json.loads(p.read_text()) for p in sorted(run_dir().glob("*.ipynb.json"))]
    cached = [o for o in outcomes if o["cached"]]
    if cached:
        terminalreporter.write_line(
            f"nbval's executions of {len(cached)} notebook(s) handed to the site build's cache "
            f"in {site_output_dir() / '_build' / '.jupyter_cache'}")
    summary = run_dir() / "site-summary.txt"
    if summary.exists():
        terminalreporter.write(summary.read_text())


# --------------------------------------------------------------------------- nbval -> jupyter-cache


def _is_nbval_cell(item):
    return type(item).__name__ == "IPyNbCell" and hasattr(item, "test_outputs")


def _book_env_matches():
    """Only executions made the way the book build makes them may stand in for it: this run's
    settings are :data:`aibook.config.BOOK_RUN`'s, as the build would take them from here."""
    try:
        return config.execution_stamp() == config.execution_stamp(config.book_run())
    except ValueError:  # a misspelt mode or data source: the notebooks fail on it anyway
        return False


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if not _is_nbval_cell(item):
        return
    runs = item.config.__dict__.setdefault("_aibook_nbval_runs", {})
    state = runs.setdefault(item.parent.nodeid, {"outputs": {}, "failed": False})
    if report.failed:
        state["failed"] = True
    elif report.when == "call" and report.passed:  # a skipped cell leaves the notebook incomplete
        state["outputs"][item.cell_num] = list(item.test_outputs or [])
    n_code = sum(c.cell_type == "code" for c in item.parent.nb.cells)
    if report.when != "teardown" or item.cell_num != n_code - 1:
        return
    # The notebook's last cell is done: cache its execution if it is complete, record the outcome.
    cached = False
    if not state["failed"] and len(state["outputs"]) == n_code and _book_env_matches():
        try:
            cached = _cache_executed_notebook(item.parent, state["outputs"])
        except Exception as err:  # never fail a notebook because its cache copy could not be written
            print(f"\nconftest: could not cache {item.parent.nodeid} for the site build: {err!r}",
                  file=sys.stderr)
    run_dir().mkdir(parents=True, exist_ok=True)
    name = pathlib.Path(item.parent.nodeid).name
    (run_dir() / f"{name}.json").write_text(json.dumps(
        {"nodeid": item.parent.nodeid, "failed": state["failed"], "cached": cached}))


def _as_nbformat_output(out, execution_count):
    """nbval's record of one kernel message as the nbformat output nbclient would have stored."""
    import nbformat

    kind = out["output_type"]
    if kind == "stream":
        return nbformat.v4.new_output("stream", name=out["name"], text=out["text"])
    if kind == "display_data":
        return nbformat.v4.new_output("display_data", data=out["data"], metadata=out.get("metadata", {}))
    if kind == "execute_result":
        return nbformat.v4.new_output("execute_result", data=out["data"], metadata=out.get("metadata", {}),
                                      execution_count=execution_count)
    if kind == "error":  # a cell tagged raises-exception
        return nbformat.v4.new_output("error", ename=out["ename"], evalue=out["evalue"],
                                      traceback=out["traceback"])
    raise ValueError(f"unexpected output type {kind!r}")


def _cache_executed_notebook(nb_file, outputs_by_cell):
    """Store the notebook, with the outputs nbval saw, where myst-nb's cache mode looks it up.

    jupyter-cache matches a notebook by the MD5 of its code cells (source and metadata) and its
    kernelspec; the notebook stored here is the one nbval read from disk, so the book build,
    reading the same file, finds it and executes nothing. Returns whether it was stored.
    """
    import copy

    import nbformat
    from ipykernel.ipkernel import IPythonKernel
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    build = site_output_dir() / "_build"
    stamp = build / ".aibook-execution-env"
    if stamp.exists() and stamp.read_text().strip() != execution_env():
        return False  # filled in another mode: scripts/build_book.sh will empty it and execute afresh
    nb = copy.deepcopy(nb_file.nb)
    for index, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
        cell.execution_count = index + 1
        cell.outputs = [_as_nbformat_output(o, index + 1) for o in outputs_by_cell[index]]
    # What an ipykernel reports about itself; nbclient copies it into executed notebooks and
    # myst-nb takes the code cells' lexer from it.
    nb.metadata["language_info"] = dict(IPythonKernel.language_info, version=platform.python_version())
    nbformat.validate(nb)
    build.mkdir(parents=True, exist_ok=True)
    stamp.write_text(execution_env() + "\n")
    cache = get_cache(build / ".jupyter_cache")
    seconds = _notebook_seconds.get(nb_file.nodeid, 0.0)
    cache.cache_notebook_bundle(
        CacheBundleIn(nb, str(pathlib.Path(str(nb_file.fspath)).resolve()),
                      data={"execution_seconds": seconds, "executed_by": "nbval"}),
        check_validity=True, overwrite=True)
    return True


# --------------------------------------------------------------------------- for the browser tests


@pytest.fixture(scope="session")
def notebooks_of_this_run(request):
    """Wait until every notebook nbval runs in this session is done; their outcomes by node id.

    In a plain run the notebooks ran before any browser test; under xdist they may still be
    running on another worker.
    """
    cells = collections.Counter(item.parent.nodeid for item in request.session.items if _is_nbval_cell(item))
    expected = {nodeid for nodeid, n in cells.items()
                if n == sum(c.cell_type == "code" for c in next(
                    i.parent for i in request.session.items
                    if _is_nbval_cell(i) and i.parent.nodeid == nodeid).nb.cells)}
    deadline = time.monotonic() + float(os.environ.get("AIBOOK_NOTEBOOK_WAIT", 3600))
    while True:
        done = {}
        if run_dir().is_dir():
            for path in run_dir().glob("*.ipynb.json"):
                outcome = json.loads(path.read_text())
                done[outcome["nodeid"]] = outcome
        missing = expected - set(done)
        if not missing:
            return {nodeid: done[nodeid] for nodeid in expected}
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for notebooks to finish: {', '.join(sorted(missing))}")
        time.sleep(1)


@pytest.fixture(scope="session")
def site_summary():
    """``site_summary(line)`` adds a line to the summary printed at the end of the run."""
    def add(line):
        run_dir().mkdir(parents=True, exist_ok=True)
        with open(run_dir() / "site-summary.txt", "a", encoding="utf-8") as f:
            f.write(line.rstrip("\n") + "\n")
    return add

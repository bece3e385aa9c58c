"""The stack check: every chapter on the versions readers have, before a release.

    .venv/bin/python scripts/stack_check.py                 # all stacks, all chapters
    .venv/bin/python scripts/stack_check.py --stacks colab --chapters 03 04

For each stack it builds a throw-away virtual environment, installs the library the way a
chapter's Colab setup cell does (``pip install "aibook[extras] @ git+<this repository>"``, from
the last commit), runs every notebook in fast mode on the offline data (two at a time, one
thread each, as the test command does), and prints a table: stack × chapter, pass or fail, and
the seconds it took. It exits non-zero if anything failed.

Stacks:
  pinned   requirements.txt, what the book is built and tested with
  colab    what Google Colab ships (tests/colab_stack.txt); the check also fails if installing
           the library there would replace any of those versions
  floors   the lowest version of every dependency pyproject.toml admits (core, ``tf`` and the
           chapters' extras): the declared ranges are the tested ones
  smoke    the pinned stack again, every chapter in full mode under AIBOOK_SMOKE=1 (full
           mode's code paths, every training capped at a few steps)
  jax      the pinned stack with JAX: the unit tests of the back-end-neutral library
           (data, models, train.fit, plots, nn) under KERAS_BACKEND=jax
"""
import argparse
import concurrent.futures
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib

from packaging.requirements import Requirement

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
STACKS = ("pinned", "colab", "floors", "smoke", "jax")
# What a run needs besides the library: the test tools, pinned as in requirements.txt.
TOOLS = ("pytest", "nbval", "ipykernel", "nbformat", "nbclient", "pytest-xdist", "pyyaml")
BACKEND_NEUTRAL_TESTS = ["tests/test_data.py", "tests/test_models.py", "tests/test_train.py",
                         "tests/test_plots.py", "tests/test_nn.py"]
JAX = "jax[cpu]"


def project():
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def pins(path):
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            req = Requirement(line)
            found[req.name.lower()] = str(req)
    return found


def chapter_extras():
    return sorted(set(project()["optional-dependencies"]) - {"instructor"})


def floors():
    """``name==lowest`` for every range the library declares (core, tf, chapters' extras)."""
    deps = project()["dependencies"] + [r for extra, reqs in project()["optional-dependencies"].items()
                                        if extra != "instructor" for r in reqs]
    out = []
    for dep in deps:
        req = Requirement(dep)
        lows = [s.version for s in req.specifier if s.operator in (">=", "==", "~=")]
        if not lows:
            raise SystemExit(f"stack_check: {dep} in pyproject.toml has no lower bound to test")
        out.append(f"{req.name}=={lows[0]}")
    return out


def run(cmd, log, env=None, cwd=ROOT):
    with open(log, "a", encoding="utf-8") as f:
        f.write(f"\n$ {' '.join(map(str, cmd))}\n")
        f.flush()
        return subprocess.run(list(map(str, cmd)), cwd=cwd, env=env, stdout=f, stderr=subprocess.STDOUT).returncode


def make_venv(where, stack, log):
    """Create the stack's environment; returns its python, or raises with the log's name."""
    python = where / "bin" / "python"
    pip = [python, "-m", "pip", "install", "--quiet"]
    tested = pins(ROOT / "requirements.txt")
    tools = [tested[t] for t in TOOLS if t in tested] + ["pyyaml"]
    library = f"aibook[{','.join(['tf', *chapter_extras()])}] @ git+file://{ROOT}"
    steps = [[sys.executable, "-m", "venv", where], [*pip, "--upgrade", "pip"]]
    if stack in ("pinned", "smoke", "jax"):
        steps += [[*pip, "-r", ROOT / "requirements.txt"],
                  [*pip, "--no-deps", "-r", ROOT / "requirements-nodeps.txt"]]
        if stack == "jax":
            steps.append([*pip, JAX])
    elif stack == "colab":
        colab = list(pins(ROOT / "tests" / "colab_stack.txt").values())
        steps += [[*pip, *colab, *tools], [*pip, library],
                  [*pip, "--no-deps", "-r", ROOT / "requirements-nodeps.txt"]]
    elif stack == "floors":
        steps += [[*pip, *floors(), *tools], [*pip, "--no-deps", library],
                  [*pip, "--no-deps", "-r", ROOT / "requirements-nodeps.txt"]]
    for step in steps:
        if run(step, log) != 0:
            raise RuntimeError(f"installing the {stack} stack failed (see {log})")
    if stack == "colab":  # installing the library must replace nothing Colab ships
        frozen = subprocess.run([python, "-m", "pip", "freeze"], capture_output=True, text=True).stdout.lower()
        for want in pins(ROOT / "tests" / "colab_stack.txt").values():
            if want.lower() not in frozen.splitlines():
                raise RuntimeError(f"installing the library replaced Colab's {want} (see {log})")
    return python


def book_env(smoke=False):
    exports = subprocess.run([sys.executable, "-m", "aibook.config", "exports", "--tests"],
                             capture_output=True, text=True, check=True).stdout
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
    # as in scripts/test.sh: cache byte-code, or every kernel compiles TensorFlow again (~14 s)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(dict(word.split("=", 1) for word in exports.split()[1:]))
    if smoke:
        env.update(AIBOOK_MODE="full", AIBOOK_SMOKE="1")
    return env


def run_notebook(python, notebook, env, log):
    start = time.monotonic()
    code = run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval-lax",
                "--nbval-current-env", "--nbval-cell-timeout=900", notebook], log, env=env)
    return code == 0, time.monotonic() - start


def check_stack(stack, chapters, workdir, workers):
    log = workdir / f"{stack}.log"
    print(f"==> {stack}: building its environment (log: {log})", flush=True)
    try:
        python = make_venv(workdir / stack, stack, log)
    except RuntimeError as err:
        print(f"    {err}", flush=True)
        return {"(install)": (False, 0.0)}
    env = book_env(smoke=stack == "smoke")
    env["AIBOOK_SITE_OUTPUT"] = str(workdir / f"site-{stack}")  # never the build's own cache
    if stack == "jax":
        env["KERAS_BACKEND"] = "jax"
        start = time.monotonic()
        code = run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider", *BACKEND_NEUTRAL_TESTS,
                    "-m", "not tensorflow"], log, env=env)
        return {"unit tests (jax)": (code == 0, time.monotonic() - start)}
    results = {}
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        futures = {pool.submit(run_notebook, python, nb, env, workdir / f"{stack}-{nb.stem}.log"): nb
                   for nb in chapters}
        for future in concurrent.futures.as_completed(futures):
            nb = futures[future]
            results[nb.name[:2]] = future.result()
            ok, seconds = results[nb.name[:2]]
            print(f"    {stack} {nb.name}: {'pass' if ok else 'FAIL'} in {seconds:.0f} s", flush=True)
    return results


def table(results):
    columns = sorted({c for r in results.values() for c in r})
    lines = ["| stack | " + " | ".join(columns) + " |", "| --- |" + " --- |" * len(columns)]
    for stack, found in results.items():
        cells = [f"{'pass' if found[c][0] else '**FAIL**'} {found[c][1]:.0f} s" if c in found else ""
                 for c in columns]
        lines.append(f"| {stack} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stacks", nargs="+", choices=STACKS, default=list(STACKS))
    parser.add_argument("--chapters", nargs="+", help="two-digit chapter numbers (default: all)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the environments and logs")
    args = parser.parse_args(argv)
    chapters = [nb for nb in NOTEBOOKS if not args.chapters or nb.name[:2] in args.chapters]
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                           capture_output=True, text=True).stdout
    if dirty:
        print("stack_check: the library is installed from the last commit; uncommitted changes are "
              "not checked:\n" + dirty, file=sys.stderr)
    workdir = pathlib.Path(tempfile.mkdtemp(prefix="aibook-stacks-"))
    results = {}
    try:
        for stack in args.stacks:
            results[stack] = check_stack(stack, chapters, workdir, args.workers)
    finally:
        print("\n" + table(results))
        if args.keep or not all(ok for r in results.values() for ok, _ in r.values()):
            print(f"\nenvironments and logs kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    failed = [f"{s}/{c}" for s, r in results.items() for c, (ok, _) in r.items() if not ok]
    if failed:
        print(f"\nstack_check: FAILED: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

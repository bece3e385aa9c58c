"""The book's one switch, and the only code that reads the book's environment variables.

=================== =========================================================
``AIBOOK_MODE``     ``fast`` (small real data, a laptop CPU) or ``full`` (the whole
                    data set, a GPU); unset: full where a GPU is visible, fast otherwise
``AIBOOK_DATA``     ``online`` or ``offline``: force the loaders' source; unset: auto
``AIBOOK_STATIC``   ``1`` draws interactive figures once (the book build has no kernel)
``AIBOOK_DATA_DIR`` where offline data and trained models are cached (``~/.cache/aibook``)
``AIBOOK_SMOKE``    ``1``: a smoke test of full mode on a CPU: full mode's code paths,
                    models and batch sizes, every training capped at a few epochs of a
                    small training split, evaluated on small validation and test
                    splits (``SMOKE_EPOCHS``, ``SMOKE_TRAIN``, ``SMOKE_EVAL``)
=================== =========================================================

Chapters never hard-code a size or an epoch count: they ask :func:`pick` for the value of
the current mode, :func:`epochs` for how long to train (an epoch, step, episode or trial
count), :func:`floor` and :func:`ceiling` for the least and the most a correct run reaches
(what its asserts check). The book build and the tests execute every chapter with :data:`BOOK_RUN`;
shell scripts take it from ``python -m aibook.config exports`` rather than spelling it out.
"""
import functools
import os
import pathlib
import random
import shlex
import sys

import numpy as np

MODES = ("fast", "full")
DATA_SOURCES = ("online", "offline")
VARIABLES = ("AIBOOK_MODE", "AIBOOK_DATA", "AIBOOK_STATIC", "AIBOOK_DATA_DIR", "AIBOOK_SMOKE")
SMOKE_EPOCHS = 2  # how long any training runs under AIBOOK_SMOKE=1
SMOKE_TRAIN = 2000  # the most training examples a loader returns under AIBOOK_SMOKE=1
SMOKE_EVAL = 500  # and the most validation and test examples: full-size networks evaluate slowly on a CPU
# How the book build and the test command execute every chapter: fast, on the offline data,
# widgets drawn once. The build may be asked for another mode or source; the tests may not.
BOOK_RUN = {"AIBOOK_MODE": "fast", "AIBOOK_DATA": "offline", "AIBOOK_STATIC": "1"}
# ... each kernel on one thread, so that the test command can run two notebooks at once on
# two cores, and a notebook computes the same numbers however many run beside it (the
# thread count changes the order of TensorFlow's and BLAS's sums, so the last digits).
KERNEL_THREADS = {"TF_NUM_INTRAOP_THREADS": "1", "TF_NUM_INTEROP_THREADS": "1",
                  "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}


def _setting(name):
    return os.environ.get(name, "").strip()


@functools.lru_cache(maxsize=None)
def gpu_available():
    """Whether the Keras backend in use sees a GPU (TensorFlow, JAX or PyTorch)."""
    import keras

    backend = keras.backend.backend()
    try:
        if backend == "tensorflow":
            import tensorflow as tf

            return bool(tf.config.list_physical_devices("GPU"))
        if backend == "jax":
            import jax

            return any(d.platform == "gpu" for d in jax.devices())
        if backend == "torch":
            import torch

            return torch.cuda.is_available()
    except Exception:  # a broken driver means no usable GPU, not a crash
        return False
    return False


def _mode_setting():
    """``AIBOOK_MODE`` checked and lower-cased; ``""`` when unset."""
    value = _setting("AIBOOK_MODE").lower()
    if value and value not in MODES:
        raise ValueError(
            f"AIBOOK_MODE={value!r} is not a mode; use one of {', '.join(MODES)} "
            "(or leave it unset: full on a GPU, fast otherwise)"
        )
    return value


def mode():
    """``"fast"`` or ``"full"``, from ``AIBOOK_MODE`` or from the hardware."""
    return _mode_setting() or ("full" if gpu_available() else "fast")


def is_fast():
    return mode() == "fast"


def pick(fast, full):
    """The value for the current mode: ``batch_size = pick(fast=64, full=128)``."""
    return fast if is_fast() else full


def is_smoke():
    """Whether this run only smoke-tests full mode (``AIBOOK_SMOKE=1``): see :func:`epochs`."""
    value = _setting("AIBOOK_SMOKE").lower()
    if value not in ("", "0", "1"):
        raise ValueError(f"AIBOOK_SMOKE={value!r}; use 1 (smoke-test full mode) or 0 (or leave it unset)")
    return value == "1"


def epochs(fast, full):
    """How long to train in the current mode (epochs, steps, episodes, trials):
    ``pick(fast, full)``, but at most :data:`SMOKE_EPOCHS` in a smoke test of full mode,
    which runs full mode's code on a CPU in seconds."""
    n = pick(fast, full)
    return min(n, SMOKE_EPOCHS) if is_smoke() else n


def floor(fast, full=None):
    """The least a correct run of the current mode reaches, for a chapter's asserts
    (``assert accuracy >= config.floor(fast=0.97, full=0.99)``); ``full`` defaults to
    ``fast``. A smoke test trains a few steps, so it checks that the code runs, not the
    result: there the floor is minus infinity."""
    if is_smoke():
        return -np.inf
    return pick(fast, fast if full is None else full)


def ceiling(fast, full=None):
    """The most a correct run of the current mode reaches, for asserts on errors and gaps
    (``assert disagreements <= config.ceiling(fast=3)``): :func:`floor`'s twin, plus
    infinity in a smoke test."""
    if is_smoke():
        return np.inf
    return pick(fast, fast if full is None else full)


def data_source():
    """``"online"`` or ``"offline"`` when ``AIBOOK_DATA`` forces one, else ``None`` (loaders choose)."""
    value = _setting("AIBOOK_DATA").lower()
    if not value:
        return None
    if value not in DATA_SOURCES:
        raise ValueError(f"AIBOOK_DATA={value!r}; valid values are {', '.join(DATA_SOURCES)} (or unset)")
    return value


def is_static():
    """Whether this run renders a static page (the book build) rather than a live notebook."""
    return _setting("AIBOOK_STATIC").lower() in ("1", "true", "yes")


def data_dir():
    """Where offline data and trained models are cached: ``$AIBOOK_DATA_DIR`` or ``~/.cache/aibook``."""
    return pathlib.Path(_setting("AIBOOK_DATA_DIR") or pathlib.Path.home() / ".cache" / "aibook").expanduser()


def book_run(overrides=True):
    """The settings the book build executes chapters with: :data:`BOOK_RUN` and
    :data:`KERNEL_THREADS`, where ``overrides``
    lets ``AIBOOK_MODE`` and ``AIBOOK_DATA`` already set in the environment win (a full-mode
    build); the tests pass ``overrides=False``. ``AIBOOK_DATA_DIR`` is passed on when set."""
    run = dict(BOOK_RUN)
    if overrides:  # checked: a misspelt mode fails here, not halfway through the build
        run["AIBOOK_MODE"] = _mode_setting() or run["AIBOOK_MODE"]
        run["AIBOOK_DATA"] = data_source() or run["AIBOOK_DATA"]
    if _setting("AIBOOK_DATA_DIR"):
        run["AIBOOK_DATA_DIR"] = _setting("AIBOOK_DATA_DIR")
    run.update(KERNEL_THREADS)
    return run


def child_env(static=False, pin_data_dir=False):
    """The book's variables to add to a child process's environment: ``AIBOOK_STATIC=1`` with
    ``static`` (nobody will answer its widgets), and with ``pin_data_dir`` this process's
    :func:`data_dir` (a child given another ``HOME`` still finds the same cache)."""
    env = {}
    if static:
        env["AIBOOK_STATIC"] = BOOK_RUN["AIBOOK_STATIC"]
    if pin_data_dir:
        env["AIBOOK_DATA_DIR"] = str(data_dir())
    return env


def execution_stamp(settings=None):
    """One line naming the settings of a run, this process's by default (or the ``settings``
    given, e.g. :func:`book_run`'s): an executed notebook may stand in for another run (the
    build's cache) only if the two lines match."""
    value = _setting if settings is None else (lambda name: str(settings.get(name, "")).strip())
    return " ".join(f"{name}={value(name)}" for name in (*BOOK_RUN, *KERNEL_THREADS))


def shell_exports(settings):
    """``export NAME=value ...`` for a POSIX shell's ``eval``, every value quoted."""
    return "export " + " ".join(f"{name}={shlex.quote(str(value))}" for name, value in settings.items())


def seed(value=0, deterministic=False):
    """Seed Python, NumPy and the Keras backend; with ``deterministic=True``
    TensorFlow also runs its ops deterministically (slower, bit-for-bit repeatable)."""
    import keras

    random.seed(value)
    np.random.seed(value)
    keras.utils.set_random_seed(value)
    if deterministic and keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        tf.config.experimental.enable_op_determinism()
    return value


def describe():
    """Print one line for a chapter's setup cell: mode, Keras back end, device.

    Returns nothing, so that the line shows once when it ends a cell."""
    import keras

    device = "GPU" if gpu_available() else "CPU"
    smoke = f" (a smoke test: every training capped at {SMOKE_EPOCHS} epochs or steps)" if is_smoke() else ""
    line = f"aibook: {mode()} mode{smoke}, Keras {keras.__version__} on {keras.backend.backend()} ({device})"
    print(line)


USAGE = """usage: python -m aibook.config exports [--tests]   the book run's settings as a shell `export` line
                                            (--tests: fast and offline whatever the environment says)
       python -m aibook.config stamp               the current run's settings in one line
       python -m aibook.config data-dir            where offline data and trained models are cached

Shell scripts take the book's settings from here rather than spelling them out, in two steps
under `set -e` (inside `eval "$(...)"` the command's failure would be lost):
    exports=$(.venv/bin/python -m aibook.config exports)
    eval "$exports"
Exit status: 0; 1 when a variable holds a bad value (named in the message); 2 for bad usage."""


def main(argv=None):
    """The command line; returns 0, 1 for a bad value of a variable, 2 for bad usage."""
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        if argv[:1] == ["exports"] and set(argv[1:]) <= {"--tests"}:
            print(shell_exports(book_run(overrides="--tests" not in argv)))
        elif argv == ["stamp"]:
            print(execution_stamp())
        elif argv == ["data-dir"]:
            print(data_dir())
        else:
            print(USAGE, file=sys.stderr)
            return 2
    except ValueError as err:
        print(f"aibook.config: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

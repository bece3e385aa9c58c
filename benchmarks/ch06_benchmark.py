"""Chapter 6 benchmark: training speed of `model.fit` against the chapter's own loop, and the
chapter's fast-mode accuracy and wall time. Run by hand (it is not a test):

    .venv/bin/python benchmarks/ch06_benchmark.py            # everything (about 3 minutes, quiet machine)
    .venv/bin/python benchmarks/ch06_benchmark.py --no-notebook   # throughput only

Throughput: the benchmark runs the chapter's own cells that load the data, build the tf.data
pipeline, define the model recipe and the GradientTape loop (the cells with the ids in
``CHAPTER_CELLS``), so it times exactly the code the chapter teaches. It then alternates
``model.fit`` and the loop (same model, data, batch size, loss and optimizer), a few epochs each, so
that a change in the machine's load hits both alike; the first epoch of every call (tracing)
is left out. The eager loop is the same function with ``graph=False``, on 20 batches.

Chapter: the notebook is executed top to bottom on a fresh kernel in fast mode with the offline
data (as nbval and the book build run it); its wall time includes the kernel's start, and its
accuracies are the values the chapter glues into its text.

Every figure is printed with the load average of the machine at the time: on a shared machine
the wall times are inflated by the other processes, the ratios much less.
"""
import argparse
import os
import pathlib
import statistics
import sys
import time

from _report import FAST_ENV, check_targets, glued_values, load, percent, run_notebook, verdict

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "06_cnn_digits.ipynb"
CHAPTER_CELLS = ("ch06-setup", "ch06-imports", "ch06-load-data", "ch06-pipeline", "ch06-recipe", "ch06-loop")
TARGETS = {"test_accuracy": 0.985, "wall_s": 60.0, "loop_over_fit": 0.9}


def chapter_namespace():
    """Run the chapter's set-up, data, pipeline, recipe and loop cells here; return their names."""
    import nbformat
    from IPython.core.interactiveshell import InteractiveShell

    nb = nbformat.read(NOTEBOOK, as_version=4)
    cells = {cell.get("id"): cell for cell in nb.cells if cell.cell_type == "code"}
    missing = [cid for cid in CHAPTER_CELLS if cid not in cells]
    if missing:
        raise SystemExit(f"{NOTEBOOK.name} has no code cell with id {', '.join(missing)}")
    shell = InteractiveShell.instance()
    for cid in CHAPTER_CELLS:
        result = shell.run_cell(cells[cid].source, silent=True)
        if not result.success:
            raise SystemExit(f"cell {cid!r} failed: {result.error_in_exec or result.error_before_exec}")
    return shell.user_ns


def throughput(rounds, epochs_per_call):
    """Examples/s of model.fit, of the chapter's loop in tf.function, and of the loop run eagerly."""
    ns = chapter_namespace()
    train = ns["train"]
    n_train = len(ns["digits"].y_train)
    train_ds, val_ds = ns["train_ds"], ns["val_ds"]

    fit_model, loop_model = ns["make_model"](), ns["make_model"]()
    # compiled exactly as the chapter compiles it: its optimizer and schedule, its loss
    fit_model.compile(optimizer=ns["make_optimizer"](), loss=ns["smoothed_loss"], metrics=["accuracy"])
    loop_optimizer = ns["make_optimizer"]()
    speeds = {"model.fit": [], "loop, tf.function": []}
    for r in range(rounds):
        timer = train.EpochTimer()
        train.fit(fit_model, train_ds, validation_data=val_ds, epochs=epochs_per_call,
                  callbacks=[timer], verbose=0, shuffle=False)  # train_ds shuffles itself
        speeds["model.fit"] += [n_train / s for s in timer.seconds[1:]]
        history = ns["train_loop"](loop_model, loop_optimizer, train_ds, val_ds, epochs=epochs_per_call)
        speeds["loop, tf.function"] += [n_train / s for s in history["seconds"][1:]]
        print(f"  round {r + 1}/{rounds}: fit {statistics.median(speeds['model.fit'][-epochs_per_call + 1:]):,.0f}/s, "
              f"loop {statistics.median(speeds['loop, tf.function'][-epochs_per_call + 1:]):,.0f}/s ({load()})",
              flush=True)
    # eagerly, a few batches are enough (and a whole epoch would take minutes)
    eager_batches = 20
    eager = ns["train_loop"](ns["make_model"](), ns["make_optimizer"](), train_ds.take(eager_batches),
                             val_ds.take(1), epochs=1, graph=False)
    speeds["loop, eager"] = [eager_batches * ns["BATCH"] / s for s in eager["seconds"]]
    return {name: statistics.median(values) for name, values in speeds.items()}, n_train


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2, help="alternations of fit and loop")
    parser.add_argument("--epochs", type=int, default=4, help="epochs per call (the first is not timed)")
    parser.add_argument("--no-notebook", action="store_true", help="skip running the chapter")
    args = parser.parse_args(argv)
    if args.epochs < 2:
        parser.error("--epochs must be at least 2: the first epoch of each call traces and is not timed")
    os.environ.update(FAST_ENV)
    sys.path.insert(0, str(NOTEBOOK.parent))
    os.chdir(NOTEBOOK.parent)
    print(f"chapter 6 benchmark, {time.strftime('%Y-%m-%d %H:%M')}; {load()}")
    print(f"throughput: {args.rounds} rounds of {args.epochs} epochs each of fit and loop, then 20 batches eagerly")
    speeds, n_train = throughput(args.rounds, args.epochs)
    print(f"\ntraining throughput, {n_train:,} offline digits per epoch (median over timed epochs; {load()}):")
    for name, value in speeds.items():
        print(f"  {name:<18} {value:8,.0f} examples/s   ({value / speeds['model.fit']:.2f}x model.fit)")
    ratio = speeds["loop, tf.function"] / speeds["model.fit"]
    ok = check_targets([("loop / fit throughput", ratio, TARGETS["loop_over_fit"], ratio >= TARGETS["loop_over_fit"])],
                       indent="  ")

    if not args.no_notebook:
        print(f"\nrunning {NOTEBOOK.name} on a fresh kernel (fast mode, offline data) ...", flush=True)
        wall, nb = run_notebook(NOTEBOOK, timeout=600)
        glued = glued_values(nb)
        print(f"chapter wall time {wall:.1f} s, kernel start included ({load()})")
        for key in ("test_acc_fit", "test_acc_loop", "fit_speed", "loop_speed", "eager_speed", "epochs"):
            print(f"  glued {key}: {glued.get(key, 'missing')}")
        acc = percent(glued["test_acc_fit"]) if "test_acc_fit" in glued else float("nan")
        acc_loop = percent(glued["test_acc_loop"]) if "test_acc_loop" in glued else float("nan")
        ok &= check_targets([
            ("test accuracy, model.fit", acc, TARGETS["test_accuracy"], acc >= TARGETS["test_accuracy"]),
            ("test accuracy, loop", acc_loop, TARGETS["test_accuracy"], acc_loop >= TARGETS["test_accuracy"]),
            ("chapter wall time (s)", wall, TARGETS["wall_s"], wall <= TARGETS["wall_s"]),
        ], indent="  ")
    print()
    verdict(ok)
    return 0


if __name__ == "__main__":
    sys.exit(main())

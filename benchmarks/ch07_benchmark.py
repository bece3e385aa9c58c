"""Chapter 7 benchmark: the chapter's fast-mode wall time, its two tables (the ladder's rungs:
validation accuracy, train–validation gap, parameters, seconds per epoch; the final model on the
test set) and the final test accuracy
against the targets of issue 10. Run by hand (it is not a test):

    .venv/bin/python benchmarks/ch07_benchmark.py

The notebook is executed top to bottom on a fresh kernel in fast mode with the offline data (as
nbval and the book build run it); its wall time includes the kernel's start. Every figure is printed
with the load average of the machine: on a shared machine the wall times and the seconds per epoch
are inflated by the other processes, the accuracies are not.
"""
import pathlib
import sys
import time

from _report import check_targets, glued_values, load, percent, run_notebook, verdict

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "07_better_cnns.ipynb"
TARGETS = {"test_accuracy": 0.89, "wall_s": 120.0}


def cell_text(nb, cell_id):
    """The plain-text result of the cell with id ``cell_id`` (its last ``execute_result``)."""
    for cell in nb.cells:
        if cell.get("id") == cell_id:
            results = [o for o in cell.get("outputs", []) if o.get("output_type") == "execute_result"]
            return results[-1]["data"].get("text/plain", "") if results else ""
    return ""


def main():
    print(f"chapter 7 benchmark, {time.strftime('%Y-%m-%d %H:%M')}; {load()}", flush=True)
    wall, nb = run_notebook(NOTEBOOK)
    glued = glued_values(nb)
    print(f"\nchapter wall time {wall:.1f} s, kernel start included ({load()})")
    print(f"data: {glued.get('dataset')} ({glued.get('source')})")
    print(f"ladder: {glued.get('n_small')} training / {glued.get('n_val_small')} validation images, "
          f"{glued.get('ladder_epochs')} epochs per rung")
    print(f"final model: {glued.get('final_params')} parameters, {glued.get('final_epochs')} epochs of "
          f"{glued.get('final_seconds')} s ({glued.get('final_speed')} training images/s, validation included)")
    print("\n" + cell_text(nb, "ch07-deltas"))
    print("\n" + cell_text(nb, "ch07-table"))
    accuracy = percent(glued["test_accuracy"])
    verdict(check_targets([
        ("final test accuracy", accuracy, TARGETS["test_accuracy"], accuracy >= TARGETS["test_accuracy"]),
        ("chapter wall time (s)", wall, TARGETS["wall_s"], wall <= TARGETS["wall_s"]),
    ]))
    return 0


if __name__ == "__main__":
    sys.exit(main())

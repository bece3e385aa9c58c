"""What the chapter benchmarks share: the fast-mode environment, the load average, running a
notebook on a fresh kernel, the values it glued, and the "target met / NOT met" lines."""
import ast
import os
import time

from aibook import config

# The test command's settings (fast, offline data, widgets drawn once, whatever the environment
# says), from their one owner, plus a quiet TensorFlow.
FAST_ENV = {**config.book_run(overrides=False), "TF_CPP_MIN_LOG_LEVEL": "2"}


def load():
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


def run_notebook(path, timeout=1200):
    """Execute the notebook at ``path`` top to bottom on a fresh kernel in fast mode with the offline
    data (as nbval and the book build run it); returns the wall time, kernel start included, and the
    executed notebook."""
    import nbformat
    from nbclient import NotebookClient

    os.environ.update(FAST_ENV)
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return time.perf_counter() - start, nb


def glued_values(nb):
    """The values the notebook glued (myst-nb stores them as outputs named in their metadata)."""
    values = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            record = output.get("metadata", {}).get("scrapbook", {})
            if record.get("name"):
                text = output["data"].get(record.get("mime_prefix", "") + "text/plain", "")
                try:
                    values[record["name"]] = str(ast.literal_eval(text))  # a str is stored as its repr
                except (ValueError, SyntaxError):
                    values[record["name"]] = text
    return values


def percent(text):
    return float(text.rstrip("%")) / 100


def check_targets(rows, indent=""):
    """Print one line per (label, value, target, met) and return whether all were met."""
    ok = True
    for label, value, target, met in rows:
        ok &= met
        print(f"{indent}target {label}: {value:.4g} vs {target:g} -> {'met' if met else 'NOT met'}")
    return ok


def verdict(ok):
    print("all targets met" if ok else "some targets NOT met (on a loaded machine the wall time is inflated)")

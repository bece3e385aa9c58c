"""Models that one chapter trains and later chapters start from, trained once per machine.

    model = pretrained.load("digit_cnn")   # chapter 6's CNN, trained on the digits

The first call trains the model with its recipe (below) in a separate Python process, so that
the calling notebook's random state is the same whether the model was cached or not, and saves
it under ``config.data_dir() / "models"``. Later calls, in any chapter, load it in about a
second. The file's name carries a key: a hash of the recipe's code, the model builders' code,
the training data, the mode and the Keras version, so a change to any of them trains anew. A
file whose SHA-256 no longer matches the one recorded beside it is retrained, with a message;
one that Keras cannot read stops the chapter with a message that names it. (Course books such as uvadlc's notebooks download checkpoints; this book makes its own.)

``python -m aibook.pretrained train NAME`` trains one into the cache; ``list`` shows the cache.
"""
import contextlib
import hashlib
import inspect
import json
import os
import pathlib
import subprocess
import sys
import time

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

from . import config
from .data.fetch import sha256_file

RECIPES = {}


def recipe(name, chapter, data):
    """Register ``function(mode) -> (model, dataset, info)`` as the recipe of ``name``, trained
    on the data sets of the modules ``data`` (names in ``aibook.data``)."""
    def register(function):
        function.chapter = chapter
        function.data = data
        RECIPES[name] = function
        return function
    return register


@recipe("digit_cnn", chapter=6, data=("mnist",))
def _digit_cnn(mode):
    """Chapter 6's network (``models.digit_cnn``: 16 filters of 5×5, dropout 0.25) on the MNIST
    training split, with chapter 6's small random shifts, rotations and zooms, Adam."""
    import tensorflow as tf

    from . import data, models

    ds = data.load_mnist()
    epochs = config.epochs(fast=6, full=15)  # the child runs in ``mode``
    augment = models.digit_augmentation(shift=0.08, rotation=0.03, zoom=0.08)
    train_ds = (tf.data.Dataset.from_tensor_slices((ds.x_train, ds.y_train))
                .shuffle(len(ds.y_train), seed=0).batch(64)
                .map(lambda x, y: (augment(x, training=True), y), num_parallel_calls=tf.data.AUTOTUNE)
                .prefetch(tf.data.AUTOTUNE))
    model = models.compile_classifier(models.digit_cnn(dropout=0.25), learning_rate=2e-3)
    model.fit(train_ds, epochs=epochs, validation_data=(ds.x_val, ds.y_val), verbose=2)
    return model, ds


@recipe("fashion_cnn", chapter=10, data=("fashion_mnist",))  # chapter 10 starts from it
def _fashion_cnn(mode):
    """The articles' CNN layout (``models.mnist_cnn`` with dropout 0.25) on Fashion-MNIST:
    10,000 training images for 4 epochs in fast mode, all 55,000 for 15 epochs in full mode."""
    from . import data, models

    ds = data.load_fashion_mnist(n_train=10_000 if mode == "fast" else None)
    epochs = config.epochs(fast=4, full=15)
    model = models.compile_classifier(models.mnist_cnn(dropout=0.25, name="fashion_cnn"), learning_rate=2e-3)
    model.fit(ds.x_train, ds.y_train, batch_size=128, epochs=epochs,
              validation_data=(ds.x_val, ds.y_val), verbose=2)
    return model, ds


def _check_name(name):
    if name not in RECIPES:
        raise ValueError(f"no trained model called {name!r}; the book has {', '.join(sorted(RECIPES))}")


def _library_sources(name):
    """The code a recipe calls besides its own: the model builders, the data package's core and
    the loaders of its data sets (whose checksums pin the data themselves). Another data set
    added to the package does not retrain it."""
    root = pathlib.Path(__file__).parent
    loaders = [root / "data" / f"{module}.py" for module in RECIPES[name].data]
    return [root / "models.py", root / "data" / "dataset.py", root / "data" / "fetch.py", *loaders]


def key(name, mode=None):
    """What the cached file must have been trained from: the recipe's source, the library code it
    calls (model builders, data loaders, which check their data by SHA-256), the mode and the
    Keras version that saved it."""
    _check_name(name)
    h = hashlib.sha256()
    # a smoke test's few-step model must never stand in for a trained one
    import keras

    # a .keras file saved by a newer Keras may not load in an older one (Colab's, the floors')
    parts = [inspect.getsource(RECIPES[name]), mode or config.mode(), f"keras {keras.__version__}",
             *(["smoke"] if config.is_smoke() else [])]
    parts += [path.read_text(encoding="utf-8") for path in _library_sources(name)]
    for part in parts:
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()[:16]


def cache_dir():
    return config.data_dir() / "models"


def _paths(name, mode=None):
    stem = cache_dir() / f"{name}-{mode or config.mode()}-{key(name, mode)}"
    return stem.with_suffix(".keras"), stem.with_suffix(".json")


def _intact(name):
    """The record of the cached model if its file is there and unaltered, else ``None``
    (after saying why, when there was a file)."""
    model_path, record_path = _paths(name)
    if not model_path.exists():
        others = sorted(cache_dir().glob(f"{name}-{config.mode()}-*.keras"))
        if others:
            print(f"aibook: the cached {name} ({others[0].name}) was trained from other code or data; "
                  "training it again", file=sys.stderr)
        return None
    try:
        record = json.loads(record_path.read_text())
        if record["sha256"] == sha256_file(model_path):
            return record
    except (OSError, ValueError, KeyError):
        pass
    print(f"aibook: the cached {model_path.name} is damaged (its checksum does not match); "
          "training it again", file=sys.stderr)
    return None


@contextlib.contextmanager
def _training_lock(name):
    """Hold an exclusive lock on ``name``'s cache entry (released when the process dies)."""
    cache_dir().mkdir(parents=True, exist_ok=True)
    with open(cache_dir() / f".{name}-{config.mode()}.lock", "w") as lock:
        if fcntl is not None:  # POSIX (Linux, Colab, macOS); elsewhere no lock
            fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def load(name):
    """The trained model ``name`` (compiled, ready for ``evaluate`` or fine-tuning), trained
    first if this machine has no intact copy for the current mode."""
    import keras

    _check_name(name)
    # Two notebooks run side by side (the test command) may both need a model the cache lacks:
    # the second waits for the first's training and loads its result instead of training too.
    with _training_lock(name):
        if _intact(name) is None:
            print(f"aibook: training {name} once on this machine ({config.mode()} mode; "
                  f"the recipe is chapter {RECIPES[name].chapter}'s)", file=sys.stderr)
            done = subprocess.run([sys.executable, "-m", "aibook.pretrained", "train", name],
                                  capture_output=True, text=True, env=os.environ.copy())
            if done.returncode != 0:
                raise RuntimeError(f"training {name} failed:\n{done.stderr[-3000:]}")
            if _intact(name) is None:
                raise RuntimeError(f"training {name} finished but left no intact model in {cache_dir()}")
    model_path, _ = _paths(name)
    try:
        return keras.models.load_model(model_path)
    except Exception as err:  # a file Keras cannot read although its checksum matches
        raise RuntimeError(f"Keras cannot read {model_path} ({err}); delete it to train it again") from err


def info(name):
    """What was recorded when the cached model was trained: accuracy, time, key, data."""
    record = _intact(name)
    if record is None:
        raise FileNotFoundError(f"{name} is not cached for {config.mode()} mode; pretrained.load({name!r}) trains it")
    return record


def train_into_cache(name):
    """Train ``name`` with its recipe and save it atomically with its record; returns the record."""
    _check_name(name)
    config.seed(0)
    mode = config.mode()
    start = time.perf_counter()
    model, ds = RECIPES[name](mode)
    seconds = time.perf_counter() - start
    _, val_accuracy = model.evaluate(ds.x_val, ds.y_val, batch_size=1000, verbose=0)
    model_path, record_path = _paths(name, mode)
    cache_dir().mkdir(parents=True, exist_ok=True)
    for old in cache_dir().glob(f"{name}-{mode}-*"):
        old.unlink()  # stale: trained from other code or data
    partial = model_path.with_name(f".{os.getpid()}-{model_path.name}")  # Keras wants the suffix
    model.save(partial)
    record = dict(name=name, mode=mode, key=key(name, mode), sha256=sha256_file(partial),
                  data=ds.name, data_source=ds.source, n_train=len(ds.y_train),
                  val_accuracy=round(float(val_accuracy), 4), train_seconds=round(seconds, 1),
                  trained=time.strftime("%Y-%m-%d %H:%M:%S"))
    os.replace(partial, model_path)  # atomic: a killed run never leaves half a model
    record_path.write_text(json.dumps(record, indent=1))
    return record


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) == 2 and argv[0] == "train":
        record = train_into_cache(argv[1])
        print(f"aibook: {record['name']} trained in {record['train_seconds']} s, validation accuracy "
              f"{record['val_accuracy']:.2%}, saved in {cache_dir()}")
        return 0
    if argv == ["list"]:
        for name in sorted(RECIPES):
            record = _intact(name)
            print(f"{name}: " + (f"cached, validation accuracy {record['val_accuracy']:.2%}" if record
                                 else "not cached for this mode"))
        return 0
    print("usage: python -m aibook.pretrained train NAME | list", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())

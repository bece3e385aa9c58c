"""PneumoniaMNIST (MedMNIST v2): 5,856 paediatric chest X-rays, 28×28 grey, normal or pneumonia.

Online only: the official file of the MedMNIST authors on Zenodo, checked against the MD5 that
MedMNIST publishes for it (``medmnist.INFO["pneumoniamnist"]``). No package registry ships
labelled medical images, so offline ``load_pneumonia_mnist`` raises :class:`DataUnavailableError`
and a chapter uses a stand-in that it names as such.
"""
import numpy as np

from .dataset import Dataset, resolve_source
from .fetch import DataUnavailableError, download_or_explain

NAME = "PneumoniaMNIST"
PNEUMONIA_NAMES = ["normal", "pneumonia"]
URL = "https://zenodo.org/records/10519652/files/pneumoniamnist.npz?download=1"
MD5 = "28209eda62fecd6e6a2d98b1501bb15f"  # the checksum MedMNIST 3.0.2 publishes
SIZES = {"train": 4708, "val": 524, "test": 624}  # the official splits


def download():
    """The path of the official file in Keras' cache (``~/.keras/datasets``)."""
    import keras

    return keras.utils.get_file("pneumoniamnist.npz", origin=URL, file_hash=MD5, hash_algorithm="md5")


def read_npz(path):
    """The three official splits of ``pneumoniamnist.npz`` as ``(images, labels)`` pairs."""
    splits = []
    with np.load(path, allow_pickle=False) as f:
        for split in ("train", "val", "test"):
            try:
                x, y = f[f"{split}_images"], f[f"{split}_labels"].reshape(-1)
            except KeyError as err:
                raise ValueError(f"{path} is not a MedMNIST file: no {err}") from None
            if x.ndim != 3 or len(x) != len(y) or not set(np.unique(y)) <= {0, 1}:
                raise ValueError(f"{path}: {split} split of images {x.shape} and {len(y)} labels is not binary")
            splits.append((x, y))
    return splits


def load_pneumonia_mnist(source="auto", n_train=None):
    """Chest X-rays, 28×28×1 float32 in [0, 1], label 1 for pneumonia (``PNEUMONIA_NAMES``), in
    MedMNIST's official splits (4,708 / 524 / 624; the training and validation images come from
    the source's training set, the test images from its own held-out set). Online only."""
    if resolve_source(source, offline_available=False) == "offline":
        raise DataUnavailableError(
            "PneumoniaMNIST has no offline copy (no package registry ships labelled medical images); "
            "use source='online' where the internet is available.")
    path = download_or_explain(NAME, download, "a stand-in data set, named as one.")
    source = "online: MedMNIST v2's official pneumoniamnist.npz (5,856 chest X-rays, CC BY 4.0)"
    return Dataset.from_splits(NAME, source, PNEUMONIA_NAMES, *read_npz(path), n_train=n_train)

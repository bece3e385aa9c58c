"""Zalando's Fashion-MNIST: offline from Debian's package ``dataset-fashion-mnist``, online by Keras."""
import gzip
import hashlib
import pathlib
import tempfile

import numpy as np

from .. import config
from .dataset import Dataset, resolve_source, stratified_split
from .fetch import (DataUnavailableError, cached_arrays, download_or_explain, fetch_debian_package,
                    sha256_arrays, unpack_debian_package)

NAME = "Fashion-MNIST"
FASHION_NAMES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                 "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]

# Debian's package `dataset-fashion-mnist` (MIT, Zalando SE) ships the official files. Debian
# recompressed the .gz files, so their bytes differ from Zalando's, but the decompressed idx
# files are the official ones (MD5 f4a8712d…, 9018921c…, 8181f547…, 15d48437…, as published
# next to Zalando's downloads). We check the SHA-256 of each decompressed file.
FASHION_DEB = dict(
    package="dataset-fashion-mnist",
    folder="usr/share/datasets/fashion-mnist",
    files_sha256={
        "train-images-idx3-ubyte": "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
        "train-labels-idx1-ubyte": "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
        "t10k-images-idx3-ubyte": "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
        "t10k-labels-idx1-ubyte": "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
    },
    cache="fashion-mnist-debian.npz",
    # SHA-256 of x_train, y_train, x_test, y_test (uint8) one after the other; the same
    # arrays Keras' download decodes to, so the online path is checked against it too.
    arrays_sha256="ca3ab2a37f845e1b8ae23cab1b51749a3011ba3bf1d9016176d75cbaabac376f",
)
VAL = 5000

HOW_TO_FETCH_DEB = (
    "On Debian or Ubuntu run `python -m aibook.data fetch` (it calls `apt-get download "
    "dataset-fashion-mnist` and unpacks it with `dpkg -x`, no root needed; if apt says it cannot "
    "locate the package, run `sudo apt-get update` once first). Elsewhere (macOS, Windows, other "
    "Linux) use source='online': Keras downloads the same official files."
)


def read_idx(raw, kind):
    """Decode one idx file (the MNIST format): ``kind`` is ``"images"`` or ``"labels"``."""
    magic, ndim = {"images": (2051, 3), "labels": (2049, 1)}[kind]
    header = 4 * (ndim + 1)
    if len(raw) < header or int.from_bytes(raw[:4], "big") != magic:
        raise ValueError(f"not an idx {kind} file (expected magic number {magic})")
    shape = tuple(int.from_bytes(raw[4 * (i + 1):4 * (i + 2)], "big") for i in range(ndim))
    if len(raw) - header != int(np.prod(shape)):
        raise ValueError(f"idx {kind} file holds {len(raw) - header:,} bytes, its header says {shape}")
    return np.frombuffer(raw, np.uint8, offset=header).reshape(shape)


def read_deb(deb):
    """Unpack the .deb, check each idx file's SHA-256, decode the four uint8 arrays (a dict)."""
    arrays = {}
    with tempfile.TemporaryDirectory() as tmp:
        unpack_debian_package(deb, tmp, HOW_TO_FETCH_DEB)
        folder = pathlib.Path(tmp) / FASHION_DEB["folder"]
        for name, sha256 in FASHION_DEB["files_sha256"].items():
            path = folder / f"{name}.gz"
            if not path.exists():
                raise RuntimeError(f"{deb.name} has no {FASHION_DEB['folder']}/{path.name}")
            raw = gzip.decompress(path.read_bytes())
            digest = hashlib.sha256(raw).hexdigest()
            if digest != sha256:
                raise RuntimeError(f"{deb.name}: {name} has SHA-256 {digest}, expected {sha256}; delete "
                                   f"{deb} and run `python -m aibook.data fetch` again")
            split = "train" if name.startswith("train") else "test"
            kind = "images" if "images" in name else "labels"
            arrays[("x_" if kind == "images" else "y_") + split] = read_idx(raw, kind)
    return {k: arrays[k] for k in ("x_train", "y_train", "x_test", "y_test")}


def offline_arrays(fetch=False):
    """The official Fashion-MNIST as uint8 arrays ``x_train, y_train, x_test, y_test`` (a dict),
    from the cached .npz, rebuilt from the Debian package when the cache is missing or damaged.

    With ``fetch=True`` the package is downloaded if it is not here yet.
    """
    root = config.data_dir()

    def build():
        debs = sorted(root.glob(f"{FASHION_DEB['package']}_*.deb"))
        if debs:
            return read_deb(debs[-1])
        if not fetch:
            raise DataUnavailableError(
                f"The offline Fashion-MNIST is not in {root} (no {FASHION_DEB['cache']}). {HOW_TO_FETCH_DEB}")
        return read_deb(fetch_debian_package(FASHION_DEB["package"], root, HOW_TO_FETCH_DEB))

    return cached_arrays(root / FASHION_DEB["cache"], FASHION_DEB["arrays_sha256"], build)


def offline_available():
    root = config.data_dir()
    return (root / FASHION_DEB["cache"]).exists() or any(root.glob(f"{FASHION_DEB['package']}_*.deb"))


def fetch():
    """Fetch and cache the offline copy; returns a line for the set-up's log."""
    arrays = offline_arrays(fetch=True)
    n = len(arrays["y_train"]) + len(arrays["y_test"])
    return f"offline Fashion-MNIST ready in {config.data_dir()} ({n:,} images, checksum ok)"


def load_fashion_mnist(source="auto", n_train=None):
    """Zalando's Fashion-MNIST: 28×28×1 float32 images in [0, 1], labels 0–9 (``FASHION_NAMES``).

    Both sources hold the same official 60,000 training and 10,000 test images:
    ``"online"`` downloads them with Keras, ``"offline"`` reads Debian's package
    ``dataset-fashion-mnist`` (``python -m aibook.data fetch``). Validation = 5,000
    of the training images (stratified, fixed); the test split is the official one.
    ``"auto"``: offline in fast mode when available, online otherwise (``AIBOOK_DATA``
    overrides). ``n_train`` keeps a stratified subset of the training split.
    """
    if resolve_source(source, offline_available()) == "offline":
        arrays = offline_arrays()
        where = ("offline: the official Fashion-MNIST (60,000 training + 10,000 test images) "
                 "from Debian's package dataset-fashion-mnist")
    else:
        import keras

        (x, y), (xte, yte) = download_or_explain(NAME, keras.datasets.fashion_mnist.load_data,
                                                 f"source='offline'. {HOW_TO_FETCH_DEB}")
        arrays = dict(x_train=x, y_train=y, x_test=xte, y_test=yte)
        if sha256_arrays(*arrays.values()) != FASHION_DEB["arrays_sha256"]:
            raise RuntimeError("the downloaded Fashion-MNIST differs from the official arrays "
                               "(checksum mismatch); delete ~/.keras/datasets/fashion-mnist and retry")
        where = "online: the official Fashion-MNIST (60,000 training + 10,000 test images)"
    x, y = arrays["x_train"], arrays["y_train"]
    train, val = stratified_split(x, y, (len(y) - VAL, VAL))
    return Dataset.from_splits(NAME, where, FASHION_NAMES, train, val, (arrays["x_test"], arrays["y_test"]),
                               n_train=n_train)

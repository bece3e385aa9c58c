"""PneumoniaMNIST: online only, its official splits read from the .npz without unpickling."""
import numpy as np
import pytest

from aibook import data
from aibook.data import pneumonia_mnist


def test_offline_raises_a_clear_error(monkeypatch):
    monkeypatch.setenv("AIBOOK_DATA", "offline")
    with pytest.raises(data.DataUnavailableError, match="no offline copy"):
        data.load_pneumonia_mnist()


def fake_npz(path, sizes=(6, 4, 4)):
    rng = np.random.default_rng(0)
    arrays = {}
    for split, n in zip(("train", "val", "test"), sizes):
        arrays[f"{split}_images"] = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)
        arrays[f"{split}_labels"] = (np.arange(n) % 2).reshape(-1, 1).astype(np.uint8)
    np.savez(path, **arrays)
    return arrays


def test_the_official_splits_become_the_datasets_splits(tmp_path, monkeypatch):
    arrays = fake_npz(tmp_path / "p.npz")
    monkeypatch.setattr(pneumonia_mnist, "download", lambda: tmp_path / "p.npz")
    ds = data.load_pneumonia_mnist(source="online")
    assert (len(ds.y_train), len(ds.y_val), len(ds.y_test)) == (6, 4, 4)
    assert ds.class_names == ["normal", "pneumonia"] and ds.input_shape == (28, 28, 1)
    np.testing.assert_allclose(ds.x_val[..., 0], arrays["val_images"] / 255, rtol=1e-6)
    np.testing.assert_array_equal(ds.y_test, arrays["test_labels"].ravel())
    assert ds.source.startswith("online: MedMNIST")


def test_a_file_without_the_medmnist_keys_is_refused(tmp_path):
    np.savez(tmp_path / "other.npz", x=np.zeros(3))
    with pytest.raises(ValueError, match="not a MedMNIST file"):
        pneumonia_mnist.read_npz(tmp_path / "other.npz")


def test_download_asks_keras_for_the_official_file_with_medmnists_md5(monkeypatch):
    import keras

    seen = {}
    monkeypatch.setattr(keras.utils, "get_file", lambda *a, **k: seen.update(k) or "x")
    pneumonia_mnist.download()
    assert seen["origin"].startswith("https://zenodo.org/records/10519652/")
    assert (seen["file_hash"], seen["hash_algorithm"]) == (pneumonia_mnist.MD5, "md5")

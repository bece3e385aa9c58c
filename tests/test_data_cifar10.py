"""CIFAR-10, online only; its parsing tested on a small archive in CIFAR-10's own format."""
import io
import pickle
import tarfile

import numpy as np
import pytest

from aibook import data
from aibook.data import cifar10


def _image(i):
    """A 32×32×3 uint8 image whose every pixel encodes (image, row, column, channel)."""
    r, c, k = np.meshgrid(np.arange(32), np.arange(32), np.arange(3), indexing="ij")
    return ((i * 11 + r * 7 + c * 3 + k * 85) % 256).astype(np.uint8)


def _write_cifar10_archive(path, per_batch):
    """A small ``cifar-10-python.tar.gz`` in the official layout and encoding: pickled dicts
    with bytes keys; ``data`` a uint8 array of rows (1,024 red, 1,024 green, 1,024 blue
    values, each plane row-major), ``labels`` a list of ints. Returns images and labels."""
    images, labels = {}, {}
    names = cifar10.TRAIN_BATCHES + ["test_batch"]
    with tarfile.open(path, "w:gz") as tar:
        for b, name in enumerate(names):
            ids = range(b * per_batch, (b + 1) * per_batch)
            imgs = np.stack([_image(i) for i in ids])
            labs = [i % 10 for i in ids]
            rows = imgs.transpose(0, 3, 1, 2).reshape(len(imgs), 3072)
            blob = pickle.dumps({b"batch_label": name.encode(), b"labels": labs, b"data": rows,
                                 b"filenames": [f"img_{i}.png".encode() for i in ids]}, protocol=2)
            info = tarfile.TarInfo(f"cifar-10-batches-py/{name}")
            info.size = len(blob)
            tar.addfile(info, io.BytesIO(blob))
            images[name], labels[name] = imgs, np.array(labs, dtype=np.uint8)
    return images, labels


def test_cifar10_archive_is_decoded_into_channels_last_images_in_batch_order(tmp_path):
    path = tmp_path / "cifar-10-python.tar.gz"
    images, labels = _write_cifar10_archive(path, per_batch=20)
    (x, y), (xte, yte) = cifar10.read_archive(path)
    assert x.shape == (100, 32, 32, 3) and x.dtype == np.uint8 and xte.shape == (20, 32, 32, 3)
    np.testing.assert_array_equal(x, np.concatenate([images[n] for n in cifar10.TRAIN_BATCHES]))
    np.testing.assert_array_equal(y, np.concatenate([labels[n] for n in cifar10.TRAIN_BATCHES]))
    np.testing.assert_array_equal(xte, images["test_batch"])
    np.testing.assert_array_equal(yte, labels["test_batch"])
    # pixel (row 1, column 2) of image 0: red = 1*7 + 2*3, green = red + 85, blue = red + 170
    np.testing.assert_array_equal(x[0, 1, 2], [13, 98, 183])


def test_load_cifar10_splits_the_official_training_images(tmp_path, monkeypatch):
    path = tmp_path / "cifar-10-python.tar.gz"
    _write_cifar10_archive(path, per_batch=40)
    monkeypatch.setattr(cifar10, "download", lambda: str(path))
    monkeypatch.setattr(cifar10, "VAL", 50)
    ds = data.load_cifar10(source="online")
    assert (len(ds.y_train), len(ds.y_val), len(ds.y_test)) == (150, 50, 40)
    assert ds.input_shape == (32, 32, 3) and ds.x_train.dtype == np.float32
    assert 0.0 <= ds.x_train.min() and ds.x_train.max() <= 1.0
    assert ds.class_names[0] == "airplane" and ds.source.startswith("online")
    np.testing.assert_array_equal(np.bincount(ds.y_val), [5] * 10)
    np.testing.assert_allclose(ds.x_test[0], _image(200) / 255.0, atol=1e-7)


def test_cifar10_archive_without_a_batch_is_rejected(tmp_path):
    path = tmp_path / "broken.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        info = tarfile.TarInfo("cifar-10-batches-py/readme.html")
        tar.addfile(info, io.BytesIO(b""))
    with pytest.raises(ValueError, match="no cifar-10-batches-py/data_batch_1"):
        cifar10.read_archive(path)


def test_cifar10_offline_says_there_is_no_offline_copy(monkeypatch):
    monkeypatch.setattr(cifar10, "download", lambda: pytest.fail("must not download"))
    with pytest.raises(data.DataUnavailableError, match="load_fashion_mnist"):
        data.load_cifar10(source="offline")
    monkeypatch.setenv("AIBOOK_DATA", "offline")
    with pytest.raises(data.DataUnavailableError, match="no offline copy"):
        data.load_cifar10()


def test_cifar10_download_failure_is_a_clear_error(monkeypatch):
    def no_network():
        raise Exception("URL fetch failure on https://www.cs.toronto.edu/: None -- no route to host")

    monkeypatch.setattr(cifar10, "download", no_network)
    with pytest.raises(data.DataUnavailableError, match="Could not download CIFAR-10.*load_fashion_mnist"):
        data.load_cifar10(source="online")

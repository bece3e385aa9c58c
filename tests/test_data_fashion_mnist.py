"""Fashion-MNIST: the official set offline from Debian's package, online from Keras."""
import os
import pathlib
import shutil
import subprocess
import time

import numpy as np
import pytest

from aibook import data
from aibook.data import fashion_mnist, fetch, mnist


@pytest.fixture(scope="module")
def fashion_deb():
    """The Debian package the set-up fetched (``python -m aibook.data fetch``)."""
    debs = sorted(data.data_dir().glob(f"{fashion_mnist.FASHION_DEB['package']}_*.deb"))
    if not debs:
        pytest.fail(f"offline Fashion-MNIST missing in {data.data_dir()}: run `bash scripts/setup.sh` first")
    return debs[-1]


@pytest.fixture
def private_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("AIBOOK_DATA_DIR", str(tmp_path))
    return pathlib.Path(tmp_path)


# --------------------------------------------------------------------------- offline


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
    arrays = fashion_mnist.offline_arrays()
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
    cache = private_dir / fashion_mnist.FASHION_DEB["cache"]
    cache.write_bytes(b"not a zip file")
    arrays = fashion_mnist.offline_arrays()
    assert "damaged" in capsys.readouterr().err
    assert fetch.sha256_arrays(*arrays.values()) == fashion_mnist.FASHION_DEB["arrays_sha256"]
    assert fetch.read_checked_npz(cache, fashion_mnist.FASHION_DEB["arrays_sha256"]) is not None


def test_altered_fashion_cache_fails_its_checksum_and_is_rebuilt(private_dir, fashion_deb):
    shutil.copy(fashion_deb, private_dir / fashion_deb.name)
    arrays = fashion_mnist.offline_arrays()
    arrays["y_test"] = arrays["y_test"].copy()
    arrays["y_test"][0] = 0  # a valid file with one wrong label
    np.savez(private_dir / fashion_mnist.FASHION_DEB["cache"], **arrays)
    again = fashion_mnist.offline_arrays()
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
    monkeypatch.setattr(fetch.os, "geteuid", lambda: 0, raising=False)
    arrays = fashion_mnist.offline_arrays(fetch=True)
    assert [line.split()[0] for line in log.read_text().splitlines()] == ["download", "update", "download"]
    assert len(arrays["y_train"]) == 60_000
    assert (private_dir / fashion_mnist.FASHION_DEB["cache"]).exists()
    assert [p.name for p in private_dir.glob(".*")] == []  # the download folder is gone


def test_fetch_without_root_tells_the_reader_to_run_apt_get_update(
        private_dir, fashion_deb, tmp_path_factory, monkeypatch):
    tools = tmp_path_factory.mktemp("tools")
    log = tools / "calls.log"
    _fake_apt_get(tools, fashion_deb, log)
    monkeypatch.setenv("PATH", f"{tools}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(fetch.os, "geteuid", lambda: 1000, raising=False)
    with pytest.raises(data.DataUnavailableError, match="sudo apt-get update"):
        fashion_mnist.offline_arrays(fetch=True)
    assert "update" not in log.read_text()
    assert list(private_dir.iterdir()) == []  # a failed download leaves nothing behind


def test_fetch_where_apt_is_missing_says_what_to_do_and_keeps_the_other_data(
        private_dir, real_data_dir, monkeypatch, capsys):
    # every other data set already fetched (hard links: fetching them again took ~30 s)
    fashion = (fashion_mnist.FASHION_DEB["cache"], f"{fashion_mnist.FASHION_DEB['package']}_")
    for path in real_data_dir.iterdir():
        if path.name.startswith(fashion) or path.name == "models":
            continue
        if path.is_dir():
            shutil.copytree(path, private_dir / path.name, copy_function=os.link)
        else:
            os.link(path, private_dir / path.name)
    real_which = shutil.which
    monkeypatch.setattr(fetch.shutil, "which", lambda cmd: None if cmd == "apt-get" else real_which(cmd))
    with pytest.raises(data.DataUnavailableError, match="apt-get is not installed.*source='online'"):
        fashion_mnist.offline_arrays(fetch=True)
    assert data.main(["fetch"]) == 0  # the set-up goes on: MNIST is ready, chapter 7 can go online
    out = capsys.readouterr()
    assert "offline MNIST ready" in out.out
    assert "Fashion-MNIST NOT fetched" in out.err and "source='online'" in out.err


def test_package_with_an_altered_data_file_is_rejected(private_dir, tmp_path_factory):
    import gzip

    if shutil.which("dpkg-deb") is None:
        pytest.skip("dpkg-deb is needed to build a test package")
    root = tmp_path_factory.mktemp("pkg")
    folder = root / fashion_mnist.FASHION_DEB["folder"]
    folder.mkdir(parents=True)
    labels = (2049).to_bytes(4, "big") + (3).to_bytes(4, "big") + bytes([1, 2, 3])
    for name in fashion_mnist.FASHION_DEB["files_sha256"]:
        (folder / f"{name}.gz").write_bytes(gzip.compress(labels))
    (root / "DEBIAN").mkdir()
    (root / "DEBIAN" / "control").write_text(
        "Package: dataset-fashion-mnist\nVersion: 0.0-1\nArchitecture: all\n"
        "Maintainer: test <t@example.org>\nDescription: altered copy\n")
    deb = private_dir / "dataset-fashion-mnist_0.0-1_all.deb"
    subprocess.run(["dpkg-deb", "--build", str(root), str(deb)], check=True, capture_output=True)
    with pytest.raises(RuntimeError, match="SHA-256"):
        fashion_mnist.offline_arrays()
    assert not (private_dir / fashion_mnist.FASHION_DEB["cache"]).exists()


def test_read_idx_rejects_a_wrong_magic_number_and_a_short_file():
    images = (2051).to_bytes(4, "big") + b"".join(n.to_bytes(4, "big") for n in (2, 2, 2)) + bytes(8)
    assert fashion_mnist.read_idx(images, "images").shape == (2, 2, 2)
    with pytest.raises(ValueError, match="magic number 2049"):
        fashion_mnist.read_idx(images, "labels")
    with pytest.raises(ValueError, match="header says"):
        fashion_mnist.read_idx(images[:-1], "images")


# --------------------------------------------------------------------------- online


def test_online_fashion_mnist_is_checked_against_the_official_arrays(fashion_deb, monkeypatch):
    import keras

    arrays = fashion_mnist.offline_arrays()
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


def test_truncated_package_is_reported_with_what_to_do(private_dir, fashion_deb):
    (private_dir / fashion_deb.name).write_bytes(fashion_deb.read_bytes()[:10_000])
    with pytest.raises(RuntimeError, match="not a readable Debian package.*delete it"):
        fashion_mnist.offline_arrays()

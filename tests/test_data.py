"""The package as a whole: the Dataset type, its splits, the choice of source, the command line."""
import subprocess
import sys

import numpy as np
import pytest

from aibook import config, data
from aibook.data import Dataset


def _tiny(n_train=None, scale=255, x_shape=(28, 28)):
    """A Dataset built from 100 / 20 / 20 uint8 examples of two balanced classes."""
    rng = np.random.default_rng(0)
    splits = [(rng.integers(0, 256, (n, *x_shape)).astype(np.uint8), np.arange(n) % 2) for n in (100, 20, 20)]
    return data.Dataset.from_splits("tiny", "offline: a test", ["a", "b"], *splits, n_train=n_train, scale=scale)


def test_every_existing_name_is_still_importable_from_the_package():
    for name in ("Dataset", "SPLITS", "DataUnavailableError", "load_mnist", "load_fashion_mnist",
                 "load_cifar10", "load_digits", "load_breast_cancer", "stratified_split", "subsample",
                 "resolve_source", "FASHION_NAMES", "CIFAR10_NAMES", "DIGIT_NAMES", "fetch_npm_package",
                 "fetch_pypi_package", "data_dir", "fetch_all", "main"):
        assert hasattr(data, name), name
    assert issubclass(data.DataUnavailableError, FileNotFoundError)


def test_from_splits_gives_float32_images_in_0_1_with_a_channel_axis_and_int64_labels():
    ds = _tiny()
    for split in data.SPLITS:
        x, y = ds.split(split)
        assert x.dtype == np.float32 and x.shape[1:] == (28, 28, 1) and y.dtype == np.int64
        assert 0.0 <= x.min() and x.max() <= 1.0
    assert ds.input_shape == (28, 28, 1) and ds.num_classes == 2 and ds.feature_names is None


def test_from_splits_subsamples_only_the_training_split_stratified():
    ds, full = _tiny(n_train=10), _tiny()
    assert len(ds.y_train) == 10 and np.bincount(ds.y_train).tolist() == [5, 5]
    np.testing.assert_array_equal(ds.x_val, full.x_val)
    np.testing.assert_array_equal(ds.x_test, full.x_test)


def test_repr_names_images_by_shape_and_tables_by_their_number_of_features():
    assert "images (28, 28, 1)" in repr(_tiny())
    table = _tiny(scale=None, x_shape=(5,))
    assert repr(table) == "tiny: train 100, val 20, test 20; 5 features; source: offline: a test"
    assert table.x_train.dtype == np.float64 and table.x_train.max() > 1  # tables keep their values


def test_unknown_source_and_split_names_list_the_valid_ones():
    with pytest.raises(ValueError, match="auto, online, offline"):
        data.resolve_source("kaggle", offline_available=True)
    with pytest.raises(ValueError, match="train, val, test"):
        _tiny().split("validation")


def test_auto_source_is_offline_only_in_fast_mode_with_the_data_here(monkeypatch):
    monkeypatch.delenv("AIBOOK_DATA", raising=False)
    monkeypatch.setenv("AIBOOK_MODE", "fast")
    assert data.resolve_source("auto", offline_available=True) == "offline"
    assert data.resolve_source("auto", offline_available=False) == "online"
    monkeypatch.setenv("AIBOOK_MODE", "full")
    assert data.resolve_source("auto", offline_available=True) == "online"
    monkeypatch.setenv("AIBOOK_DATA", "offline")
    assert data.resolve_source("auto", offline_available=False) == "offline"
    assert data.resolve_source("online", offline_available=True) == "online"  # an explicit source wins


def test_bad_aibook_data_value_is_rejected(monkeypatch):
    monkeypatch.setenv("AIBOOK_DATA", "cloud")
    with pytest.raises(ValueError, match="online, offline"):
        data.resolve_source("auto", offline_available=True)


def test_stratified_split_refuses_more_examples_than_exist():
    with pytest.raises(ValueError, match="only 10 exist"):
        data.stratified_split(np.zeros(10), np.arange(10) % 2, (8, 4))


def test_fetch_command_reports_ready_data(real_data_dir):
    out = subprocess.run([sys.executable, "-m", "aibook.data", "fetch"],
                         capture_output=True, text=True, check=True).stdout
    assert "offline MNIST ready" in out and "10,000 digits, checksum ok" in out
    assert "offline Fashion-MNIST ready" in out and "70,000 images, checksum ok" in out
    bad = subprocess.run([sys.executable, "-m", "aibook.data", "fetsh"], capture_output=True, text=True)
    assert bad.returncode == 2 and "usage" in bad.stderr


def test_a_smoke_test_of_full_mode_gets_small_stratified_splits(monkeypatch):
    rng = np.random.default_rng(0)
    x, y = rng.integers(0, 256, (5000, 4, 4)), np.arange(5000) % 10
    splits = ((x, y), (x[:3000], y[:3000]), (x[:200], y[:200]))
    monkeypatch.setenv("AIBOOK_MODE", "full")
    monkeypatch.setenv("AIBOOK_SMOKE", "1")
    ds = Dataset.from_splits("toy", "here", range(10), *splits)
    assert len(ds.y_train) == config.SMOKE_TRAIN and np.bincount(ds.y_train).min() == config.SMOKE_TRAIN // 10
    assert len(ds.y_val) == config.SMOKE_EVAL and np.bincount(ds.y_val).min() == config.SMOKE_EVAL // 10
    assert len(ds.y_test) == 200  # smaller than the cap: all of it
    monkeypatch.delenv("AIBOOK_SMOKE")
    whole = Dataset.from_splits("toy", "here", range(10), *splits)
    assert (len(whole.y_train), len(whole.y_val)) == (5000, 3000)

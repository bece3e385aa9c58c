"""scikit-learn's 8×8 digits as a Dataset: 17 grey levels, a fixed stratified 60/20/20 split."""
import numpy as np
from sklearn import datasets

from aibook import data


def _rows(ds):
    """Every example of every split as one row of integer pixels and its label."""
    x = np.concatenate([ds.x_train, ds.x_val, ds.x_test]).reshape(-1, 64) * 16
    return np.c_[np.rint(x).astype(int), np.concatenate([ds.y_train, ds.y_val, ds.y_test])]


def test_digits_are_float32_8x8x1_images_with_17_grey_levels():
    ds = data.load_digits()
    assert ds.input_shape == (8, 8, 1) and ds.x_train.dtype == np.float32 and ds.y_train.dtype == np.int64
    levels = np.unique(np.concatenate([ds.x_train, ds.x_val, ds.x_test]))
    np.testing.assert_array_equal(levels, np.arange(17, dtype=np.float32) / 16)  # exactly k/16
    assert ds.class_names == [str(d) for d in range(10)] and ds.num_classes == 10
    assert ds.source.startswith("offline: scikit-learn's bundled copy")
    assert "images (8, 8, 1)" in repr(ds)


def test_digits_split_is_60_20_20_stratified_and_fixed():
    ds = data.load_digits()
    assert (len(ds.y_train), len(ds.y_val), len(ds.y_test)) == (1079, 359, 359)
    share = np.bincount(datasets.load_digits().target) / 1797
    for y in (ds.y_train, ds.y_val, ds.y_test):  # each class within one example of its share
        assert np.abs(np.bincount(y, minlength=10) - share * len(y)).max() <= 1
    np.testing.assert_array_equal(ds.x_test, data.load_digits().x_test)


def test_digits_splits_are_a_partition_of_the_1797_images():
    digits = datasets.load_digits()
    whole = np.c_[digits.data.astype(int), digits.target]
    np.testing.assert_array_equal(np.unique(_rows(data.load_digits()), axis=0), np.unique(whole, axis=0))
    assert len(_rows(data.load_digits())) == len(whole)


def test_digits_validation_comes_from_training_data_and_n_train_leaves_val_and_test_alone():
    full, small = data.load_digits(), data.load_digits(n_train=500)
    assert len(small.y_train) == 500 and np.bincount(small.y_train).min() >= 48
    np.testing.assert_array_equal(small.x_val, full.x_val)
    np.testing.assert_array_equal(small.x_test, full.x_test)
    train_rows = {r.tobytes() for r in full.x_train}
    assert {r.tobytes() for r in small.x_train} <= train_rows


def test_digits_split_is_the_one_chapter_3_made_so_its_numbers_stay():
    digits = datasets.load_digits()
    x = (digits.data / 16).astype("float32")
    parts = data.stratified_split(x, digits.target, (1079, 359, 359))
    ds = data.load_digits()
    for (x_part, y_part), split in zip(parts, data.SPLITS):
        x_ds, y_ds = ds.split(split)
        np.testing.assert_array_equal(x_ds.reshape(len(x_ds), -1), x_part)
        np.testing.assert_array_equal(y_ds, y_part)

"""The Wisconsin breast-cancer table as a Dataset: 30 unscaled float64 features, 60/20/20 split."""
import numpy as np
from sklearn import datasets

from aibook import data


def test_breast_cancer_is_a_table_of_30_named_unscaled_features():
    ds = data.load_breast_cancer()
    assert ds.input_shape == (30,) and ds.x_train.dtype == np.float64 and ds.y_train.dtype == np.int64
    assert len(ds.feature_names) == 30 and ds.feature_names[3] == "mean area"
    assert ds.x_train[:, 3].mean() > 300 and ds.x_train[:, 4].max() < 1  # areas and smoothness, as measured
    assert ds.class_names == ["malignant", "benign"]  # scikit-learn's coding: 0 malignant
    assert ds.source.startswith("offline: scikit-learn's bundled copy")
    assert repr(ds).startswith("breast cancer: train 341, val 114, test 114; 30 features; source: offline")


def test_breast_cancer_split_is_60_20_20_stratified_and_a_partition_of_the_569_rows():
    ds = data.load_breast_cancer()
    assert (len(ds.y_train), len(ds.y_val), len(ds.y_test)) == (341, 114, 114)
    cancer = datasets.load_breast_cancer()
    share = cancer.target.mean()
    for y in (ds.y_train, ds.y_val, ds.y_test):
        assert abs(y.sum() - share * len(y)) <= 1
    rows = np.c_[np.concatenate([ds.x_train, ds.x_val, ds.x_test]),
                 np.concatenate([ds.y_train, ds.y_val, ds.y_test])]
    whole = np.c_[cancer.data, cancer.target]
    np.testing.assert_array_equal(np.unique(rows, axis=0), np.unique(whole, axis=0))


def test_breast_cancer_n_train_subsamples_training_rows_only():
    full, small = data.load_breast_cancer(), data.load_breast_cancer(n_train=100)
    assert len(small.y_train) == 100 and abs(small.y_train.mean() - full.y_train.mean()) < 0.02
    np.testing.assert_array_equal(small.x_test, full.x_test)
    assert {r.tobytes() for r in small.x_train} <= {r.tobytes() for r in full.x_train}

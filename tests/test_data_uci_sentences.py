"""UCI sentiment sentences from the npm package ``sentiment``: 3 × 1,000, balanced, fixed splits."""
import numpy as np

from aibook import data
from aibook.data import uci_sentences


def test_three_thousand_balanced_sentences_in_fixed_stratified_splits(real_data_dir):
    s = data.load_uci_sentences(source="offline")
    assert len(s) == 3000 and s.text.str.strip().astype(bool).all()
    assert s.groupby("source").size().to_dict() == {"amazon": 1000, "imdb": 1000, "yelp": 1000}
    assert tuple(s.split.value_counts()[["train", "val", "test"]]) == uci_sentences.SPLIT
    for _, part in s.groupby("split"):
        np.testing.assert_allclose(part.label.mean(), 0.5, atol=0.01)
    again = data.load_uci_sentences(source="offline")
    assert list(again[again.split == "test"].text) == list(s[s.split == "test"].text)
    assert "sentiment 5.0.2" in s.attrs["source"]


def test_the_fixtures_empty_last_record_is_dropped(real_data_dir):
    arrays = uci_sentences.read_tarball(real_data_dir / uci_sentences.SENTIMENT_NPM["filename"])
    assert len(arrays["text"]) == 3000 and set(np.unique(arrays["label"])) == {0, 1}

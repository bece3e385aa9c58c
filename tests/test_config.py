import numpy as np
import pytest

from aibook import config


def test_mode_follows_the_environment_variable(monkeypatch):
    monkeypatch.setenv("AIBOOK_MODE", "full")
    assert config.mode() == "full"
    monkeypatch.setenv("AIBOOK_MODE", " FAST ")
    assert config.mode() == "fast"


def test_unset_mode_means_full_only_where_a_gpu_is_visible(monkeypatch):
    monkeypatch.delenv("AIBOOK_MODE", raising=False)
    assert config.mode() == ("full" if config.gpu_available() else "fast")


def test_unknown_mode_is_rejected_with_the_valid_names(monkeypatch):
    monkeypatch.setenv("AIBOOK_MODE", "turbo")
    with pytest.raises(ValueError, match="fast, full"):
        config.mode()


def test_pick_returns_the_value_for_the_current_mode(monkeypatch):
    monkeypatch.setenv("AIBOOK_MODE", "fast")
    assert config.pick(fast=2, full=20) == 2
    monkeypatch.setenv("AIBOOK_MODE", "full")
    assert config.pick(fast=2, full=20) == 20


def test_seed_makes_numpy_and_keras_draws_repeat():
    import keras

    config.seed(7)
    first = (np.random.rand(3), keras.random.uniform((3,)).numpy())
    config.seed(7)
    second = (np.random.rand(3), keras.random.uniform((3,)).numpy())
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])


def test_describe_names_mode_backend_and_device(fast_mode, capsys):
    assert config.describe() is None  # a setup cell ending with it shows the line once
    line = capsys.readouterr().out
    assert "fast mode" in line and "tensorflow" in line

import concurrent.futures
import json
import subprocess
import sys
import time

import keras
import numpy as np
import pytest

from aibook import config, pretrained


@pytest.fixture
def tiny_recipe(monkeypatch, tmp_path, fast_mode):
    """A recipe that trains in a second, in a private cache folder."""
    monkeypatch.setenv("AIBOOK_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(pretrained, "RECIPES", {})
    calls = []

    @pretrained.recipe("tiny", chapter=0, data=())
    def tiny(mode):
        class Split:  # what train_into_cache reads of a Dataset
            name, source = "synthetic", "synthetic: 64 random points"
            x_val = np.random.default_rng(1).normal(size=(64, 3)).astype("float32")
            y_val = (x_val[:, 0] > 0).astype("int64")
            x_train, y_train = x_val, y_val
        calls.append(mode)
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
        model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
        model.fit(Split.x_train, Split.y_train, epochs=1, verbose=0)
        return model, Split

    # load() trains in a child process, which would not know this recipe: train in-process instead
    def run_in_process(argv, **kwargs):
        pretrained.train_into_cache(argv[-1])
        return subprocess.CompletedProcess(argv, 0, "", "")

    monkeypatch.setattr(pretrained.subprocess, "run", run_in_process)
    return calls


def test_a_model_is_trained_once_then_loaded_from_the_cache(tiny_recipe):
    first = pretrained.load("tiny")
    second = pretrained.load("tiny")
    assert tiny_recipe == ["fast"]
    for a, b in zip(first.get_weights(), second.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert pretrained.info("tiny")["n_train"] == 64


def test_two_loads_at_once_train_the_model_once(tiny_recipe, monkeypatch):
    # the test command runs two notebooks side by side; both may ask for an uncached model
    train = pretrained.train_into_cache

    def slow_train(name):
        time.sleep(1)  # without the lock, the other load finds no model meanwhile and trains too
        return train(name)

    monkeypatch.setattr(pretrained, "train_into_cache", slow_train)
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        models = list(pool.map(pretrained.load, ["tiny", "tiny"]))
    assert tiny_recipe == ["fast"]
    for a, b in zip(models[0].get_weights(), models[1].get_weights()):
        np.testing.assert_array_equal(a, b)


def test_a_damaged_cached_model_is_retrained_with_a_message(tiny_recipe, capsys):
    pretrained.load("tiny")
    model_path, _ = pretrained._paths("tiny")
    model_path.write_bytes(model_path.read_bytes()[:-100])
    pretrained.load("tiny")
    assert tiny_recipe == ["fast", "fast"]
    assert "is damaged" in capsys.readouterr().err


def test_a_model_trained_from_other_code_is_retrained_and_replaced(tiny_recipe, monkeypatch, capsys):
    pretrained.load("tiny")
    old_path, _ = pretrained._paths("tiny")
    monkeypatch.setattr(pretrained, "key", lambda name, mode=None: "0123456789abcdef")  # the code changed
    pretrained.load("tiny")
    assert tiny_recipe == ["fast", "fast"]
    assert "trained from other code or data" in capsys.readouterr().err
    assert not old_path.exists() and pretrained._paths("tiny")[0].exists()


def test_each_mode_has_its_own_cached_model(tiny_recipe, monkeypatch):
    pretrained.load("tiny")
    monkeypatch.setenv("AIBOOK_MODE", "full")
    pretrained.load("tiny")
    assert tiny_recipe == ["fast", "full"]


def test_the_key_changes_with_the_recipe_code(monkeypatch, fast_mode):
    before = pretrained.key("digit_cnn")
    monkeypatch.setitem(pretrained.RECIPES, "digit_cnn", pretrained.RECIPES["fashion_cnn"])
    assert pretrained.key("digit_cnn") != before
    assert pretrained.key("fashion_cnn", "fast") != pretrained.key("fashion_cnn", "full")


def test_an_unknown_model_name_lists_the_known_ones():
    with pytest.raises(ValueError, match="digit_cnn, fashion_cnn"):
        pretrained.load("resnet")


@pytest.mark.slow
def test_chapter_6s_digit_cnn_trains_into_the_real_cache_and_classifies_test_digits(fast_mode, real_data_dir):
    """Uses (and fills) the machine's cache: after the first run this loads in seconds."""
    from aibook import data

    model = pretrained.load("digit_cnn")
    ds = data.load_mnist()
    _, accuracy = model.evaluate(ds.x_test, ds.y_test, batch_size=1000, verbose=0)
    assert accuracy > 0.95


def test_the_key_reads_only_the_data_loaders_the_recipe_trains_on():
    """A data set added to ``aibook.data`` for a later chapter must not retrain chapter 6's CNN."""
    names = {path.name for path in pretrained._library_sources("digit_cnn")}
    assert names == {"models.py", "dataset.py", "fetch.py", "mnist.py"}
    assert "fashion_mnist.py" in {path.name for path in pretrained._library_sources("fashion_cnn")}


def test_a_smoke_tests_few_step_model_never_stands_in_for_a_trained_one(monkeypatch):
    monkeypatch.setenv("AIBOOK_MODE", "full")
    monkeypatch.delenv("AIBOOK_SMOKE", raising=False)
    trained = pretrained.key("digit_cnn")
    monkeypatch.setenv("AIBOOK_SMOKE", "1")
    assert pretrained.key("digit_cnn") != trained


def test_another_keras_version_has_its_own_cached_model(monkeypatch, fast_mode):
    # Keras 3.10 (Colab's) cannot read a .keras file that Keras 3.13 saved
    before = pretrained.key("digit_cnn")
    monkeypatch.setattr(keras, "__version__", "3.10.0")
    assert pretrained.key("digit_cnn") != before

import pathlib
import signal
import subprocess
import sys

import keras
import numpy as np
import pytest

from aibook import config, data, models, train

RUN = pathlib.Path(__file__).with_name("resumable_run.py")


def _start(*args):
    return subprocess.Popen([sys.executable, str(RUN), *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _finish(proc):
    stdout, stderr = proc.communicate(timeout=600)
    return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)


@pytest.mark.slow
def test_killed_run_resumes_from_its_backup_and_ends_with_identical_weights(tmp_path, real_data_dir):
    # the uninterrupted run beside the killed one: each is a process of its own
    plain = _start(tmp_path / "plain.npy", tmp_path / "backup-plain")
    try:
        killed = _finish(_start(tmp_path / "resumed.npy", tmp_path / "backup", 2))
        assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
        assert not (tmp_path / "resumed.npy").exists()
        assert any((tmp_path / "backup").iterdir()), "the killed run left no backup"

        resumed = _finish(_start(tmp_path / "resumed.npy", tmp_path / "backup"))
        assert resumed.returncode == 0, resumed.stderr[-2000:]
        plain = _finish(plain)
    finally:
        if isinstance(plain, subprocess.Popen) and plain.poll() is None:
            plain.kill()
            plain.wait()
    assert plain.returncode == 0, plain.stderr[-2000:]
    np.testing.assert_array_equal(np.load(tmp_path / "plain.npy"), np.load(tmp_path / "resumed.npy"))


@pytest.fixture(scope="module")
def small_digits(real_data_dir):
    return data.load_mnist(source="offline", n_train=600)


def test_fit_returns_keras_history_with_train_and_validation_metrics(small_digits, fast_mode):
    config.seed(0)
    model = models.compile_classifier(models.mlp(small_digits.input_shape, hidden=(32,)))
    history = train.fit(model, small_digits.x_train, small_digits.y_train,
                        validation_data=(small_digits.x_val, small_digits.y_val), epochs=2, verbose=0)
    assert isinstance(history, keras.callbacks.History)
    assert set(history.history) >= {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert len(history.history["loss"]) == 2
    assert history.history["loss"][1] < history.history["loss"][0]


def test_early_stopping_stops_and_restores_the_best_epoch(small_digits):
    config.seed(0)
    # a learning rate this large makes validation loss worsen quickly
    model = models.compile_classifier(models.mlp(small_digits.input_shape, hidden=(32,)), learning_rate=0.5)
    history = train.fit(model, small_digits.x_train, small_digits.y_train,
                        validation_data=(small_digits.x_val, small_digits.y_val),
                        epochs=30, early_stopping=2, verbose=0)
    losses = history.history["val_loss"]
    assert len(losses) < 30
    best = int(np.nanargmin(losses))
    restored = model.evaluate(small_digits.x_val, small_digits.y_val, verbose=0)[0]
    assert restored == pytest.approx(losses[best], rel=1e-4)


def test_fit_refuses_an_uncompiled_model_and_early_stopping_without_validation(small_digits):
    model = models.mlp(small_digits.input_shape)
    with pytest.raises(ValueError, match="compile"):
        train.fit(model, small_digits.x_train, small_digits.y_train)
    models.compile_classifier(model)
    with pytest.raises(ValueError, match="validation_data"):
        train.fit(model, small_digits.x_train, small_digits.y_train, early_stopping=3)


def test_epoch_batches_cover_every_example_once_per_epoch_in_an_epoch_keyed_order():
    x = np.arange(10, dtype="float32")[:, None]
    y = np.arange(10)
    batches = train.EpochBatches(x, y, batch_size=4, seed=1)
    assert len(batches) == 3
    seen = np.concatenate([batches[i][1] for i in range(len(batches))])
    assert sorted(seen) == list(range(10))
    batches.set_epoch(1)
    order_1 = batches.order.copy()
    batches.set_epoch(0)
    batches.set_epoch(1)
    np.testing.assert_array_equal(order_1, batches.order)
    assert not np.array_equal(order_1, train.EpochBatches(x, y, 4, seed=1).order)


def test_epoch_timer_records_each_epoch_and_the_time_since_training_began():
    config.seed(0)
    model = models.compile_classifier(models.mlp((4,), hidden=(8,), num_classes=3))
    x = np.random.default_rng(0).normal(size=(64, 4)).astype("float32")
    y = np.arange(64) % 3
    timer = train.EpochTimer()
    train.fit(model, x, y, epochs=3, batch_size=16, callbacks=[timer], verbose=0)
    assert len(timer.seconds) == len(timer.ends) == 3
    assert all(s > 0 for s in timer.seconds)
    assert np.all(np.diff(timer.ends) >= np.array(timer.seconds[1:]) - 1e-6), "ends accumulate the epochs"
    assert timer.ends[0] >= timer.seconds[0]
    train.fit(model, x, y, epochs=1, batch_size=16, callbacks=[timer], verbose=0)
    assert len(timer.seconds) == 1, "a new run starts a new record"


@pytest.mark.tensorflow
def test_train_step_lowers_the_loss_and_matches_the_eager_step():
    import tensorflow as tf

    x = np.random.default_rng(0).normal(size=(64, 5)).astype("float32")
    y = (x[:, 0] > 0).astype("int64")
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    losses = {}
    for graph in (True, False):
        config.seed(0)
        model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(2)])
        step = train.train_step(model, loss_fn, keras.optimizers.SGD(0.5), graph=graph)
        losses[graph] = [float(step(tf.constant(x), tf.constant(y))[0]) for _ in range(20)]
    assert losses[True][-1] < 0.5 * losses[True][0]
    np.testing.assert_allclose(losses[True], losses[False], rtol=1e-5)

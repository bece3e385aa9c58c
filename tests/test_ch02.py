import keras
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import learning_curve

from aibook.chapters import ch02


def tiny_mlp(input_shape, num_classes):
    return keras.Sequential([keras.Input(input_shape), keras.layers.Flatten(),
                             keras.layers.Dense(16, activation="relu"), keras.layers.Dense(num_classes)])


@pytest.fixture(scope="module")
def digits():
    x, y = load_digits(return_X_y=True)
    return (x / 16).astype("float32"), y


def test_passes_serve_full_batches_each_pass_in_a_new_order():
    x, y = np.arange(10.0)[:, None], np.arange(10)
    batches = ch02.Passes(x, y, batch_size=4, passes=3, seed=1)
    assert len(batches) == 7  # 30 examples: 7 full batches of 4, 2 left over
    served = np.concatenate([batches[i][1] for i in range(len(batches))])
    assert all(len(batches[i][1]) == 4 for i in range(len(batches)))
    passes = served[:20].reshape(2, 10)
    for order in passes:
        assert sorted(order) == list(range(10))
    assert not np.array_equal(passes[0], passes[1])
    np.testing.assert_array_equal(np.concatenate([batches[i][0] for i in range(len(batches))])[:, 0], served)
    with pytest.raises(ValueError, match="do not fill one batch"):
        ch02.Passes(x, y, batch_size=64, passes=2)


def test_copied_passes_and_the_passes_sequence_train_the_same_network(digits, monkeypatch):
    x, y = digits
    copied = ch02.KerasClassifier(tiny_mlp, epochs=2).fit(x[:200], y[:200])
    monkeypatch.setattr(ch02, "MAX_REPEAT_BYTES", 0)  # force the sequence
    served = ch02.KerasClassifier(tiny_mlp, epochs=2).fit(x[:200], y[:200])
    for a, b in zip(copied.weights_, served.weights_):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_learning_curve_trains_the_network_like_any_estimator(digits):
    x, y = digits
    net = ch02.KerasClassifier(tiny_mlp, epochs=20, learning_rate=1e-2)
    sizes, _, test_scores = learning_curve(net, x[:600], y[:600], train_sizes=[60, 300], cv=2)
    assert list(sizes) == [60, 300]
    assert test_scores[-1].mean() > 0.8  # ten classes: guessing gets 0.1
    assert test_scores[-1].mean() > test_scores[0].mean()


def test_a_refit_from_the_same_seed_repeats_the_first_fit(digits):
    # The shared model must start each fit from its initial weights AND optimizer state.
    x, y = digits
    net = ch02.KerasClassifier(tiny_mlp, epochs=3).fit(x[:300], y[:300])
    first = net.logits(x[300:400])
    other = clone(net).fit(x[500:800], y[500:800])  # moves the shared model elsewhere
    again = clone(net).fit(x[:300], y[:300])
    np.testing.assert_allclose(again.logits(x[300:400]), first, rtol=1e-5, atol=1e-5)
    assert not np.allclose(other.logits(x[300:400]), first)


def test_estimators_sharing_a_model_keep_their_own_weights(digits):
    x, y = digits
    a = ch02.KerasClassifier(tiny_mlp, epochs=3).fit(x[:300], y[:300])
    before = a.predict_proba(x[900:950])
    ch02.KerasClassifier(tiny_mlp, epochs=3).fit(x[300:600], y[300:600])
    np.testing.assert_allclose(a.predict_proba(x[900:950]), before, rtol=1e-6)
    np.testing.assert_allclose(before.sum(axis=1), 1.0, rtol=1e-5)


def test_flat_rows_are_reshaped_to_the_input_shape_and_labels_kept(digits):
    x, y = digits
    labels = np.array(["even", "odd"])[y % 2]
    net = ch02.KerasClassifier(tiny_mlp, input_shape=(8, 8, 1), epochs=2).fit(x[:200], labels[:200])
    assert set(net.predict(x[200:260])) <= {"even", "odd"}
    assert net.n_parameters_ == 64 * 16 + 16 + 16 * 2 + 2


def test_small_training_sets_get_at_least_min_steps(digits):
    x, y = digits
    net = ch02.KerasClassifier(tiny_mlp, epochs=2, batch_size=10, min_steps=30).fit(x[:50], y[:50])
    assert net.passes_ == 6  # 6 passes of 5 batches = 30 steps
    net = ch02.KerasClassifier(tiny_mlp, epochs=1, batch_size=64).fit(x[:20], y[:20])
    assert net.passes_ == 4  # enough passes to fill one batch
    net = ch02.KerasClassifier(tiny_mlp, epochs=2, batch_size=10, min_steps=30).fit(x[:500], y[:500])
    assert net.passes_ == 2  # 100 steps already


def test_bad_input_gets_a_clear_error(digits):
    x, y = digits
    net = ch02.KerasClassifier(tiny_mlp, input_shape=(28, 28, 1))
    with pytest.raises(ValueError, match="cannot be reshaped"):
        net.fit(x[:50], y[:50])
    with pytest.raises(ValueError, match="50 examples but y has 49"):
        ch02.KerasClassifier(tiny_mlp).fit(x[:50], y[:49])
    with pytest.raises(ValueError, match="epochs must be at least 1"):
        ch02.KerasClassifier(tiny_mlp, epochs=0).fit(x[:50], y[:50])
    with pytest.raises(ValueError, match="single class"):
        ch02.KerasClassifier(tiny_mlp).fit(x[:5], np.zeros(5))
    with pytest.raises(NotFittedError):
        ch02.KerasClassifier(tiny_mlp).predict(x[:5])

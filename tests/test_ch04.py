import warnings

import matplotlib

matplotlib.use("Agg")
import keras
import matplotlib.pyplot as plt
import numpy as np
import pytest

from aibook.chapters import ch04


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def sgd(w, g, state, lr=0.1):
    return w - lr * g


def counting_momentum(w, g, state, lr=0.1, beta=0.9):
    state["v"] = beta * state.get("v", 0.0) - lr * g
    state["t"] = state.get("t", 0) + 1
    return w + state["v"]


def bowl(w):
    """f = w1² + 4 w2², a NumPy function of an array whose first axis holds the coordinates."""
    return w[0] ** 2 + 4 * w[1] ** 2


def bowl_grad(w):
    return np.array([2 * w[0], 8 * w[1]])


def test_path_of_gradient_descent_on_a_bowl_is_geometric():
    points = ch04.path(sgd, [1.0, 1.0], bowl_grad, steps=5, lr=0.1)
    t = np.arange(6)
    np.testing.assert_allclose(points[:, 0], 0.8 ** t)
    np.testing.assert_allclose(points[:, 1], 0.2 ** t)


def test_path_keeps_the_rule_state_between_steps():
    points = ch04.path(counting_momentum, [1.0], lambda w: np.ones(1), steps=3, lr=1.0, beta=0.5)
    # v = -1, -1.5, -1.75: the velocity carries over, so the steps grow
    np.testing.assert_allclose(points[:, 0], [1.0, 0.0, -1.5, -3.25])


def test_path_stops_at_divergence_and_fills_the_rest_with_nan():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow warnings either
        points = ch04.path(sgd, [1.0, 1.0], bowl_grad, steps=2000, lr=1.0)
    assert points.shape == (2001, 2)
    finite_rows = np.all(np.isfinite(points), axis=1)
    assert finite_rows[0] and not finite_rows[-1]
    assert not np.any(finite_rows[np.argmin(finite_rows):])  # once gone, always NaN


@pytest.mark.parametrize("steps", [-1, 2.5, "10", True])
def test_path_rejects_a_step_count_that_is_not_a_whole_number(steps):
    with pytest.raises(ValueError, match="steps"):
        ch04.path(sgd, [1.0], lambda w: w, steps=steps)


def test_path_rejects_a_gradient_of_the_wrong_shape():
    with pytest.raises(ValueError, match="shape"):
        ch04.path(sgd, [1.0, 2.0], lambda w: np.ones(3), steps=1)


def test_keras_path_of_sgd_matches_the_numpy_rule():
    ours = ch04.path(sgd, [1.0, -2.0], bowl_grad, steps=10, lr=0.05)
    theirs = ch04.keras_path(keras.optimizers.SGD(0.05), [1.0, -2.0], bowl_grad, steps=10)
    np.testing.assert_allclose(theirs, ours, rtol=1e-7)  # Keras keeps the learning rate in float32


def test_keras_path_marks_divergence_with_nan():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        points = ch04.keras_path(keras.optimizers.SGD(1.0), [1.0, 1.0], bowl_grad, steps=600)
    assert np.all(np.isfinite(points[0])) and np.all(np.isnan(points[-1]))


def test_plot_paths_labels_the_end_value_or_divergence():
    good = ch04.path(sgd, [1.0, 1.0], bowl_grad, steps=20, lr=0.1)
    bad = ch04.path(sgd, [1.0, 1.0], bowl_grad, steps=20, lr=0.3)  # 1 - 0.3·8 = -1.4: grows
    fig = ch04.plot_paths(bowl, {"small": good, "large": bad}, xlim=(-2, 2), ylim=(-2, 2))
    labels = [line.get_label() for line in fig.axes[0].lines if not line.get_label().startswith("_")]
    assert labels[0].startswith("small (f = ") and labels[1] == "large (diverged)"


def test_plot_paths_rejects_points_that_are_not_two_dimensional():
    with pytest.raises(ValueError, match=r"\(n, 2\)"):
        ch04.plot_paths(bowl, {"3-D": np.zeros((4, 3))})
    with pytest.raises(ValueError, match="at least one"):
        ch04.plot_paths(bowl, {})

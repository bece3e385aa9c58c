import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest

from aibook import plots


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


HISTORY = {"loss": [1.0, 0.5, 0.3], "val_loss": [1.1, 0.7, 0.6],
           "accuracy": [0.6, 0.8, 0.9], "val_accuracy": [0.55, 0.75, 0.8]}


def test_learning_curves_draw_one_panel_per_metric_with_train_and_validation():
    fig = plots.learning_curves(HISTORY)
    assert [ax.get_ylabel() for ax in fig.axes] == ["loss", "accuracy"]
    loss_ax = fig.axes[0]
    assert [line.get_label() for line in loss_ax.lines] == ["train", "validation"]
    np.testing.assert_array_equal(loss_ax.lines[1].get_ydata(), HISTORY["val_loss"])


def test_learning_curves_compare_labelled_runs():
    fig = plots.learning_curves({"small": HISTORY, "big": HISTORY}, metrics=["loss"])
    labels = [line.get_label() for line in fig.axes[0].lines]
    assert labels == ["small train", "small validation", "big train", "big validation"]


def test_learning_curves_without_metrics_is_an_error():
    with pytest.raises(ValueError, match="no metrics"):
        plots.learning_curves({})


def test_image_grid_titles_mark_wrong_predictions():
    images = np.zeros((3, 28, 28, 1))
    fig = plots.image_grid(images, labels=[1, 2, 3], predictions=[1, 7, 3], probabilities=[0.9, 0.6, 0.8], ncols=2)
    titled = [ax for ax in fig.axes if ax.get_title()]
    assert [ax.get_title() for ax in titled] == ["1→1 (0.90)", "2→7 (0.60)", "3→3 (0.80)"]
    assert titled[1].title.get_color() == "crimson"
    assert len(fig.axes) == 4  # 2×2 grid, the last cell empty


def test_confusion_matrix_counts_each_true_predicted_pair():
    fig = plots.confusion_matrix([0, 0, 1, 2], [0, 1, 1, 2], class_names=["a", "b", "c"])
    image = fig.axes[0].images[0].get_array()
    np.testing.assert_array_equal(image, [[1, 1, 0], [0, 1, 0], [0, 0, 1]])


def test_learning_curves_draw_the_metrics_asked_for_on_a_log_axis():
    runs = {"a": {"loss": [3, 2, 1], "val_loss": [3, 2.5, 2]}, "b": {"loss": [3, 1, 0.5], "val_loss": [3, 2, 1.5]}}
    fig = plots.learning_curves(runs, metrics=["loss"], logy=["loss"])
    assert fig.axes[0].get_yscale() == "log"
    assert [line.get_label() for line in fig.axes[0].lines] == ["a train", "a validation", "b train", "b validation"]
    np.testing.assert_array_equal(fig.axes[0].lines[3].get_ydata(), [3, 2, 1.5])


def test_learning_curves_name_the_run_that_lacks_a_metric():
    with pytest.raises(ValueError, match="'b' has no accuracy"):
        plots.learning_curves({"a": {"accuracy": [1]}, "b": {"loss": [1]}}, metrics=["accuracy"])


def test_learning_curves_mark_epochs_only_on_short_runs_and_fit_the_column():
    from aibook import plots

    short = plots.learning_curves({"loss": [3, 2, 1], "val_loss": [3, 2.5, 2]})
    long = plots.learning_curves({"loss": list(range(300, 0, -1)), "accuracy": [0.5] * 300,
                                  "val_loss": list(range(300, 0, -1)), "val_accuracy": [0.5] * 300})
    assert all(line.get_marker() == "." for line in short.axes[0].lines)
    assert all(line.get_marker() in (None, "None", "") for ax in long.axes for line in ax.lines)
    for fig in (short, long, plots.image_grid(np.zeros((30, 8, 8)), ncols=15),
                plots.confusion_matrix([0, 1, 2], [0, 2, 2], class_names=list("abc"))):
        assert fig.get_size_inches()[0] <= plots.MAX_WIDTH

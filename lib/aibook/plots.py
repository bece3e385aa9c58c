"""The figures every chapter draws: learning curves, image grids, confusion matrices.

Each function draws one figure and returns it (assign it, ``fig = ...``, so that
Jupyter shows it once; pass it to :func:`aibook.book.glue` to cite it in prose).

Importing this module sets :data:`READABLE`: figures drawn at 100 dpi with no text under 9 pt,
so that a figure at most :data:`MAX_WIDTH` inches wide shows its smallest text at 9 px or more in
the book's column at 1,280 px (the browser tests measure it).
"""
import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

MAX_WIDTH = 8.0  # inches: 800 px at 100 dpi, the widest a figure may be without shrinking its text
READABLE = {
    "figure.dpi": 100, "font.size": 10, "axes.titlesize": 10, "axes.labelsize": 10,
    "xtick.labelsize": 9, "ytick.labelsize": 9, "legend.fontsize": 9, "legend.title_fontsize": 9,
    "figure.titlesize": 11,
}
mpl.rcParams.update(READABLE)
MARKERS_UP_TO = 30  # points per curve; beyond that markers hide the curve's shape


def _history_dict(history):
    return history.history if hasattr(history, "history") else dict(history)


def learning_curves(histories, metrics=None, title=None, logy=()):
    """Training (solid) and validation (dashed) curves, one panel per metric.

    ``histories``: a Keras ``History``, a dict of lists, or ``{label: history}``
    to compare runs. ``metrics``: which to plot (default: every logged metric).
    ``logy``: the metrics to draw on a logarithmic axis.
    """
    if hasattr(histories, "history") or (
        isinstance(histories, dict) and all(not isinstance(v, (dict,)) and not hasattr(v, "history")
                                            for v in histories.values())
    ):
        histories = {"": histories}
    runs = {label: _history_dict(h) for label, h in histories.items()}
    if metrics is None:
        metrics = []
        for logs in runs.values():
            metrics += [m for m in logs if not m.startswith("val_") and m not in metrics and m != "learning_rate"]
    if not metrics:
        raise ValueError("nothing to plot: the history has no metrics")
    for label, logs in runs.items():
        missing = [m for m in metrics if m not in logs and f"val_{m}" not in logs]
        if missing:
            name = f"run {label!r}" if label else "the history"
            raise ValueError(f"{name} has no {', '.join(missing)}; it logged {', '.join(logs)}")
    width = min(4.2 * len(metrics), MAX_WIDTH)
    fig, axes = plt.subplots(1, len(metrics), figsize=(width, 3.2), squeeze=False)
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for ax, metric in zip(axes[0], metrics):
        for i, (label, logs) in enumerate(runs.items()):
            colour = colours[i % len(colours)]
            prefix = f"{label} " if label else ""
            for key, style, kind in ((metric, "-", "train"), (f"val_{metric}", "--", "validation")):
                if key in logs:
                    epochs = np.arange(1, len(logs[key]) + 1)
                    marker = "." if len(epochs) <= MARKERS_UP_TO else None
                    ax.plot(epochs, logs[key], style, color=colour, marker=marker, label=f"{prefix}{kind}")
        if metric in logy:
            ax.set_yscale("log")
        ax.set_xlabel("epoch")
        ax.set_ylabel(metric)
        ax.grid(alpha=0.3)
        ax.legend()
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def image_grid(images, labels=None, predictions=None, probabilities=None,
               class_names=None, ncols=10, size=1.1, cmap="gray", title=None):
    """Images in a grid with optional true labels, predictions and probabilities.

    A wrong prediction is titled in red, as ``true→predicted (p)``.
    """
    images = np.asarray(images)
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    n = len(images)
    if n == 0:
        raise ValueError("image_grid needs at least one image")
    ncols = min(ncols, n)
    nrows = -(-n // ncols)
    size = min(size, MAX_WIDTH / ncols)  # the grid fits the column; titles stay at 9 pt
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows * 1.25), squeeze=False)
    name = (lambda k: class_names[int(k)]) if class_names is not None else (lambda k: str(int(k)))
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i >= n:
            continue
        ax.imshow(images[i], cmap=cmap if images[i].ndim == 2 else None)
        parts, colour = [], "black"
        if labels is not None:
            parts.append(name(labels[i]))
        if predictions is not None:
            wrong = labels is not None and int(predictions[i]) != int(labels[i])
            colour = "crimson" if wrong else "black"
            parts = [f"{parts[0]}→{name(predictions[i])}"] if labels is not None else [name(predictions[i])]
        if probabilities is not None:
            parts.append(f"({probabilities[i]:.2f})")
        if parts:
            ax.set_title(" ".join(parts), fontsize=9, color=colour)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def confusion_matrix(y_true, y_pred, class_names=None, normalize=False, title=None):
    """Counts (or row-normalised rates) of true class × predicted class."""
    from sklearn.metrics import confusion_matrix as sk_confusion

    labels = np.arange(len(class_names)) if class_names is not None else None
    cm = sk_confusion(y_true, y_pred, labels=labels)
    if normalize:
        cm = cm / np.maximum(cm.sum(axis=1, keepdims=True), 1)
    k = cm.shape[0]
    names = class_names if class_names is not None else [str(i) for i in range(k)]
    side = min(0.5 * k + 2.5, MAX_WIDTH)
    fig, ax = plt.subplots(figsize=(side, side - 0.5))
    im = ax.imshow(cm, cmap="Blues")
    fig.colorbar(im, ax=ax, fraction=0.046)
    ax.set_xticks(range(k), names, rotation=45 if max(len(n) for n in names) > 2 else 0, ha="right")
    ax.set_yticks(range(k), names)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    threshold = cm.max() / 2
    for i in range(k):
        for j in range(k):
            text = f"{cm[i, j]:.2f}" if normalize else f"{cm[i, j]:d}"
            ax.text(j, i, text, ha="center", va="center", fontsize=9,
                    color="white" if cm[i, j] > threshold else "black")
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig

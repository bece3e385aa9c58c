"""Plumbing for chapter 4's optimizer experiments.

The update rules themselves are written out in the chapter, as NumPy functions
``rule(w, g, state, **hyper) -> new w`` that keep what they remember (momentum,
running averages, a step count) in the dict ``state``. This module only runs
them, or a Keras optimizer, along a path, and draws the results:

* :func:`path` follows a NumPy update rule from a starting point;
* :func:`keras_path` follows a ``keras.optimizers`` optimizer the same way;
* :func:`plot_paths` draws paths on the contours of a 2-D loss surface;
"""
import matplotlib.pyplot as plt
import numpy as np


def _check_steps(steps):
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"steps must be a whole number >= 0, got {steps!r}")
    return int(steps)


def _gradient(grad, w):
    g = np.asarray(grad(w), dtype=float)
    if g.shape != w.shape:
        raise ValueError(f"the gradient has shape {g.shape}, the parameters {w.shape}: they must match")
    return g


def path(rule, w0, grad, steps, **hyper):
    """The points ``w0, w1, …`` of ``w ← rule(w, grad(w), state, **hyper)``.

    Returns an array of shape ``(steps + 1, *w0.shape)``. If the iterates leave
    the finite numbers (the rule diverged), the remaining rows are NaN and the
    loop stops there instead of computing with infinities.
    """
    steps = _check_steps(steps)
    w = np.array(w0, dtype=float)
    points = np.full((steps + 1,) + w.shape, np.nan)
    points[0] = w
    state = {}
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(1, steps + 1):
            w = np.asarray(rule(w, _gradient(grad, w), state, **hyper), dtype=float)
            if not np.all(np.isfinite(w)):
                break
            points[t] = w
    return points


def keras_path(optimizer, w0, grad, steps):
    """The points a Keras optimizer visits from ``w0`` with gradients ``grad(w)``.

    The optimizer works on a float64 ``keras.Variable``; ``grad`` is a NumPy
    function, so the same gradient function can drive :func:`path` and this.
    Keras turns the learning rate (and Adam's betas) into float32 numbers first,
    so the two paths agree to five to seven significant digits, not sixteen.
    """
    import keras

    steps = _check_steps(steps)
    w = keras.Variable(np.array(w0, dtype="float64"), dtype="float64")
    points = np.full((steps + 1,) + tuple(w.shape), np.nan)
    points[0] = w.numpy()
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(1, steps + 1):
            optimizer.apply_gradients([(keras.ops.convert_to_tensor(_gradient(grad, w.numpy())), w)])
            if not np.all(np.isfinite(w.numpy())):
                break
            points[t] = w.numpy()
    return points


def plot_paths(f, paths, xlim=(-6, 6), ylim=(-3, 3), title=None, levels=25):
    """Paths on the contour lines of a 2-D function.

    ``f`` maps an array whose first axis holds the two coordinates to values
    (so it works on a whole grid at once); ``paths`` is ``{label: points}`` with
    points of shape ``(n, 2)``. A path that diverged (NaN rows, or points that
    left the plotted window) says so in the legend.
    """
    if not paths:
        raise ValueError("plot_paths needs at least one path")
    g1, g2 = np.meshgrid(np.linspace(*xlim, 200), np.linspace(*ylim, 200))
    values = f(np.stack([g1, g2]))
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    ax.contour(g1, g2, values, levels=np.geomspace(max(values.min(), 1e-3), values.max(), levels),
               colors="lightgray", linewidths=0.8)
    for label, points in paths.items():
        points = np.asarray(points, dtype=float)
        if points.ndim != 2 or points.shape[1] != 2:
            raise ValueError(f"path {label!r} must have shape (n, 2), got {points.shape}")
        finite = points[np.all(np.isfinite(points), axis=1)]
        inside = np.all((finite >= [xlim[0], ylim[0]]) & (finite <= [xlim[1], ylim[1]]))
        end = f(finite[-1])
        note = f"f = {end:.2g}" if len(finite) == len(points) and inside else "diverged"
        ax.plot(finite[:, 0], finite[:, 1], "-o", markersize=2.5, linewidth=1, label=f"{label} ({note})")
    ax.plot(0, 0, "k*", markersize=9)
    ax.set(xlim=xlim, ylim=ylim, xlabel="$w_1$", ylabel="$w_2$")
    ax.set_aspect("equal")
    ax.legend(fontsize="small", loc="center left", bbox_to_anchor=(1.02, 0.5))
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig

"""Functions a chapter derives and checks, saved here for the chapters after it.

Each docstring names the chapter that derives the function; that chapter writes it out and
checks it (against Keras, ``tf.GradientTape`` or a finite difference), later chapters import
it from here. ``tests/test_nn.py`` checks that the chapter's definition and this one agree.
NumPy in, NumPy out, float64 unless the input is float32.
"""
import numpy as np


def sigmoid(z):
    """σ(z) = 1 / (1 + e^(−z)), elementwise (chapter 3)."""
    z = np.asarray(z, dtype=float)
    # e^(−|z|) never overflows; both branches are the same function
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def softmax(z, axis=-1):
    """exp(z_k) / Σ_j exp(z_j) along ``axis`` (chapter 3); the shift by the maximum changes
    nothing but keeps exp from overflowing."""
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def logsumexp(z, axis=-1):
    """log Σ_k exp(z_k) along ``axis``, computed without overflow (chapter 3)."""
    z = np.asarray(z, dtype=float)
    m = z.max(axis=axis, keepdims=True)
    return np.squeeze(m + np.log(np.exp(z - m).sum(axis=axis, keepdims=True)), axis=axis)


def cross_entropy_from_logits(labels, logits):
    """Softmax cross-entropy per example from integer ``labels`` and ``logits`` (chapter 3):
    LSE(z) − z_label, what ``keras.losses.sparse_categorical_crossentropy(labels, logits,
    from_logits=True)`` computes. Take ``.mean()`` for the loss of a batch."""
    logits = np.asarray(logits, dtype=float)
    labels = np.asarray(labels)
    if logits.ndim != 2 or labels.shape != logits.shape[:1]:
        raise ValueError(f"want logits (n, classes) and n integer labels, got {logits.shape} and {labels.shape}")
    if not np.issubdtype(labels.dtype, np.integer) or labels.min() < 0 or labels.max() >= logits.shape[1]:
        raise ValueError(f"labels must be integers in 0..{logits.shape[1] - 1}")
    return logsumexp(logits) - np.take_along_axis(logits, labels[:, None], axis=-1)[:, 0]


def conv_output_size(n, k, s=1, p=0):
    """The output length along one axis of a convolution or pooling (chapter 5):
    ⌊(n + 2p − k) / s⌋ + 1 for ``p`` zeros of padding on each side; ``p="valid"`` is 0,
    ``p="same"`` gives ⌈n / s⌉ as Keras does."""
    if p == "same":
        return -(-n // s)
    p = 0 if p == "valid" else p
    if n + 2 * p < k:
        raise ValueError(f"a kernel of {k} does not fit in {n} pixels padded with {p} zeros")
    return (n + 2 * p - k) // s + 1

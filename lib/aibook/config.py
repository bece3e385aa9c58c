"""The book's one switch: fast mode (small real data, a laptop CPU) or full mode
(the whole data set, a GPU), and the one seed function for reproducible runs.

``AIBOOK_MODE`` = ``fast`` | ``full``. Unset means full where a GPU is visible,
fast otherwise. Chapters never hard-code a size or an epoch count: they ask
:func:`pick` for the value of the current mode.
"""
import functools
import os
import random

import numpy as np

MODES = ("fast", "full")


@functools.lru_cache(maxsize=None)
def gpu_available():
    """Whether the Keras backend in use sees a GPU (TensorFlow, JAX or PyTorch)."""
    import keras

    backend = keras.backend.backend()
    try:
        if backend == "tensorflow":
            import tensorflow as tf

            return bool(tf.config.list_physical_devices("GPU"))
        if backend == "jax":
            import jax

            return any(d.platform == "gpu" for d in jax.devices())
        if backend == "torch":
            import torch

            return torch.cuda.is_available()
    except Exception:  # a broken driver means no usable GPU, not a crash
        return False
    return False


def mode():
    """``"fast"`` or ``"full"``, from ``AIBOOK_MODE`` or from the hardware."""
    value = os.environ.get("AIBOOK_MODE", "").strip().lower()
    if not value:
        return "full" if gpu_available() else "fast"
    if value not in MODES:
        raise ValueError(
            f"AIBOOK_MODE={value!r} is not a mode; use one of {', '.join(MODES)} "
            "(or leave it unset: full on a GPU, fast otherwise)"
        )
    return value


def is_fast():
    return mode() == "fast"


def pick(fast, full):
    """The value for the current mode: ``epochs = pick(fast=2, full=15)``."""
    return fast if is_fast() else full


def seed(value=0, deterministic=False):
    """Seed Python, NumPy and the Keras backend; with ``deterministic=True``
    TensorFlow also runs its ops deterministically (slower, bit-for-bit repeatable)."""
    import keras

    random.seed(value)
    np.random.seed(value)
    keras.utils.set_random_seed(value)
    if deterministic and keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        tf.config.experimental.enable_op_determinism()
    return value


def describe():
    """Print one line for a chapter's setup cell: mode, Keras back end, device.

    Returns nothing, so that the line shows once when it ends a cell."""
    import keras

    device = "GPU" if gpu_available() else "CPU"
    line = f"aibook: {mode()} mode, Keras {keras.__version__} on {keras.backend.backend()} ({device})"
    print(line)

"""Self-checks for readers: right or wrong, with a hint, never the answer.

A chapter's check cell compares the reader's value with a *digest* of the expected
one (a hash of the value rounded to a few decimals), so the expected value never
appears in the notebook::

    exercises.check(my_loss, expect="5d1c0e9a7b3f", hint="average over the batch")

Authors compute a digest once from their solution with ``exercises.digest(value)``.
"""
import hashlib

import numpy as np


def _canonical(value, decimals):
    if isinstance(value, str):
        return "s:" + value.strip().lower()
    if isinstance(value, (bool, np.bool_)):
        return f"b:{bool(value)}"
    array = np.asarray(value, dtype=float)
    rounded = np.round(array, decimals) + 0.0  # + 0.0 folds -0.0 into 0.0
    return f"a:{rounded.shape}:" + ",".join(f"{v:.{decimals}f}" for v in rounded.ravel())


def digest(value, decimals=4):
    """A short hash of ``value`` (a number, array, string or bool) rounded to ``decimals``."""
    return hashlib.sha256(_canonical(value, decimals).encode()).hexdigest()[:12]


def is_correct(value, expect, decimals=4):
    """Whether ``value`` matches the expected digest (False for values it cannot hash)."""
    try:
        return digest(value, decimals) == expect
    except (TypeError, ValueError):
        return False


def check(value, expect, hint="", decimals=4):
    """Print whether ``value`` matches the expected digest, with the hint if it does not.

    Returns nothing, so that a check cell shows only its message."""
    if is_correct(value, expect, decimals):
        print("✓ Correct.")
    else:
        try:
            digest(value, decimals)
            print("✗ Not yet." + (f" Hint: {hint}" if hint else ""))
        except (TypeError, ValueError) as err:
            print(f"✗ Not yet: the answer should be a number, array, string or bool ({err}).")

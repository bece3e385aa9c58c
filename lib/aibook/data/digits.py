"""scikit-learn's 8×8 handwritten digits (1,797 images), the same online and offline."""
from .dataset import Dataset, stratified_split
from .mnist import DIGIT_NAMES

NAME = "digits 8×8"
# 60 / 20 / 20 of the 1,797 images, the split chapter 3 makes (its numbers stay the same).
SPLIT = (1079, 359, 359)


def load_digits(n_train=None):
    """The 8×8 digits: float32 images (8, 8, 1) in [0, 1], int64 labels 0–9.

    The pixels are counts 0–16 (ink in a 4×4 block of the 32×32 scan), so they take 17
    grey levels; dividing by 16 keeps them exact. Fixed stratified split: train 1,079,
    validation 359, test 359 (60 / 20 / 20; validation comes from the training data, never
    the test set). ``n_train`` keeps a stratified subset of the training split. Flatten
    with ``x.reshape(len(x), -1)`` for models that want 64 columns.
    """
    from sklearn import datasets

    digits = datasets.load_digits()
    splits = stratified_split(digits.images, digits.target, SPLIT)
    source = "offline: scikit-learn's bundled copy of the UCI handwritten digits (1,797 images of 8×8 pixels)"
    return Dataset.from_splits(NAME, source, DIGIT_NAMES, *splits, n_train=n_train, scale=16)

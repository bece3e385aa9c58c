"""The :class:`Dataset` every loader returns, its splits, and the choice of source."""
import dataclasses

import numpy as np

from .. import config

SOURCES = ("auto", "online", "offline")
SPLITS = ("train", "val", "test")
SPLIT_SEED = 20261122  # fixed: the splits never change with the reader's seed


@dataclasses.dataclass(repr=False)
class Dataset:
    """Three splits of one data set, and where they came from."""

    name: str
    source: str
    class_names: list
    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    feature_names: list = None  # the columns of a table; None for images

    @classmethod
    def from_splits(cls, name, source, class_names, train, val, test, n_train=None, scale=255,
                    feature_names=None):
        """The one way loaders build a Dataset from three ``(x, y)`` splits: a stratified subset
        of ``n_train`` training examples (all if None); images as float32 divided by ``scale`` (the
        largest pixel value) with a channel axis; a table (``scale=None``) as float64, the values
        as published (float32 would round them, and scikit-learn computes in float64); labels as int64."""
        def convert(x, y):
            x = as_images(x, scale) if scale else np.asarray(x, dtype="float64")
            return x, np.asarray(y).astype("int64")

        n_eval = None
        if config.is_smoke():  # a smoke test of full mode: a few steps, small splits
            n_train = min(n_train or len(train[1]), config.SMOKE_TRAIN)
            n_eval = config.SMOKE_EVAL

        train, val, test = subsample(*train, n_train), subsample(*val, n_eval), subsample(*test, n_eval)
        (xtr, ytr), (xva, yva), (xte, yte) = (convert(*s) for s in (train, val, test))
        return cls(name, source, list(class_names), xtr, ytr, xva, yva, xte, yte,
                   feature_names=None if feature_names is None else list(feature_names))

    def split(self, name):
        """``(x, y)`` of ``"train"``, ``"val"`` or ``"test"``."""
        if name not in SPLITS:
            raise ValueError(f"unknown split {name!r}; valid splits are {', '.join(SPLITS)}")
        return getattr(self, f"x_{name}"), getattr(self, f"y_{name}")

    @property
    def input_shape(self):
        return self.x_train.shape[1:]

    @property
    def num_classes(self):
        return len(self.class_names)

    def __repr__(self):
        sizes = ", ".join(f"{s} {len(self.split(s)[1]):,}" for s in SPLITS)
        shape = f"{self.input_shape[0]} features" if self.x_train.ndim == 2 else f"images {self.input_shape}"
        return f"{self.name}: {sizes}; {shape}; source: {self.source}"


def as_images(x, scale=255):
    """Integer pixels (N, H, W[, C]) in 0…``scale`` → float32 in [0, 1] with a channel axis."""
    x = np.asarray(x, dtype="float32") / scale
    return x[..., None] if x.ndim == 3 else x


def stratified_split(x, y, sizes, seed=SPLIT_SEED):
    """Split ``(x, y)`` into consecutive stratified parts of the given sizes."""
    from sklearn.model_selection import train_test_split

    if sum(sizes) > len(y):
        raise ValueError(f"asked for {sum(sizes):,} examples, only {len(y):,} exist")
    parts, rest_x, rest_y = [], x, y
    for size in sizes[:-1]:
        if size == len(rest_y):
            parts.append((rest_x, rest_y))
            rest_x, rest_y = rest_x[:0], rest_y[:0]
            continue
        a_x, rest_x, a_y, rest_y = train_test_split(
            rest_x, rest_y, train_size=size, stratify=rest_y, random_state=seed
        )
        parts.append((a_x, a_y))
    last = sizes[-1]
    if last < len(rest_y):
        rest_x, _, rest_y, _ = train_test_split(
            rest_x, rest_y, train_size=last, stratify=rest_y, random_state=seed
        )
    parts.append((rest_x, rest_y))
    return parts


def subsample(x, y, n, seed=SPLIT_SEED):
    """A stratified subset of ``n`` examples (all of them if ``n`` is None or too large)."""
    from sklearn.model_selection import train_test_split

    if n is None or n >= len(y):
        return x, y
    if n < 1:
        raise ValueError(f"n_train must be a positive number of examples, got {n}")
    x_n, _, y_n, _ = train_test_split(x, y, train_size=n, stratify=y, random_state=seed)
    return x_n, y_n


def resolve_source(source, offline_available):
    """``auto`` → offline in fast mode when the offline copy is here, else online;
    ``AIBOOK_DATA`` (read by :func:`aibook.config.data_source`) overrides ``auto``."""
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}; valid sources are {', '.join(SOURCES)}")
    if source != "auto":
        return source
    return config.data_source() or ("offline" if config.is_fast() and offline_available else "online")

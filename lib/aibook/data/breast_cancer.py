"""The Wisconsin diagnostic breast-cancer table (569 tumours × 30 features), from scikit-learn."""
from .dataset import Dataset, stratified_split

NAME = "breast cancer"
# 60 / 20 / 20 of the 569 tumours, the sizes chapter 3 uses.
SPLIT = (341, 114, 114)


def load_breast_cancer(n_train=None):
    """30 measurements of cell nuclei per tumour, float64 and unscaled (areas in the hundreds,
    smoothness near 0.1: standardise them with the training split's statistics), and
    scikit-learn's labels: 0 malignant, 1 benign (``class_names``); the columns' names are
    ``feature_names``. Fixed stratified split: train 341, validation 114, test 114 (60 / 20 /
    20). ``n_train`` keeps a stratified subset of the training split.
    """
    from sklearn import datasets

    cancer = datasets.load_breast_cancer()
    splits = stratified_split(cancer.data, cancer.target, SPLIT)
    source = "offline: scikit-learn's bundled copy of the Wisconsin diagnostic breast-cancer data (569 tumours)"
    return Dataset.from_splits(NAME, source, cancer.target_names, *splits, n_train=n_train, scale=None,
                               feature_names=cancer.feature_names)

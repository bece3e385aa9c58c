"""Helpers that serve one chapter each, named after it: ``from aibook.chapters import ch04``.

A helper lives here when only its chapter uses it; when a second chapter needs it, it moves
into the shared core (``aibook.nn``, ``models``, ``train``, ``plots``, ...).

* ``ch02``: ``KerasClassifier``, a Keras network behind scikit-learn's estimator interface
* ``ch04``: runs NumPy update rules and Keras optimizers along a path, and draws the paths
* ``ch11``: copies of a Gymnasium toy-text environment stepped in lockstep; the lake and spread plots
"""

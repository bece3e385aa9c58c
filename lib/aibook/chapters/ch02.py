"""A Keras network behind scikit-learn's estimator interface.

Chapter 2 compares networks with scikit-learn's models through the same
``cross_validate`` and ``learning_curve`` calls. :class:`KerasClassifier` lets
those functions train a network exactly as they train a random forest: they
clone it (``get_params``), call ``fit(X, y)`` on each training subset and
``score(X, y)`` on the held-out part. Training goes through
:func:`aibook.train.fit`.

A learning curve is dozens of small fits, so two choices keep each one cheap:

* networks with the same ``build`` function, input shape, number of classes,
  learning rate and seed share one compiled Keras model, restored to the same
  initial weights and optimizer state before every fit: Keras traces its
  training step once, not once per fit, and the fits stay independent;
* the ``epochs`` passes over the data (each shuffled anew) are laid end to end
  and run as one Keras epoch, because Keras' fixed cost per epoch outweighs a
  pass over a few hundred examples. Up to :data:`MAX_REPEAT_BYTES` the passes
  are copied into one array (Keras batches arrays fastest); beyond that a
  :class:`Passes` sequence serves the same batches without the copy.
"""
import numpy as np
import keras
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from .. import train

# (build, input shape, classes, learning rate, seed) -> (model, weights, optimizer state)
_COMPILED = {}


MAX_REPEAT_BYTES = 256 * 2**20
STEPS_PER_EXECUTION = 8


class Passes(keras.utils.PyDataset):
    """``passes`` passes over ``(x, y)``, each in its own random order (drawn from
    ``(seed, pass)``), laid end to end and cut into full batches of ``batch_size``.

    The examples left over after the last full batch (fewer than ``batch_size``)
    are dropped: every batch then has the same shape, and Keras compiles its
    training step once instead of once more for each odd-sized last batch.
    """

    def __init__(self, x, y, batch_size, passes, seed=0):
        super().__init__()
        if int(passes) < 1 or int(batch_size) < 1:
            raise ValueError(f"passes and batch_size must be at least 1, got {passes} and {batch_size}")
        if int(passes) * len(y) < int(batch_size):
            raise ValueError(f"{passes} passes over {len(y)} examples do not fill one batch of {batch_size}")
        self.x, self.y, self.batch_size = x, y, int(batch_size)
        order = np.concatenate([np.random.default_rng([seed, p]).permutation(len(y))
                                for p in range(int(passes))])
        self.order = order[:len(order) // self.batch_size * self.batch_size]

    def __len__(self):
        return len(self.order) // self.batch_size

    def __getitem__(self, i):
        idx = self.order[i * self.batch_size:(i + 1) * self.batch_size]
        return self.x[idx], self.y[idx]


class KerasClassifier(ClassifierMixin, BaseEstimator):
    """A classifier network for scikit-learn: ``fit``, ``predict``, ``predict_proba``,
    ``score`` (and ``logits``).

    build: ``build(input_shape, num_classes)`` returning an uncompiled Keras
        model whose last layer outputs logits (like :mod:`aibook.models`).
    input_shape: the shape of one example as the network wants it, e.g.
        ``(28, 28, 1)``; ``X`` may then hold flattened rows (scikit-learn's
        convention) and is reshaped. ``None`` feeds the rows as they are.
    epochs, batch_size, learning_rate: training with Adam on the
        cross-entropy of the logits, as :func:`aibook.models.compile_classifier`.
    min_steps: at least this many gradient steps, however small the training
        set (more passes then): a fixed number of passes would leave a network
        trained on 50 examples with a handful of steps, and a learning curve
        would blame the data for the short training.
    seed: the initial weights and the batch order.

    After ``fit``: ``classes_``, ``weights_`` (the trained weights, a list of
    arrays as ``model.get_weights()`` gives them), ``n_parameters_`` and
    ``passes_`` (the passes over the data actually made).
    """

    def __init__(self, build, input_shape=None, epochs=20, batch_size=32, learning_rate=1e-3,
                 min_steps=0, seed=0):
        self.build = build
        self.input_shape = input_shape
        self.epochs = epochs
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.min_steps = min_steps
        self.seed = seed

    def _inputs(self, X):
        X = np.asarray(X, dtype="float32")
        if self.input_shape is None:
            return X
        shape = tuple(self.input_shape)
        if X.ndim < 2 or int(np.prod(X.shape[1:])) != int(np.prod(shape)):
            raise ValueError(f"X has examples of shape {X.shape[1:]}, which cannot be "
                             f"reshaped to the network's input_shape {shape}")
        return X.reshape((len(X),) + shape)

    def _model(self, input_shape, num_classes):
        key = (self.build, tuple(input_shape), num_classes, float(self.learning_rate), self.seed)
        if key not in _COMPILED:
            keras.utils.set_random_seed(self.seed)
            model = self.build(tuple(input_shape), num_classes)
            # models.compile_classifier's optimizer and loss, without training metrics (nothing
            # reads them) and with several steps per call, which halves the cost of a small step
            model.compile(optimizer=keras.optimizers.Adam(self.learning_rate),
                          loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                          steps_per_execution=STEPS_PER_EXECUTION)
            model.optimizer.build(model.trainable_variables)
            _COMPILED[key] = (model, model.get_weights(), [v.numpy() for v in model.optimizer.variables])
        return _COMPILED[key]

    def fit(self, X, y):
        X, y = self._inputs(X), np.asarray(y)
        if len(X) != len(y):
            raise ValueError(f"X has {len(X)} examples but y has {len(y)} labels")
        if int(self.epochs) < 1:
            raise ValueError(f"epochs must be at least 1, got {self.epochs}")
        self.classes_, codes = np.unique(y, return_inverse=True)
        if len(self.classes_) < 2:
            raise ValueError("y has a single class; a classifier needs at least two")
        model, weights, optimizer_state = self._model(X.shape[1:], len(self.classes_))
        model.set_weights(weights)  # a fresh start, as if the model had just been built
        for variable, value in zip(model.optimizer.variables, optimizer_state):
            variable.assign(value)
        steps = max(int(self.min_steps), 1)  # at least one full batch
        passes = max(int(self.epochs), -(-steps * int(self.batch_size) // len(y)))
        batches = Passes(X, codes.astype("int64"), self.batch_size, passes, self.seed)
        self.passes_ = passes
        if X.nbytes * passes <= MAX_REPEAT_BYTES:
            train.fit(model, X[batches.order], batches.y[batches.order], epochs=1,
                      batch_size=batches.batch_size, shuffle=False, verbose=0)
        else:
            train.fit(model, batches, epochs=1, batch_size=None, shuffle=False, verbose=0)
        self.model_ = model
        self.weights_ = model.get_weights()
        self.n_parameters_ = model.count_params()
        return self

    def logits(self, X, chunk=4096):
        """The network's outputs before the softmax, one row per example."""
        check_is_fitted(self, "weights_")
        X = self._inputs(X)
        self.model_.set_weights(self.weights_)  # the shared model may hold another fit's weights
        parts = [np.asarray(self.model_.predict_on_batch(X[i:i + chunk])) for i in range(0, len(X), chunk)]
        return np.concatenate(parts) if parts else np.zeros((0, len(self.classes_)), "float32")

    def predict_proba(self, X):
        logits = self.logits(X)
        e = np.exp(logits - logits.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    def predict(self, X):
        check_is_fitted(self, "weights_")
        return self.classes_[np.argmax(self.logits(X), axis=1)]

"""A thin layer over ``model.fit``: what every chapter wants, nothing more.

:func:`fit` adds a progress display suited to the mode, an optional learning-curve
plot, optional early stopping, and training that resumes after a killed run or
a Colab disconnect (``keras.callbacks.BackupAndRestore``). It returns Keras'
``History``. :func:`train_step` is the ``GradientTape`` step that chapter 6 writes out, for the
chapters after it that train outside ``fit`` (GANs, differential privacy). :class:`EpochTimer`
times the epochs of a run.
"""
import time

import numpy as np
import keras

from . import config


class EpochTimer(keras.callbacks.Callback):
    """Wall-clock seconds of training, validation included: ``seconds[i]`` is how long
    epoch ``i`` took, ``ends[i]`` the time from the start of training to its end."""

    def on_train_begin(self, logs=None):
        self.start, self.seconds, self.ends = time.perf_counter(), [], []

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch_start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        now = time.perf_counter()
        self.seconds.append(now - self.epoch_start)
        self.ends.append(now - self.start)


class EpochBatches(keras.utils.PyDataset):
    """Array batches whose order depends only on ``(seed, epoch)``.

    Keras' own shuffling draws from a random stream that restarts with the
    process, so a run resumed from a backup would see other batches than the
    uninterrupted run. Keying the order on the epoch makes a resumed run
    repeat the uninterrupted one exactly.
    """

    def __init__(self, x, y, batch_size, seed=0, sample_weight=None):
        super().__init__()
        self.x, self.y, self.sample_weight = x, y, sample_weight
        self.batch_size, self.seed = int(batch_size), int(seed)
        self.set_epoch(0)

    def set_epoch(self, epoch):
        self.order = np.random.default_rng([self.seed, epoch]).permutation(len(self.y))

    def __len__(self):
        return -(-len(self.y) // self.batch_size)

    def __getitem__(self, i):
        idx = np.sort(self.order[i * self.batch_size:(i + 1) * self.batch_size])
        if self.sample_weight is None:
            return self.x[idx], self.y[idx]
        return self.x[idx], self.y[idx], self.sample_weight[idx]


class EpochSeeds(keras.callbacks.Callback):
    """At each epoch start, set the batch order and every random-layer seed
    (dropout, augmentation) from ``(seed, epoch)``."""

    def __init__(self, batches, seed=0):
        super().__init__()
        self.batches, self.seed = batches, int(seed)

    def on_epoch_begin(self, epoch, logs=None):
        self.batches.set_epoch(epoch)
        for v in self.model.variables:
            if v.path.endswith("seed_generator_state"):
                v.assign(np.array([self.seed, epoch * 1_000_003], dtype=v.dtype))


def fit(model, x, y=None, *, validation_data=None, epochs=1, batch_size=128,
        early_stopping=None, backup_dir=None, seed=0, plot=False, verbose=None,
        callbacks=(), **kwargs):
    """Train a compiled Keras model and return its ``History``.

    early_stopping: ``None`` or a patience in epochs (monitors ``val_loss`` and
        restores the best weights).
    backup_dir: a folder for ``BackupAndRestore``. If a run is killed, calling
        ``fit`` again with the same folder resumes from the last finished epoch;
        batches and random layers are then keyed on ``(seed, epoch)``, so the
        resumed run ends with the same weights as an uninterrupted one.
    plot: draw the learning curves when training ends.
    verbose: Keras' verbosity; by default one line per epoch in fast mode (the
        book build) and a live progress bar in full mode.
    Other keyword arguments go to ``model.fit`` unchanged.
    """
    if getattr(model, "optimizer", None) is None or getattr(model, "loss", None) is None:
        raise ValueError("compile the model (optimizer and loss) before calling aibook.train.fit")
    if early_stopping is not None and validation_data is None:
        raise ValueError("early_stopping monitors the validation loss: pass validation_data")
    if verbose is None:
        verbose = 2 if config.is_fast() else 1
    callbacks = list(callbacks)
    if early_stopping is not None:
        callbacks.append(keras.callbacks.EarlyStopping(
            monitor="val_loss", patience=int(early_stopping), restore_best_weights=True))
    if backup_dir is not None:
        if y is None or isinstance(x, keras.utils.PyDataset):
            raise ValueError("backup_dir needs array inputs x and y, so that batches can be replayed")
        batches = EpochBatches(x, y, batch_size, seed=seed, sample_weight=kwargs.pop("sample_weight", None))
        callbacks = [EpochSeeds(batches, seed), keras.callbacks.BackupAndRestore(str(backup_dir))] + callbacks
        x, y, kwargs["shuffle"], batch_size = batches, None, False, None
    history = model.fit(x, y, validation_data=validation_data, epochs=epochs,
                        batch_size=batch_size, verbose=verbose, callbacks=callbacks, **kwargs)
    if plot:
        from . import plots

        plots.learning_curves(history)
    return history


def train_step(model, loss_fn, optimizer, graph=True):
    """One step of gradient descent as chapter 6 derives it: the batch's loss under a
    ``tf.GradientTape``, its gradients with respect to the trainable weights, the optimizer's
    update. Returns ``step(x, y) -> (loss, logits)``, traced once into a graph by
    ``tf.function`` unless ``graph=False``. ``loss_fn(y, logits)`` returns the batch's mean loss.
    """
    import tensorflow as tf

    def step(x, y):
        with tf.GradientTape() as tape:
            logits = model(x, training=True)  # dropout and batch norm in training mode
            loss = loss_fn(y, logits)
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))
        return loss, logits

    return tf.function(step) if graph else step

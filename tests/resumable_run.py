"""A training run for test_train: `python resumable_run.py OUT.npy BACKUP_DIR [kill-after-epoch]`.

Trains a small dropout MLP on 1,000 real digits for 4 epochs through aibook.train.fit with
a backup folder; with a third argument it SIGKILLs itself when that epoch has ended.
"""
import os
import signal
import sys

import keras
import numpy as np

from aibook import config, data, models, train

out, backup = sys.argv[1], sys.argv[2]
kill_after = int(sys.argv[3]) if len(sys.argv) > 3 else None
config.seed(0, deterministic=True)
digits = data.load_mnist(source="offline", n_train=1000)
model = models.compile_classifier(models.mlp(digits.input_shape, hidden=(32,), dropout=0.3))


class KillSelf(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        if epoch + 1 == kill_after:
            os.kill(os.getpid(), signal.SIGKILL)


train.fit(model, digits.x_train, digits.y_train, validation_data=(digits.x_val, digits.y_val),
          epochs=4, batch_size=64, backup_dir=backup, callbacks=[KillSelf()], verbose=0)
np.save(out, np.concatenate([w.ravel() for w in model.get_weights()]))

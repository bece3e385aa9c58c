"""Models the chapters share. Each returns an uncompiled ``keras.Model`` whose
last layer outputs logits (no softmax): pair it with a loss built with
``from_logits=True``, or see chapter 3 for what goes wrong otherwise."""
import keras
from keras import layers


def mnist_cnn(input_shape=(28, 28, 1), num_classes=10, *, first_filters=32, first_kernel=3,
              dropout=0.0, name="mnist_cnn"):
    """The articles' CNN: conv 32 (3×3) → pool → conv 64 (3×3) → pool → dense 128 → logits.

    ``first_filters`` and ``first_kernel`` change the first convolution; ``dropout`` adds a
    dropout layer before and after the dense layer (active only with ``training=True``).
    """
    if len(input_shape) != 3 or not all(isinstance(n, int) and n > 0 for n in input_shape):
        raise ValueError(f"input_shape must be (height, width, channels), got {input_shape!r}")
    smallest = first_kernel + 7  # leaves 1×1 after the first convolution, a pooling, a 3×3 convolution, a pooling
    if input_shape[0] < smallest or input_shape[1] < smallest:
        raise ValueError(f"images must be at least {smallest}×{smallest} for a {first_kernel}×{first_kernel} "
                         f"and a 3×3 convolution and two poolings, got {input_shape[0]}×{input_shape[1]}")
    if not 0.0 <= dropout < 1.0:
        raise ValueError(f"dropout must be in [0, 1), got {dropout}")
    maybe_dropout = lambda: [layers.Dropout(dropout)] if dropout else []  # a new layer each time
    return keras.Sequential([
        keras.Input(input_shape),
        layers.Conv2D(first_filters, first_kernel, activation="relu"),
        layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, activation="relu"),
        layers.MaxPooling2D(2),
        layers.Flatten(),
        *maybe_dropout(),
        layers.Dense(128, activation="relu"),
        *maybe_dropout(),
        layers.Dense(num_classes),
    ], name=name)


def mlp(input_shape, hidden=(128,), num_classes=10, activation="relu", dropout=0.0, name="mlp"):
    """A multilayer perceptron: flatten → dense hidden layers → logits."""
    stack = [keras.Input(input_shape), layers.Flatten()]
    for units in hidden:
        stack.append(layers.Dense(units, activation=activation))
        if dropout:
            stack.append(layers.Dropout(dropout))
    stack.append(layers.Dense(num_classes))
    return keras.Sequential(stack, name=name)


def compile_classifier(model, learning_rate=1e-3, optimizer=None):
    """Adam (or ``optimizer``), sparse categorical cross-entropy on logits, accuracy."""
    model.compile(
        optimizer=optimizer or keras.optimizers.Adam(learning_rate),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    return model


def digit_cnn(input_shape=(28, 28, 1), num_classes=10, *, dropout=0.25, name="digit_cnn"):
    """The articles' CNN, made cheaper and regularised for a few thousand digits (chapter 6).

    The layout of :func:`mnist_cnn`, but the first layer has 16 filters of 5×5 instead of
    32 of 3×3, which cuts the work of the second convolution to less than half (its input has
    16 channels instead of 32, its output 10×10 pixels instead of 11×11) and gives the same 5×5×64
    features on 28×28 digits; ``dropout`` before and after the dense layer.
    """
    return mnist_cnn(input_shape, num_classes, first_filters=16, first_kernel=5, dropout=dropout, name=name)


def digit_augmentation(shift=0.08, rotation=0.03, zoom=0.08, name="augment"):
    """Random small distortions of digits: a shift (a fraction ``shift`` of the height and
    width), a rotation (a fraction ``rotation`` of a full turn) and a zoom, each filling with
    black. Call it with ``training=True`` to distort; with ``training=False`` it returns the
    images unchanged. Use it in a ``tf.data`` pipeline (chapter 6) or as a model's first layer."""
    stack = []
    if shift:
        stack.append(layers.RandomTranslation(shift, shift, fill_mode="constant"))
    if rotation:
        stack.append(layers.RandomRotation(rotation, fill_mode="constant"))
    if zoom:
        stack.append(layers.RandomZoom(zoom, fill_mode="constant"))
    if not stack:
        raise ValueError("digit_augmentation needs at least one of shift, rotation and zoom")
    return keras.Sequential(stack, name=name)

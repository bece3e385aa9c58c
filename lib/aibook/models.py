"""Models the chapters share. Each returns an uncompiled ``keras.Model`` whose
last layer outputs logits (no softmax): pair it with a loss built with
``from_logits=True``, or see chapter 3 for what goes wrong otherwise."""
import keras
from keras import layers


def mnist_cnn(input_shape=(28, 28, 1), num_classes=10, name="seed_cnn"):
    """The seeds' CNN: conv 32 → pool → conv 64 → pool → dense 128 → logits."""
    return keras.Sequential([
        keras.Input(input_shape),
        layers.Conv2D(32, 3, activation="relu"),
        layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, activation="relu"),
        layers.MaxPooling2D(2),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
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

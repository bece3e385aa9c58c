import keras
import numpy as np
import pytest

from aibook import config, data, models

SEED_SHAPES = [(26, 26, 32), (13, 13, 32), (11, 11, 64), (5, 5, 64), (1600,), (128,), (10,)]
# (3·3·1 + 1)·32 + (3·3·32 + 1)·64 + (1600 + 1)·128 + (128 + 1)·10
SEED_PARAMETERS = 320 + 18_496 + 204_928 + 1_290


def test_seed_cnn_goes_28_26_13_11_5_and_ends_in_ten_logits():
    model = models.mnist_cnn()
    assert [tuple(layer.output.shape[1:]) for layer in model.layers] == SEED_SHAPES
    assert model.count_params() == SEED_PARAMETERS
    assert model.layers[-1].activation is keras.activations.linear  # logits, no softmax


DIGIT_SHAPES = [(24, 24, 16), (12, 12, 16), (10, 10, 64), (5, 5, 64), (1600,), (128,), (10,)]
# (5·5·1 + 1)·16 + (3·3·16 + 1)·64 + (1600 + 1)·128 + (128 + 1)·10
DIGIT_PARAMETERS = 416 + 9_280 + 204_928 + 1_290


def test_digit_cnn_keeps_the_seeds_layout_with_a_5x5_first_layer_and_ends_in_logits():
    model = models.digit_cnn(dropout=0)
    weighted_or_pooling = [layer for layer in model.layers if layer.weights or "pooling" in layer.name
                           or "flatten" in layer.name]
    assert [tuple(layer.output.shape[1:]) for layer in weighted_or_pooling] == DIGIT_SHAPES
    assert model.count_params() == DIGIT_PARAMETERS
    assert model.layers[-1].activation is keras.activations.linear  # logits, no softmax
    assert models.digit_cnn(dropout=0.25).count_params() == DIGIT_PARAMETERS  # dropout adds no weights


@pytest.fixture(scope="module")
def some_digits(real_data_dir):
    return data.load_mnist(source="offline").x_val[:64]


def test_digit_cnn_is_deterministic_in_inference_and_augments_only_in_training(some_digits):
    config.seed(0)
    digit, plain = models.digit_cnn(dropout=0.25), models.digit_cnn(shift=0, rotation=0, zoom=0, dropout=0)
    plain.set_weights(digit.get_weights())
    inference = digit(some_digits, training=False).numpy()
    np.testing.assert_array_equal(inference, digit(some_digits, training=False))
    np.testing.assert_allclose(inference, plain(some_digits), rtol=1e-5, atol=1e-6)
    training = digit(some_digits, training=True).numpy()
    assert np.abs(training - inference).max() > 1e-3, "augmentation and dropout must change a training pass"


def test_digit_cnn_without_augmentation_or_dropout_trains_on_the_images_as_they_are(some_digits):
    plain = models.digit_cnn(shift=0, rotation=0, zoom=0, dropout=0)
    assert not any("random" in layer.name or "dropout" in layer.name for layer in plain.layers)
    np.testing.assert_allclose(plain(some_digits, training=True), plain(some_digits, training=False),
                               rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("shape", [(28, 28), (28, 28, 1, 1), (28.0, 28, 1), (8, 8, 1)])
def test_digit_cnn_rejects_shapes_it_cannot_take(shape):
    with pytest.raises(ValueError, match="input_shape|at least 12"):
        models.digit_cnn(input_shape=shape)


def test_digit_cnn_takes_images_down_to_12x12():
    model = models.digit_cnn(input_shape=(12, 12, 1))
    assert tuple(model(np.zeros((2, 12, 12, 1), "float32")).shape) == (2, 10)


@pytest.mark.parametrize("dropout", [-0.1, 1.0])
def test_digit_cnn_rejects_a_dropout_rate_outside_0_1(dropout):
    with pytest.raises(ValueError, match="dropout"):
        models.digit_cnn(dropout=dropout)


def test_digit_cnn_learns_real_digits_in_two_epochs(real_data_dir):
    config.seed(0)
    digits = data.load_mnist(source="offline", n_train=2000)
    model = models.compile_classifier(models.digit_cnn())
    model.fit(digits.x_train, digits.y_train, epochs=2, batch_size=64, verbose=0)
    _, accuracy = model.evaluate(digits.x_val, digits.y_val, verbose=0)
    assert accuracy > 0.85

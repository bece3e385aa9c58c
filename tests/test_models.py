import keras
import numpy as np
import pytest

from aibook import config, data, models

SEED_SHAPES = [(26, 26, 32), (13, 13, 32), (11, 11, 64), (5, 5, 64), (1600,), (128,), (10,)]
# (3·3·1 + 1)·32 + (3·3·32 + 1)·64 + (1600 + 1)·128 + (128 + 1)·10
SEED_PARAMETERS = 320 + 18_496 + 204_928 + 1_290


def test_the_articles_cnn_goes_28_26_13_11_5_and_ends_in_ten_logits():
    model = models.mnist_cnn()
    assert [tuple(layer.output.shape[1:]) for layer in model.layers] == SEED_SHAPES
    assert model.count_params() == SEED_PARAMETERS
    assert model.layers[-1].activation is keras.activations.linear  # logits, no softmax


DIGIT_SHAPES = [(24, 24, 16), (12, 12, 16), (10, 10, 64), (5, 5, 64), (1600,), (128,), (10,)]
# (5·5·1 + 1)·16 + (3·3·16 + 1)·64 + (1600 + 1)·128 + (128 + 1)·10
DIGIT_PARAMETERS = 416 + 9_280 + 204_928 + 1_290


def test_digit_cnn_keeps_the_articles_layout_with_a_5x5_first_layer_and_ends_in_logits():
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


def test_digit_cnn_is_deterministic_in_inference_and_drops_out_only_in_training(some_digits):
    config.seed(0)
    digit, plain = models.digit_cnn(dropout=0.25), models.digit_cnn(dropout=0)
    plain.set_weights(digit.get_weights())
    inference = keras.ops.convert_to_numpy(digit(some_digits, training=False))
    np.testing.assert_array_equal(inference, digit(some_digits, training=False))
    np.testing.assert_allclose(inference, plain(some_digits), rtol=1e-5, atol=1e-6)
    training = keras.ops.convert_to_numpy(digit(some_digits, training=True))
    assert np.abs(training - inference).max() > 1e-3, "dropout must change a training pass"
    np.testing.assert_allclose(plain(some_digits, training=True), plain(some_digits, training=False),
                               rtol=1e-6, atol=1e-6)


def test_digit_augmentation_distorts_only_in_training_and_keeps_the_shape(some_digits):
    config.seed(0)
    augment = models.digit_augmentation()
    np.testing.assert_array_equal(augment(some_digits, training=False), some_digits)
    distorted = keras.ops.convert_to_numpy(augment(some_digits, training=True))
    assert distorted.shape == some_digits.shape
    changed = np.abs(distorted - some_digits).max(axis=(1, 2, 3)) > 0.1
    assert changed.mean() > 0.9, "nearly every digit should move"
    # a shift, turn or zoom of a few percent moves ink around but keeps most of it in the frame
    np.testing.assert_allclose(distorted.sum(axis=(1, 2, 3)), some_digits.sum(axis=(1, 2, 3)), rtol=0.25)


def test_digit_augmentation_with_nothing_to_do_is_an_error():
    with pytest.raises(ValueError, match="at least one"):
        models.digit_augmentation(shift=0, rotation=0, zoom=0)


@pytest.mark.parametrize("shape", [(28, 28), (28, 28, 1, 1), (28.0, 28, 1), (8, 8, 1)])
def test_digit_cnn_rejects_shapes_it_cannot_take(shape):
    with pytest.raises(ValueError, match="input_shape|at least 12"):
        models.digit_cnn(input_shape=shape)


def test_digit_cnn_takes_images_down_to_12x12_and_the_articles_cnn_down_to_10x10():
    model = models.digit_cnn(input_shape=(12, 12, 1))
    assert tuple(model(np.zeros((2, 12, 12, 1), "float32")).shape) == (2, 10)
    assert tuple(models.mnist_cnn(input_shape=(10, 10, 3)).output_shape) == (None, 10)
    with pytest.raises(ValueError, match="at least 10"):
        models.mnist_cnn(input_shape=(9, 9, 1))


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

import ast
import inspect
import json
import pathlib
import re

import keras
import numpy as np
import pytest

from aibook import nn

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_softmax_rows_sum_to_one_and_survive_large_logits():
    z = np.array([[1.0, 2.0, 3.0], [1000.0, 1001.0, 999.0]])
    p = nn.softmax(z)
    np.testing.assert_allclose(p.sum(axis=-1), 1.0)
    np.testing.assert_allclose(p[1], nn.softmax(z[1] - 1000))  # a shift of the logits changes nothing
    np.testing.assert_allclose(p, np.asarray(keras.ops.softmax(z)), rtol=1e-6)
    assert np.isfinite(p).all()


def test_sigmoid_matches_keras_and_does_not_overflow():
    z = np.array([-1000.0, -3.0, 0.0, 2.5, 1000.0])
    with np.errstate(over="raise"):
        s = nn.sigmoid(z)
    np.testing.assert_allclose(s, np.asarray(keras.ops.sigmoid(z)), rtol=1e-6, atol=1e-12)
    assert s[2] == 0.5


def test_cross_entropy_from_logits_is_keras_sparse_categorical_crossentropy():
    rng = np.random.default_rng(0)
    logits, labels = rng.normal(0, 5, (20, 7)), rng.integers(0, 7, 20)
    expected = keras.losses.sparse_categorical_crossentropy(labels, logits, from_logits=True)
    # Keras computes in float32 on some back ends (JAX): agreement to float32 rounding
    np.testing.assert_allclose(nn.cross_entropy_from_logits(labels, logits), np.asarray(expected), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(nn.logsumexp(logits), np.log(np.exp(logits).sum(axis=-1)), rtol=1e-12)


def test_cross_entropy_from_logits_names_bad_labels():
    with pytest.raises(ValueError, match="labels must be integers in 0..2"):
        nn.cross_entropy_from_logits(np.array([0, 3]), np.zeros((2, 3)))
    with pytest.raises(ValueError, match="want logits"):
        nn.cross_entropy_from_logits(np.array([0]), np.zeros((2, 3)))


@pytest.mark.parametrize("n, k, s, p", [(28, 3, 1, 0), (28, 5, 2, 2), (13, 3, 2, "same"), (7, 7, 1, "valid")])
def test_conv_output_size_matches_a_keras_convolution(n, k, s, p):
    padding = p if isinstance(p, str) else "valid"
    x = np.zeros((1, n + 2 * (p if isinstance(p, int) else 0), 1, 1), "float32")
    out = keras.layers.Conv2D(1, (k, 1), strides=(s, 1), padding=padding)(x)
    assert nn.conv_output_size(n, k, s, p) == out.shape[1]


def test_conv_output_size_refuses_a_kernel_larger_than_its_input():
    with pytest.raises(ValueError, match="does not fit"):
        nn.conv_output_size(2, 3)


def _chapter_definitions(name):
    """(notebook, source) of every top-level ``def name`` in the chapters."""
    found = []
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] != "code":
                continue
            source = "".join(cell["source"])
            # an IPython magic (%pip) becomes `pass`, keeping its indentation
            code = "\n".join(line[:len(line) - len(line.lstrip())] + "pass" if line.lstrip().startswith(("%", "!"))
                             else line for line in source.splitlines())
            for node in ast.parse(code).body:
                if isinstance(node, ast.FunctionDef) and node.name == name:
                    found.append((path.name, node))
    return found


@pytest.mark.parametrize("name", ["sigmoid", "softmax", "logsumexp", "cross_entropy_from_logits", "conv_output_size"])
def test_the_chapter_that_derives_a_saved_function_defines_it_with_the_same_signature(name):
    function = getattr(nn, name)
    chapter = int(re.search(r"\(chapter (\d+)\)", function.__doc__ or "").group(1))
    definitions = _chapter_definitions(name)
    assert [nb for nb, _ in definitions] and all(nb.startswith(f"{chapter:02d}_") for nb, _ in definitions), \
        f"{name} is derived in chapter {chapter} only and imported after it; defined in {[nb for nb, _ in definitions]}"
    library = [p.name for p in inspect.signature(function).parameters.values() if p.default is p.empty]
    for notebook, node in definitions:
        assert [a.arg for a in node.args.args][:len(library)] == library, \
            f"{notebook} defines {name}({', '.join(a.arg for a in node.args.args)}), the library {name}({', '.join(library)})"

import numpy as np

from aibook import exercises


def test_digest_ignores_differences_below_the_rounding():
    assert exercises.digest(0.123456) == exercises.digest(0.12346)
    assert exercises.digest(0.1234) != exercises.digest(0.1235)
    assert exercises.digest(np.array([1.0, -0.0])) == exercises.digest([1, 0])
    assert exercises.digest([1, 2]) != exercises.digest([[1, 2]])  # shape counts
    assert exercises.digest(" ReLU ") == exercises.digest("relu")


def test_check_says_right_or_wrong_without_printing_the_answer(capsys):
    expect = exercises.digest(0.6931)
    assert exercises.check(np.log(2), expect) is None  # nothing for the cell to echo
    assert "Correct" in capsys.readouterr().out
    exercises.check(0.5, expect, hint="natural log")
    out = capsys.readouterr().out
    assert "Not yet" in out and "natural log" in out and "0.69" not in out


def test_check_rejects_values_it_cannot_compare(capsys):
    assert exercises.is_correct(object(), exercises.digest(1.0)) is False
    exercises.check(object(), exercises.digest(1.0))
    assert "should be a number" in capsys.readouterr().out
    assert exercises.is_correct(1.00001, exercises.digest(1.0)) is True

import ipywidgets
import pytest

from aibook import widgets


def test_static_build_calls_the_function_once_with_the_starting_values(monkeypatch):
    monkeypatch.setenv("AIBOOK_STATIC", "1")
    calls = []
    widgets.interact(lambda p, name: calls.append((p, name)),
                     p=ipywidgets.FloatSlider(value=0.3, min=0, max=1), name=["sgd", "adam"])
    assert calls == [(0.3, "sgd")]


def test_live_kernel_displays_controls_that_rerun_the_function(monkeypatch):
    monkeypatch.delenv("AIBOOK_STATIC", raising=False)
    shown, calls = [], []
    monkeypatch.setattr(widgets, "display", shown.append)
    panel = widgets.interact(lambda p: calls.append(p), p=(0.0, 1.0, 0.1))
    assert shown == [panel]
    panel.children[0].value = 0.7
    assert calls[-1] == pytest.approx(0.7)


def test_is_static_is_decided_by_config(monkeypatch):
    """Chapters call ``widgets.is_static()``; ``aibook.config`` owns the variable behind it."""
    from aibook import config

    for value, expected in (("1", True), ("yes", True), ("0", False), ("", False)):
        monkeypatch.setenv("AIBOOK_STATIC", value)
        assert widgets.is_static() is config.is_static() is expected
    monkeypatch.setattr(config, "is_static", lambda: True)
    assert widgets.is_static() is True

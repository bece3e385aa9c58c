"""Interactive figures that degrade to static ones in the built site.

A live kernel (Jupyter, Colab) gets ipywidgets controls; the book build sets
``AIBOOK_STATIC=1`` (no kernel will be there to answer the controls), so the
same call draws the figure once, at the controls' starting values.

Works with ipywidgets 7.7 (Colab's) and 8.
"""
import ipywidgets
from IPython.display import display

from . import config


def is_static():
    """Whether this run renders a static page (the book build) rather than a live notebook;
    :func:`aibook.config.is_static` decides (chapters call it by this name)."""
    return config.is_static()


def interact(function, **controls):
    """``function(**values)`` driven by ipywidgets controls (a slider, a dropdown, ...).

    Controls are ipywidgets widgets or ipywidgets' abbreviations (``(0, 1, 0.1)``,
    a list of options). Returns the ``ipywidgets.interactive`` object.
    """
    if is_static():
        # manual: build the controls without running the function inside a widget's output
        panel = ipywidgets.interactive(function, {"manual": True}, **controls)
        function(**{w._kwarg: w.get_interact_value() for w in panel.kwargs_widgets})
    else:
        panel = ipywidgets.interactive(function, **controls)
        display(panel)
    return panel

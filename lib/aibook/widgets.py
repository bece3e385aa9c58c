"""Interactive figures that degrade to static ones in the built site.

A live kernel (Jupyter, Colab) gets ipywidgets controls; the book build sets
``AIBOOK_STATIC=1`` (no kernel will be there to answer the controls), so the
same call draws the figure once, at the controls' starting values.
"""
import os

import ipywidgets
from IPython.display import display


def is_static():
    """Whether this run renders a static page (the book build) rather than a live notebook."""
    return os.environ.get("AIBOOK_STATIC", "").strip().lower() in ("1", "true", "yes")


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

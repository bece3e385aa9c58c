"""The bridge between a running notebook and the built book page.

:func:`glue` hands a value a cell computed to the page's prose (myst-nb's
``{glue}`` roles), so that every number in the text is one the page's own run
produced. Outside a book build (Colab, a plain Jupyter) it only displays the value.
"""


def glue(name, value, display=False):
    """Store ``value`` under ``name`` for the page. Returns nothing, so that a glue call
    on a cell's last line adds no stray output to the page."""
    try:
        from myst_nb import glue as myst_glue
    except ImportError:  # Colab has no myst-nb: the reader sees the value in the cell instead
        if display:
            from IPython.display import display as show

            show(value)
        return
    myst_glue(name, value, display=display)

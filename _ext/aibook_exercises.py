"""Sphinx hook for exercise solutions (a local extension, listed in _config.yml).

A code solution in a chapter notebook marks the lines a student must write with
``### BEGIN SOLUTION`` / ``### END SOLUTION`` (the instructor command replaces them
in the student notebook). On the site the solution is collapsed under its question
(tag ``hide-input``); the markers are for tools, not readers, so they are dropped here.
"""
import re

from docutils import nodes

MARKER = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[^\n]*\n?", re.MULTILINE)


def _strip_markers(app, doctree):
    for cell in doctree.findall(nodes.container):
        if "tag_solution" not in cell.get("classes", []):
            continue
        for block in cell.findall(nodes.literal_block):
            text = block.astext()
            if "### " in text:
                clean = MARKER.sub("", text)
                block.children = [nodes.Text(clean)]
                block.rawsource = clean


def setup(app):
    app.connect("doctree-read", _strip_markers)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

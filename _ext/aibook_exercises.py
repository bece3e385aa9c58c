"""Sphinx hooks for exercises (a local extension, listed in _config.yml).

Exercises are numbered per chapter, "Exercise 6.2", not across the book: Sphinx numbers
enumerable nodes across every unnumbered document, so the second exercise of chapter 6 would
be "Exercise 27". :func:`_number_per_chapter` renumbers them from the chapter's file name.

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


CHAPTER = re.compile(r"(?:^|/)(\d\d)_[^/]*$")


def _number_per_chapter(app, env):
    # after Sphinx's TocTreeCollector has numbered every figure type (its own env-get-updated
    # handler, at the default priority)
    for docname, numbers in env.toc_fignumbers.items():
        chapter = CHAPTER.search(docname)
        exercises = numbers.get("exercise")
        if not chapter or not exercises:
            continue
        # keep the order Sphinx found them in, restart at 1 with the chapter's number in front
        ordered = sorted(exercises, key=lambda node_id: exercises[node_id])
        numbers["exercise"] = {node_id: (int(chapter.group(1)), k) for k, node_id in enumerate(ordered, 1)}
    return []  # no further document to re-read


def setup(app):
    app.connect("doctree-read", _strip_markers)
    app.connect("env-get-updated", _number_per_chapter, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

"""aibook: the shared library of the course book "Deep learning from concepts to code".

Chapters import what they need: ``from aibook import config, data, models, train, plots``.
"""
__version__ = "0.1.0"

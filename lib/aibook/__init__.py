"""aibook: the shared library of the course book "Deep learning from concepts to code".

Where code lives (one line a module):

The shared core, imported by any chapter (``from aibook import config, data, models, ...``)
    config      fast/full mode, seeding; the only reader of the book's environment variables
    data        real data sets behind one loader shape (a package: dataset type, fetching, one module per set)
    nn          functions a chapter derives and checks, saved for the chapters after it
    models      Keras models more than one chapter builds
    pretrained  models one chapter trains and later chapters load, trained once per machine
    train       a thin layer over ``model.fit``, a ``GradientTape`` step, epoch timing
    plots       learning curves, image grids, confusion matrices
    serving     a model behind a FastAPI endpoint run by uvicorn, and a load test (``aibook[serving]``)
Page helpers, for the notebook and the built page
    book        ``glue``: numbers computed by a cell, shown in the prose
    widgets     interactive figures that are drawn once in the static site
    exercises   self-checks that say right or wrong without giving the answer
Helpers that serve one chapter each
    chapters    ``chapters.ch02`` (a Keras network as a scikit-learn estimator), ``chapters.ch04``
                (optimizer paths), ``chapters.ch11`` (toy-text environments stepped in lockstep)
Tools no chapter imports (``pip install "aibook[instructor]"``)
    instructor  student notebooks and an autograder from the chapters' exercises
"""
__version__ = "0.1.0"

"""The library's dependency ranges (pyproject.toml) admit both what Colab ships
(tests/colab_stack.txt: installing the library there must replace nothing) and the exact
versions the book is built and tested with (requirements.txt)."""
import pathlib
import tomllib

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = pathlib.Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
CORE = [Requirement(r) for r in PROJECT["dependencies"]]
EXTRAS = {extra: [Requirement(r) for r in reqs] for extra, reqs in PROJECT["optional-dependencies"].items()}


def pins(path):
    """``{canonical name: version}`` of the ``name==version`` lines of a requirements file
    (comments, options such as ``-e .[instructor]`` and blank lines skipped)."""
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        req = Requirement(line)
        specs = list(req.specifier)
        assert len(specs) == 1 and specs[0].operator == "==", f"{path.name}: {line!r} is not an exact pin"
        found[canonicalize_name(req.name)] = specs[0].version
    return found


COLAB = pins(ROOT / "tests" / "colab_stack.txt")
TESTED = pins(ROOT / "requirements.txt")


def _applies(req):
    return req.marker is None or req.marker.evaluate({"extra": ""})


def test_the_colab_stack_is_the_one_recorded():
    assert COLAB == {"tensorflow": "2.19.0", "keras": "3.10.0", "numpy": "2.0.2", "scikit-learn": "1.6.1",
                     "matplotlib": "3.10.0", "pandas": "2.2.2", "ipywidgets": "7.7.1"}


@pytest.mark.parametrize("req", CORE, ids=str)
def test_every_dependency_admits_what_colab_ships(req):
    """A dependency Colab does not ship would be installed there; one it ships outside the
    range would be replaced (as ``ipywidgets>=8`` replaced Colab's 7.7.1)."""
    name = canonicalize_name(req.name)
    assert name in COLAB, (f"{req.name} is a dependency of the library but not in tests/colab_stack.txt: "
                           "add Colab's version of it (or make it optional)")
    assert req.specifier.contains(COLAB[name], prereleases=True), (
        f"pyproject.toml asks for {req}, but Colab ships {req.name} {COLAB[name]}: pip would replace it")


@pytest.mark.parametrize("req", [r for reqs in EXTRAS.values() for r in reqs
                                 if canonicalize_name(r.name) in COLAB], ids=str)
def test_every_extra_admits_what_colab_ships(req):
    assert req.specifier.contains(COLAB[canonicalize_name(req.name)], prereleases=True)


@pytest.mark.parametrize("req", [r for r in CORE + [r for reqs in EXTRAS.values() for r in reqs]
                                 if canonicalize_name(r.name) in TESTED], ids=str)
def test_the_tested_pins_are_inside_the_declared_ranges(req):
    """Otherwise the book would be tested with versions the library says it does not support."""
    version = TESTED[canonicalize_name(req.name)]
    assert req.specifier.contains(version, prereleases=True), (
        f"requirements.txt pins {req.name}=={version}, outside the library's range {req}")


def test_every_library_dependency_is_pinned_for_the_tests():
    missing = [str(r) for r in CORE + [r for reqs in EXTRAS.values() for r in reqs]
               if _applies(r) and canonicalize_name(r.name) not in TESTED]
    assert not missing, f"requirements.txt pins no version of {', '.join(missing)}"


def test_the_tests_install_the_library_with_the_instructor_extra():
    lines = [line.split("#", 1)[0].strip() for line in (ROOT / "requirements.txt").read_text().splitlines()]
    assert "-e .[instructor]" in lines
    assert {canonicalize_name(r.name) for r in EXTRAS["instructor"]} == {"nbformat", "nbclient"}
    assert not {"nbformat", "nbclient"} & {canonicalize_name(r.name) for r in CORE}

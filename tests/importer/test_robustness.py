"""Whatever it is fed, the parser either returns a result or raises FicheParseError, never anything
else; and a 30-page fiche parses well under a second."""

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importer.parsing import FicheParseError, parse, parse_bytes

from .helpers import data_text, example_text

EXAMPLE_LINES = example_text().split("\n")
SAMPLES = [example_text(), data_text("word_export_legislative.txt"), data_text("bullets_glued.txt"), data_text("layout_2007.txt"),
           data_text("batch_letter_revised.txt")]


def parses_or_refuses(run):
    try:
        result = run()
    except FicheParseError as error:
        assert str(error)
        return
    assert set(result.to_json()) and isinstance(result.data["warnings"], list)


@st.composite
def mutated_fiche(draw):
    lines = list(draw(st.sampled_from(SAMPLES)).split("\n"))
    for _ in range(draw(st.integers(0, 12))):
        action = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "truncate", "digits"]))
        if not lines:
            break
        index = draw(st.integers(0, len(lines) - 1))
        if action == "delete":
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, lines[index])
        elif action == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        elif action == "insert":
            lines.insert(index, draw(st.text(max_size=80)))
        elif action == "truncate":
            lines = lines[:index]
        else:
            lines[index] = f"{draw(st.integers(0, 40))} {lines[index]}{draw(st.integers(0, 40))}"
    return "\n".join(lines)


class RobustnessTests:
    @settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(mutated_fiche())
    def test_mutated_fiches_parse_or_fail_in_the_documented_way(self, text):
        parses_or_refuses(lambda: parse(text))

    @settings(max_examples=150, deadline=None)
    @given(st.text(max_size=3000))
    def test_random_text_parses_or_fails_in_the_documented_way(self, text):
        parses_or_refuses(lambda: parse(text))

    @settings(max_examples=150, deadline=None)
    @given(st.binary(max_size=3000))
    def test_random_bytes_parse_or_fail_in_the_documented_way(self, data):
        parses_or_refuses(lambda: parse_bytes(data, "x"))

    @settings(max_examples=60, deadline=None)
    @given(st.binary(max_size=400), st.sampled_from([b"%PDF-1.4\n", b"PK\x03\x04"]))
    def test_damaged_pdf_and_word_files_fail_in_the_documented_way(self, data, magic):
        parses_or_refuses(lambda: parse_bytes(magic + data, "x"))


def thirty_page_fiche():
    """The example fiche (about 6 pages) with its body repeated to about 30 pages, footnotes renumbered."""
    head, body = example_text().split("2. Essentie voorstel", 1)
    number = 0

    def renumber(text):
        nonlocal number
        import re

        mapping = {}

        def replace(match):
            nonlocal number
            old = match.group(0)
            if old not in mapping:
                number += 1
                mapping[old] = str(number)
            return mapping[old]

        return re.sub(r"(?m)(?<=[A-Za-z.)])(?:1[0-7]|[1-9])(?=[\s.,)])|^(?:1[0-7]|[1-9])(?= )", replace, text)

    return head + "2. Essentie voorstel" + "".join(renumber(body) for _ in range(5))


class LongFicheTests:
    # How fast it parses is measured in `make bench` (the import figure), not here.
    def test_a_thirty_page_fiche_parses_with_all_its_footnotes(self):
        text = thirty_page_fiche()
        assert text.count("\f") == 0 and len(text) > 5 * len(example_text()) * 0.8
        result = parse(text)
        assert len(result.data["footnotes"]) > 17 * 4


def test_shuffled_example_lines_never_crash():
    rng = random.Random(4)
    for _ in range(20):
        lines = EXAMPLE_LINES[:]
        rng.shuffle(lines)
        parses_or_refuses(lambda lines=lines: parse("\n".join(lines)))

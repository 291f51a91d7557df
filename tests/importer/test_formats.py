"""Accuracy: six invented fiches of different eras and both templates (tests/importer/corpus/), each as text, as the
PDF the official publication prints (also with every word placed on its own), as Word with the general data in a
two-column table, and as the official HTML page and Kamerstuk XML. Every field comes out right from the text, and
every format gives exactly what the text gives."""

import pytest

from importer.parsing import parse_bytes

from . import formats

# The truth, written by hand from the fiches: what a careful reader takes from each.
TRUTH = {
    "2008_label_colon_legislative": {
        "kamerstuk": "22112-650", "batch_letter": None, "batch_position": 2, "template": "legislative", "revision": False,
        "documents": [("COM(2006) 232", "52006PC0232")], "received_on": "2006-09-22", "impact_assessment": "SEC(2006) 1165",
        "council": "ENVI", "lead": "VROM", "co": [],
        "legal": ("Artikel 175, lid 1, EG-Verdrag", "Gekwalificeerde meerderheid", "Medebeslissing"),
        "verdicts": ("positief", "positief met kanttekeningen", "negatief"), "footnotes": 1, "commitments": ["advocate"],
        "amounts": ["12000000"],
        "sections": ["essence", "subsidiarity", "proportionality", "competence", "financial-eu-budget", "financial-national",
                     "position-assessment"],
    },
    "2013_legislative_two_documents": {
        "kamerstuk": "22112-1650", "batch_letter": "22112-1650", "batch_position": 1, "template": "legislative", "revision": False,
        "documents": [("COM(2013) 295", "52013DC0295"), ("COM(2013) 296", "52013PC0296")], "received_on": "2013-05-23",
        "impact_assessment": "SWD(2013) 181 en SWD(2013) 182", "council": "TTE", "lead": "IenM", "co": [],
        "legal": ("Artikel 100, lid 2, van het Verdrag betreffende de werking van de Europese Unie (VWEU)", "Gekwalificeerde meerderheid",
                  "Medebeslissing"),
        "verdicts": ("positief", "positief", "positief met kanttekeningen"), "footnotes": 1, "commitments": ["advocate"], "amounts": [],
        "sections": ["essence-content", "essence-impact-assessment", "position-policy", "position-assessment", "position-field",
                     "competence", "subsidiarity", "proportionality", "financial-eu-budget", "financial-national",
                     "financial-business-citizens", "legal-national", "implementation", "developing-countries"],
    },
    "2016_batch_letter_unnumbered": {
        "kamerstuk": "22112-2250", "batch_letter": "22112-2250", "batch_position": 4, "template": "legislative", "revision": False,
        "documents": [("COM(2016) 491", "52016PC0491")], "received_on": "2016-09-14", "impact_assessment": "SWD(2016) 297 en SWD(2016) 298",
        "council": None, "lead": "VenJ", "co": ["EZ", "IenM"], "legal": ("Artikel 114 VWEU", "Gekwalificeerde meerderheid", "Medebeslissing"),
        "verdicts": ("positief", "positief", "positief"), "footnotes": 1, "commitments": ["advocate"], "amounts": [],
        "sections": ["essence-content", "essence-impact-assessment", "position-policy", "position-assessment", "position-field",
                     "competence", "subsidiarity", "proportionality", "financial-eu-budget", "financial-national",
                     "financial-business-citizens", "legal-national", "implementation", "developing-countries"],
    },
    "2020_join_communication": {
        "kamerstuk": "22112-2900", "batch_letter": "22112-2900", "batch_position": 2, "template": "communication", "revision": False,
        "documents": [("JOIN(2020) 4", "52020JC0004")], "received_on": "2020-03-09", "impact_assessment": "Niet opgesteld",
        "council": "FAC", "lead": "BZ", "co": ["EZK"], "legal": (None, None, None),
        "verdicts": ("positief", "positief", "neutraal"), "footnotes": 2, "commitments": ["advocate"], "amounts": [],
        "sections": ["essence", "position-policy", "position-assessment", "position-field", "competence", "subsidiarity",
                     "proportionality", "financial", "regulatory-burden"],
    },
    "2024_communication_footnotes": {
        "kamerstuk": "22112-3950", "batch_letter": "22112-3950", "batch_position": 1, "template": "communication", "revision": False,
        "documents": [("COM(2024) 137", "52024DC0137")], "received_on": "2024-03-20", "impact_assessment": "N.v.t.",
        "council": "COMPET", "lead": "EZK", "co": [], "legal": (None, None, None),
        "verdicts": ("positief", "positief", "positief"), "footnotes": 3, "commitments": ["advocate", "inform", "cofinancing"],
        "amounts": ["20000000"],
        "sections": ["essence", "position-policy", "position-assessment", "position-field", "competence", "subsidiarity",
                     "proportionality", "financial", "regulatory-burden"],
    },
    "2025_revised_legislative": {
        "kamerstuk": "22112-4100", "batch_letter": "22112-4100", "batch_position": 3, "template": "legislative", "revision": True,
        "documents": [("COM(2023) 367", "52023PC0367"), ("COM(2023) 366", "52023PC0366")], "received_on": "2023-06-28",
        "impact_assessment": "SWD(2023) 231", "council": "ECOFIN", "lead": "FIN", "co": ["EZ"],
        "legal": ("Artikel 114 van het Verdrag betreffende de werking van de Europese Unie (VWEU)", "Gekwalificeerde meerderheid",
                  "Medebeslissing"),
        "verdicts": ("positief", "positief", "positief met kanttekeningen"), "footnotes": 1, "commitments": ["advocate"],
        "amounts": ["1500000"],
        "sections": ["essence-content", "essence-impact-assessment", "position-policy", "position-assessment", "position-field",
                     "competence", "subsidiarity", "proportionality", "financial-eu-budget", "financial-national",
                     "financial-business-citizens", "competitiveness", "legal-national", "legal-delegated", "legal-implementation-term",
                     "legal-evaluation", "implementation", "developing-countries"],
    },
}


def fields(data):
    """The fields of a parse result that the truth names, in its terms."""
    return {
        "kamerstuk": data["kamerstuk"], "batch_letter": data["batch_letter"], "batch_position": data["batch_position"],
        "template": data["template"], "revision": data["revision"],
        "documents": [(d["reference"], d["celex"]) for d in data["documents"]], "received_on": data["received_on"],
        "impact_assessment": data["impact_assessment"], "council": (data["council_configuration"] or {}).get("code"),
        "lead": (data["lead_ministry"] or {}).get("abbreviation"), "co": [m["abbreviation"] for m in data["co_ministries"]],
        "legal": (data["legal_basis"], data["council_procedure"], data["parliament_role"]),
        "verdicts": tuple(data["verdicts"][k] for k in ("competence", "subsidiarity", "proportionality")),
        "footnotes": len(data["footnotes"]), "commitments": [c["kind"] for c in data["commitments"]],
        "amounts": [a["eur"] for a in data["amounts"]], "sections": [s["key"] for s in data["sections"]],
    }


def everything(data):
    """Every value the importer stores, down to the text of each section and footnote, and the warnings."""
    return {**fields(data), "heading": data["heading"], "titles": [d["title"] for d in data["documents"]],
            "footnote_texts": [(f["number"], f["text"], f["urls"]) for f in data["footnotes"]],
            "commitment_texts": [c["text"] for c in data["commitments"]],
            "section_texts": [(s["key"], s["number"], s["title"], s["text"]) for s in data["sections"]],
            "warnings": sorted(data["warnings"])}


@pytest.fixture(scope="module")
def parsed():
    """Every corpus fiche in every format, parsed once: {(name, format): data}."""
    results = {}
    for name in formats.names():
        source = formats.load(name)
        for kind, make in formats.FORMATS.items():
            results[name, kind] = parse_bytes(make(source), formats.FILENAMES[kind]).data
    return results


def test_the_corpus_is_the_one_the_truth_describes():
    assert formats.names() == sorted(TRUTH)


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_every_field_of_the_text_is_right(parsed, name):
    assert fields(parsed[name, "txt"]) == TRUTH[name]


@pytest.mark.parametrize("kind", [k for k in formats.FORMATS if k != "txt"])
@pytest.mark.parametrize("name", sorted(TRUTH))
def test_each_format_gives_exactly_what_the_text_gives(parsed, name, kind):
    assert everything(parsed[name, kind]) == everything(parsed[name, "txt"])


def test_accuracy_per_format_is_every_field_right(parsed):
    """The figure for the report: fields right out of fields checked, per format, over the whole corpus."""
    score = {}
    for (name, kind), data in parsed.items():
        got, want = fields(data), TRUTH[name]
        right, total = score.get(kind, (0, 0))
        score[kind] = (right + sum(got[key] == value for key, value in want.items()), total + len(want))
    assert score == {kind: (len(TRUTH) * 17, len(TRUTH) * 17) for kind in formats.FORMATS}


def test_the_example_fiche_gains_no_warning():
    """The real example: the new rules (sections by name, derived CELEX, stray footnote numbers, page furniture) find
    nothing to say about it; its only warning stays the Kamerstuk number it does not print."""
    from .helpers import example_text

    data = parse_bytes(example_text().encode(), "fiche.txt").data
    assert data["warnings"] == ["Geen Kamerstuknummer gevonden (bijv. 'Kamerstuk 22 112, nr. 3908'); vul het in bij het publiceren."]
    assert len(data["footnotes"]) == 17 and data["documents"][0]["celex"] == "52024DC0028"

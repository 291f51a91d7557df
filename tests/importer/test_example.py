"""The real example fiche (Fiche 4 of the batch of 1 March 2024) parsed without a database."""

import pytest

from importer.parsing import JSON_KEYS, parse

from .helpers import example_text


@pytest.fixture(scope="module")
def result():
    return parse(example_text())


class ExampleFicheTests:
    def test_it_outputs_exactly_the_documented_keys(self, result):
        assert tuple(result.to_json()) == JSON_KEYS

    def test_it_reads_every_general_data_field(self, result):
        data = result.data
        assert data["heading"] == "Mededeling stimuleren van startups en innovatie in betrouwbare AI"
        assert data["batch_position"] == 4
        assert data["template"] == "communication"
        assert data["revision"] is False
        assert data["documents"] == [{
            "reference": "COM(2024) 28", "celex": "52024DC0028",
            "title": "Mededeling van de Commissie aan het Europees Parlement, de Raad, het Europees Economisch en Sociaal Comité en "
                     "het Comité van de Regio’s over het stimuleren van start-ups en innovatie op het gebied van betrouwbare artificiële intelligentie.",
        }]
        assert data["received_on"] == "2024-01-24"
        assert data["impact_assessment"] == "N.v.t."
        assert data["council_configuration"] == {"code": "TTE", "raw": "Raad Vervoer, Telecommunicatie en Energie (Telecom)"}
        assert data["lead_ministry"] == {"abbreviation": "EZK", "raw": "Ministerie van Economische Zaken en Klimaat"}
        assert data["co_ministries"] == []
        assert data["legal_basis"] is None and data["council_procedure"] is None and data["parliament_role"] is None

    def test_it_warns_that_the_kamerstuk_number_is_not_in_the_text(self, result):
        assert result.data["kamerstuk"] is None
        assert any("Kamerstuknummer" in w for w in result.data["warnings"])

    def test_it_finds_all_sections_in_order_with_their_numbers(self, result):
        assert [(s["key"], s["number"]) for s in result.data["sections"]] == [
            ("essence", "2"), ("position-policy", "3a"), ("position-assessment", "3b"), ("position-field", "3c"),
            ("competence", "4a"), ("subsidiarity", "4b"), ("proportionality", "4c"), ("financial", "4d"), ("regulatory-burden", "4e"),
        ]
        assert result.data["sections"][8]["title"] == "Gevolgen voor regeldruk, concurrentiekracht en geopolitieke aspecten"

    def test_it_restores_paragraphs_broken_by_footnotes_and_pages(self, result):
        essence = result.data["sections"][0]["text"]
        assert "als onderdeel van een breder AI-innovatiepakket. In deze mededeling" in essence
        assert "wordt meegenomen in de eerstvolgende geannoteerde agenda voor de formele Telecomraad. Over het voorstel" in essence
        assert "De taken van de AI Office komen enerzijds voort uit de AI-verordening. De AI Office" in essence
        assert essence.count("\n\n") == 6  # seven paragraphs
        assert essence.endswith("AgriFood, wetenschap en de publieke sector.")
        last = result.data["sections"][-1]["text"]
        assert last.endswith("concurrerend te blijven en het Europese AI-ecosysteem te ondersteunen.")
        assert "mondiale concurrentiestrijd. Partijen buiten de EU" in last

    def test_it_leaves_no_footnote_line_or_number_inside_the_text(self, result):
        text = "\n\n".join(s["text"] for s in result.data["sections"])
        for fragment in ("Commission launches", "https://", "Kamerstuk 2022, 26 643", "Zie voor de samenhang", "Cion doc",
                         "innovatiepakket.1", "verordening4", "(SAPAI)10", "Economie17", "[^"):
            assert fragment not in text

    def test_it_keeps_footnote_markers_for_the_database(self, result):
        marked = {s["key"]: s["text"] for s in result.marked_sections}
        assert "breder AI-innovatiepakket.[^1] In deze" in marked["essence"]
        assert "(SAPAI)[^10], de Kabinetsreactie" in marked["position-policy"]
        assert "Strategie Digitale Economie[^17], met als doel" in marked["position-assessment"]
        markers = [n for text in marked.values() for n in range(1, 18) if f"[^{n}]" in text]
        assert markers == list(range(1, 18))

    def test_it_reads_all_seventeen_footnotes_with_their_links(self, result):
        notes = result.data["footnotes"]
        assert [n["number"] for n in notes] == list(range(1, 18))
        assert notes[0] == {"number": 1, "text": "Commission launches AI innovation package (europa.eu)",
                            "urls": ["https://ec.europa.eu/commission/presscorner/detail/en/ip_24_383"]}
        assert notes[2]["text"].endswith("start-ups to boost European leadership in trustworthy Artificial Intelligence, COM(2024) 29, 24 januari 2024.")
        assert notes[9]["text"] == (
            "Strategisch Actieplan voor Artificiële intelligentie, Kamerstukken 2019–2020, 26 643 en 32 761, nr. 640 "
            "Zie voor de samenhang van SAPAI met andere beleidsstukken tot oktober 2023, de bijlage ‘Samenhang Strategisch Actieplan "
            "voor AI met andere beleidsstukken’ bij de Kamerbrief over voortgangsrapportage Strategie Digitale Economie, Kamerstuk 2023, 26 643, nr. 1082."
        )
        assert notes[16]["text"] == "Strategie Digitale Economie, Kamerstuk 2022, 26 643, nr. 941"

    def test_it_finds_three_positive_verdicts_with_their_sentences(self, result):
        assert result.data["verdicts"] == {"competence": "positief", "subsidiarity": "positief", "proportionality": "positief"}
        assert result.verdict_sentences["competence"] == "De grondhouding ten aanzien van de bevoegdheid van de EU is positief."

    def test_it_suggests_the_nine_commitments(self, result):
        commitments = result.data["commitments"]
        assert len(commitments) >= 9
        texts = [c["text"] for c in commitments]
        assert texts.count("Het kabinet zal hier aandacht voor vragen.") == 2
        assert texts.count("Het kabinet zal zich ervoor inzetten dat dit behouden blijft.") == 2
        assert "Het kabinet zal zich hier sterk voor maken." in texts
        assert "Het kabinet zal de dialoog hierover met het bedrijfsleven intensiveren." in texts
        assert any(t.startswith("Het kabinet zal aandacht blijven houden voor de verdere uitwerking") for t in texts)
        inform = next(c for c in commitments if "geannoteerde agenda" in c["text"])
        assert inform["kind"] == "inform" and inform["section_key"] == "essence"
        money = next(c for c in commitments if "EUR 75 miljoen" in c["text"])
        assert money["kind"] == "cofinancing" and money["section_key"] == "position-assessment"

    def test_it_finds_the_75_million_euro(self, result):
        assert result.data["amounts"] == [{
            "eur": "75000000",
            "text": "Het kabinet heeft voor de nationale cofinanciering van geprioriteerde projecten en oproepen die de Strategie "
                    "Digitale Economie versterken EUR 75 miljoen begroot.",
        }]

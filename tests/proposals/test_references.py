import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from proposals import references
from proposals.models import CommissionDocument


class ReferenceNormalisationTests:
    @pytest.mark.parametrize(
        ("typed", "canonical"),
        [
            ("COM (2022) 546", "COM(2022) 546"),
            ("COM(2022) 546", "COM(2022) 546"),
            ("COM(2018)703", "COM(2018) 703"),
            ("JOIN (2023) 20", "JOIN(2023) 20"),
            ("C(2024) 390", "C(2024) 390"),
            ("SWD(2022) 385 final", "SWD(2022) 385"),
            ("com-2024-28", "COM(2024) 28"),
            ("COM/2024/28", "COM(2024) 28"),
        ],
    )
    def test_it_normalises_any_spelling(self, typed, canonical):
        assert references.normalise_reference(typed) == canonical

    @pytest.mark.parametrize("typed", ["", "COM", "XYZ(2024) 28", "COM(24) 28", "COM(2024)", "COM(2024) 0"])
    def test_it_refuses_what_is_not_a_reference_with_an_example(self, typed):
        with pytest.raises(ValidationError) as error:
            references.parse_reference(typed)
        assert "COM(2024) 28" in " ".join(error.value.messages) or "nummer" in " ".join(error.value.messages)

    def test_slug_is_the_canonical_url_part(self):
        assert references.parse_reference("COM (2024) 28").slug == "com-2024-28"

    @pytest.mark.django_db
    def test_two_spellings_are_one_document_in_the_database(self):
        first = CommissionDocument(title="a")
        first.set_reference("COM (2022) 546")
        first.save()
        second = CommissionDocument(title="b")
        second.set_reference("COM(2022) 546")
        with pytest.raises(IntegrityError):
            second.save()

    @pytest.mark.django_db
    def test_by_reference_finds_a_document_by_any_spelling(self):
        doc = CommissionDocument(title="a")
        doc.set_reference("JOIN(2023) 20")
        doc.save()
        assert CommissionDocument.objects.by_reference("JOIN (2023) 20").get() == doc


class CelexTests:
    def test_a_matching_celex_is_accepted(self):
        references.check_celex_matches("52024DC0028", references.parse_reference("COM(2024) 28"))
        references.check_celex_matches("52022PC0677", references.parse_reference("COM(2022) 677"))
        references.check_celex_matches("52023JC0020", references.parse_reference("JOIN(2023) 20"))

    def test_a_celex_of_another_document_is_refused_with_the_expected_value(self):
        with pytest.raises(ValidationError) as error:
            references.check_celex_matches("52024DC0029", references.parse_reference("COM(2024) 28"))
        message = " ".join(error.value.messages)
        assert "52024DC0029 past niet bij COM(2024) 28" in message
        assert "52024DC0028" in message

    def test_a_malformed_celex_is_refused(self):
        with pytest.raises(ValidationError, match="geen geldig CELEX-nummer"):
            references.validate_celex("2024DC28")

    @pytest.mark.django_db
    def test_model_validation_refuses_an_inconsistent_celex(self):
        doc = CommissionDocument(title="Mededeling", celex="52023DC0028", kind="communication")
        doc.set_reference("COM(2024) 28")
        with pytest.raises(ValidationError) as error:
            doc.full_clean()
        assert "past niet bij COM(2024) 28" in str(error.value)

    def test_eurlex_link_is_derived_from_the_celex(self):
        doc = CommissionDocument(doc_type="COM", year=2024, number=28, celex="52024DC0028")
        assert doc.eurlex_url == "https://eur-lex.europa.eu/legal-content/NL/TXT/?uri=CELEX:52024DC0028"


class KamerstukTests:
    @pytest.mark.parametrize(
        ("typed", "stored"),
        [
            ("22112-3908", "22112-3908"),
            ("22 112, nr. 3908", "22112-3908"),
            ("Kamerstuk 22 112, nr. 3908", "22112-3908"),
            ("21 501-33, nr. 12", "21501-33-12"),
        ],
    )
    def test_it_normalises_kamerstuk_numbers(self, typed, stored):
        assert references.normalise_kamerstuk(typed) == stored

    def test_it_refuses_a_malformed_kamerstuk_number(self):
        with pytest.raises(ValidationError, match="22112-3908"):
            references.normalise_kamerstuk("nr. drie")

    def test_it_displays_the_parliamentary_form(self):
        assert references.display_kamerstuk("22112-3908") == "Kamerstuk 22 112, nr. 3908"

    @pytest.mark.parametrize("value", ["2024/0016(CNS)", "2014/0202(COD)"])
    def test_procedure_references_are_accepted(self, value):
        references.validate_procedure(value)

    def test_a_malformed_procedure_reference_is_refused(self):
        with pytest.raises(ValidationError, match="2024/0016"):
            references.validate_procedure("2024-16-CNS")

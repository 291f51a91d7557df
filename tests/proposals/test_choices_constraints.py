"""Every field with fixed choices in proposals, positions and follow-up is guarded by the database.

An unknown value written past the model (``QuerySet.update()``, a script, a restore) made every fiche list
a server error once; now the database refuses it, on SQLite and PostgreSQL. The fields are found by
walking the models, so a new field with choices but without a CHECK constraint fails here.
"""

import datetime

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from simple_history.models import HistoricalChanges

from followup.models import ReminderLog
from positions.models import Commitment, CommitmentStatusChange, Fiche, FicheStatusChange, FicheTemplate
from proposals.models import CommissionDocument, DocumentRelation
from tests.public import outputs_builders as build

APPS = ("proposals", "positions", "followup")


def fields_with_choices():
    """(model, field) for every concrete field with choices. History tables are left out: they copy
    whatever the row held when it was saved, including values from before a constraint existed."""
    found = []
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            if issubclass(model, HistoricalChanges):
                continue
            found.extend((model, field) for field in model._meta.concrete_fields if field.choices)
    return found


FIELDS = fields_with_choices()


def _id(model, field):
    return f"{model._meta.label}.{field.name}"


def one_row_of_each():
    """A saved row of every model that has a field with choices, valid for every value of those fields: the
    fiche is published (status needs a Kamerstuk number and date), the commitment has evidence."""
    fiche = build.fiche(title="Fiche met keuzes")
    document = fiche.documents.get()
    other = build.document(title="Ander document")
    commitment = fiche.commitments.get(position=1)
    user = User.objects.create_user("keuzes")
    return {
        Fiche: fiche,
        FicheTemplate: fiche.template,
        CommissionDocument: document,
        DocumentRelation: DocumentRelation.objects.create(source=document, target=other, kind=DocumentRelation.Kind.AMENDS),
        FicheStatusChange: FicheStatusChange.objects.create(fiche=fiche, from_status=Fiche.Status.ADOPTED, to_status=Fiche.Status.PUBLISHED),
        Commitment: commitment,
        CommitmentStatusChange: commitment.status_changes.get(),
        ReminderLog: ReminderLog.objects.create(user=user, commitment=commitment, kind=ReminderLog.Kind.ONE_WEEK,
                                                due_date=datetime.date(2025, 6, 1), sent_on=datetime.date(2025, 5, 25)),
    }


def test_the_walk_finds_the_fields_with_choices():
    names = {_id(model, field) for model, field in FIELDS}
    assert {"proposals.CommissionDocument.kind", "proposals.DocumentRelation.kind", "positions.Fiche.status",
            "positions.Commitment.due_event", "followup.ReminderLog.kind"} <= names
    assert not any(name.split(".")[1].startswith("Historical") for name in names)


@pytest.mark.django_db
def test_every_model_with_choices_has_a_row_to_test_on():
    rows = one_row_of_each()
    assert {model for model, _field in FIELDS} <= set(rows), "add a row of the new model to one_row_of_each()"


@pytest.mark.django_db
class ChoicesInTheDatabaseTests:
    @pytest.mark.parametrize(("model", "field"), FIELDS, ids=[_id(m, f) for m, f in FIELDS])
    def test_an_unknown_value_written_with_update_is_refused_by_the_database(self, model, field):
        row = one_row_of_each()[model]
        invalid = ["x"] + ([] if field.blank else [""])  # short enough for every max_length
        for value in invalid:
            with pytest.raises(IntegrityError), transaction.atomic():
                model.objects.filter(pk=row.pk).update(**{field.name: value})
        row.refresh_from_db()
        assert getattr(row, field.name) not in invalid

    @pytest.mark.parametrize(("model", "field"), FIELDS, ids=[_id(m, f) for m, f in FIELDS])
    def test_every_listed_value_is_accepted(self, model, field):
        row = one_row_of_each()[model]
        for value, _label in field.choices:
            model.objects.filter(pk=row.pk).update(**{field.name: value})
            row.refresh_from_db()
            assert getattr(row, field.name) == value

    def test_the_fiche_list_keeps_working_because_an_unknown_document_kind_cannot_be_stored(self, client):
        document = one_row_of_each()[CommissionDocument]
        with pytest.raises(IntegrityError), transaction.atomic():
            CommissionDocument.objects.filter(pk=document.pk).update(kind="verordening ")
        response = client.get("/fiches/", {"document_kind": CommissionDocument.Kind.COMMUNICATION})
        assert response.status_code == 200
        assert "Fiche met keuzes" in response.content.decode()

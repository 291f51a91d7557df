"""Issue 13: the import preview editors correct before the draft is created (Kamerstuk, ministry, Council,
dates, section texts); the corrections go through the import's own rules."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from positions.models import Fiche, FicheTemplate
from proposals.models import CouncilConfiguration, Ministry

from . import formats
from .helpers import EXAMPLE, make_reference_data

pytestmark = pytest.mark.django_db
UPLOAD = "/admin/positions/fiche/import/"
PREVIEW = UPLOAD + "controleren/"
PERMS = ["add_fiche", "change_fiche", "view_fiche"]


def make_user(django_user_model, name, *, all_fiches=False, ministries=()):
    user = django_user_model.objects.create_user(name, password="x", is_staff=True)
    codenames = PERMS + (["edit_all_fiches", "view_all_fiches"] if all_fiches else [])
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    for ministry in ministries:
        ministry.members.add(user)
    return user


def upload(client, content, name="fiche.txt"):
    response = client.post(UPLOAD, {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(PREVIEW)


def posted(form, **changes):
    """The preview form as the browser would post it, with ``changes``."""
    data = {name: ("" if form[name].value() is None else str(form[name].value())) for name in form.fields}
    data.update(changes)
    return data


def section_field(form, title_part):
    return next(f.name for f in form.section_fields if title_part.lower() in str(f.label).lower())


@pytest.fixture
def coordinator(django_user_model):
    make_reference_data()
    return make_user(django_user_model, "coordinator", all_fiches=True)


def test_corrected_values_end_up_in_the_draft(client, coordinator):
    client.force_login(coordinator)
    form = upload(client, EXAMPLE.read_bytes()).context["form"]
    council = CouncilConfiguration.objects.get(code="ENVI")
    essence = section_field(form, "Essentie")
    ministry = Ministry.objects.current().first()
    data = posted(form, kamerstuk="22112-3901", council_configuration="ENVI", received_on="2024-02-01",
                  sent_on="2024-03-08", **{essence: "Verbeterde essentie."})
    data.update(ministry=str(ministry.pk), action="confirm")
    # The new essence drops the essence's suggested commitment: the suggestions are shown again first, nothing is made.
    assert client.post(PREVIEW, data).status_code == 400 and not Fiche.objects.exists()
    response = client.post(PREVIEW, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    fiche = Fiche.objects.get()
    assert fiche.kamerstuk == "22112-3901"
    assert fiche.council_configuration == council
    assert fiche.received_on == datetime.date(2024, 2, 1) and fiche.sent_on == datetime.date(2024, 3, 8)
    assert fiche.sections.filter(text="Verbeterde essentie.").exists()
    assert fiche.lead_ministry == ministry


def test_every_template_section_exists_afterwards(client, coordinator):
    client.force_login(coordinator)
    form = upload(client, EXAMPLE.read_bytes()).context["form"]
    first = form.section_fields[0].name
    data = posted(form, action="confirm", **{first: ""})
    assert client.post(PREVIEW, data).status_code == 400 and not Fiche.objects.exists()  # the emptied essence had a suggestion
    response = client.post(PREVIEW, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    fiche = Fiche.objects.get()
    template = FicheTemplate.objects.get(pk=fiche.template_id)
    keys = set(fiche.sections.values_list("key", flat=True))
    assert set(template.sections.values_list("key", flat=True)) <= keys


def test_dutch_headings_not_internal_keys(client, coordinator):
    client.force_login(coordinator)
    form = upload(client, EXAMPLE.read_bytes()).context["form"]
    labels = [str(f.label) for f in form.section_fields]
    assert labels and all(" " in label or label[:1].isupper() for label in labels)
    assert not any(label in ("essence", "position-policy", "competence") for label in labels)


def test_a_colliding_corrected_kamerstuk_is_refused_naming_the_fiche(client, coordinator):
    from tests import factories

    factories.fiche(status=Fiche.Status.DRAFT, kamerstuk="22112-3999", sent_on=None)
    client.force_login(coordinator)
    form = upload(client, EXAMPLE.read_bytes()).context["form"]
    response = client.post(PREVIEW, posted(form, action="confirm", kamerstuk="22112-3999"))
    assert response.status_code in (200, 400)
    refusal = " ".join(_messages(response))
    assert "22 112, nr. 3999" in refusal or "22112-3999" in refusal, refusal
    assert Fiche.objects.count() == 1  # nothing half-written


def test_another_ministry_is_refused(client, django_user_model):
    make_reference_data()
    ezk = Ministry.objects.get(pk__in=Ministry.objects.filter(aliases__name="Economische Zaken en Klimaat").values("pk"))
    other = Ministry.objects.current().exclude(pk=ezk.pk).first()
    editor = make_user(django_user_model, "editor", ministries=[ezk])
    client.force_login(editor)
    form = upload(client, EXAMPLE.read_bytes()).context["form"]
    response = client.post(PREVIEW, posted(form, action="confirm", ministry=str(other.pk)))
    assert response.status_code == 400
    assert not Fiche.objects.exists()
    assert "ministerie" in " ".join(_messages(response))


def test_a_file_of_another_ministry_is_refused_at_the_door(client, django_user_model):
    make_reference_data()
    other = Ministry.objects.current().exclude(aliases__name="Economische Zaken en Klimaat").first()
    client.force_login(make_user(django_user_model, "editor", ministries=[other]))
    response = client.post(UPLOAD, {"file": SimpleUploadedFile("fiche.txt", EXAMPLE.read_bytes())})
    assert response.status_code != 302 or "controleren" not in response["Location"]
    assert not Fiche.objects.exists()


def test_the_sent_date_is_prefilled_from_the_batch_letter(client, coordinator):
    from importer.parsing import parse_bytes

    content = formats.to_text(formats.load("2016_batch_letter_unnumbered")).encode("utf-8")
    expected = parse_bytes(content, "fiche.txt").batch_letter_date
    client.force_login(coordinator)
    form = upload(client, content).context["form"]
    assert expected
    assert str(form["sent_on"].value()) == expected


def _messages(response):
    return [str(m) for m in response.context["messages"]] if response.context else []

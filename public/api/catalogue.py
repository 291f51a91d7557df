"""The open-data catalogue: a DCAT-AP-NL description (JSON-LD) of the datasets and their distributions.

Harvesters such as data.overheid.nl read ``/catalogus.jsonld`` to list what this site publishes: four
datasets (fiches, commitments, Commission documents, cofinancing budgets), each with the API as a data
service and, where there is one, the CSV (comma and Dutch-Excel semicolon), JSON and Atom downloads.
The document describes routes, not rows: it costs no query and is kept by the page cache like a page.
Every distribution carries the data's licence (CC0 1.0, ``schema.LICENCE``).
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_safe

from . import schema
from .views import json_response

CONTENT_TYPE = "application/ld+json"
CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "adms": "http://www.w3.org/ns/adms#",
}
LANGUAGE = {"@id": "http://publications.europa.eu/resource/authority/language/NLD"}
MEDIA = "http://www.iana.org/assignments/media-types/"
THEME = {"@id": "http://standaarden.overheid.nl/owms/terms/Europese_zaken"}

# (key, Dutch title, Dutch description, API list path, export URL name or None, feed URL name or None)
DATASETS = [
    ("fiches", "BNC-fiches",
     "Gepubliceerde BNC-fiches: de beoordeling door het kabinet van nieuwe voorstellen van de Europese Commissie, "
     "met oordelen over bevoegdheid, subsidiariteit en proportionaliteit.",
     "api:fiche_list", "public:fiche_export", "public:fiche_feed"),
    ("toezeggingen", "Toezeggingen uit BNC-fiches",
     "Toezeggingen die het kabinet in gepubliceerde BNC-fiches doet, met termijn, status en bewijs van nakoming.",
     "api:commitment_list", "public:commitment_export", None),
    ("commissiedocumenten", "Commissiedocumenten met een BNC-fiche",
     "Voorstellen en mededelingen van de Europese Commissie waarover een gepubliceerd BNC-fiche bestaat.",
     "api:document_list", None, None),
    ("cofinanciering", "Cofinanciering uit BNC-fiches",
     "Nationale cofinancieringsbudgetten voor EU-programma's zoals genoemd in gepubliceerde BNC-fiches.",
     "api:cofinancing_list", None, None),
]


def _text(value):
    return {"@language": "nl", "@value": value}


def _licence():
    return {"@id": schema.LICENCE["url"]}


def _distribution(url, title, media_type, *, download=True):
    distribution = {
        "@id": url,
        "@type": "dcat:Distribution",
        "dct:title": _text(title),
        "dcat:accessURL": {"@id": url},
        "dcat:mediaType": {"@id": MEDIA + media_type},
        "dct:format": {"@id": MEDIA + media_type},
        "dct:license": _licence(),
    }
    if download:
        distribution["dcat:downloadURL"] = {"@id": url}
    return distribution


def document(request):
    """The catalogue as a JSON-serialisable dict, with absolute URLs for ``request``'s host."""
    absolute = request.build_absolute_uri
    service = {
        "@id": absolute(reverse("api:index")),
        "@type": "dcat:DataService",
        "dct:title": _text("fichetracker API"),
        "dcat:endpointURL": {"@id": absolute(reverse("api:index"))},
        "dcat:endpointDescription": {"@id": absolute(reverse("api:openapi"))},
        "dct:conformsTo": {"@id": "https://spec.openapis.org/oas/v3.1.0"},
        "dct:license": _licence(),
        "adms:version": schema.API_VERSION,
    }
    contact = {"@type": "vcard:Organization", "vcard:fn": "fichetracker"}
    if settings.CONTACT_EMAIL:
        contact["vcard:hasEmail"] = {"@id": f"mailto:{settings.CONTACT_EMAIL}"}
    publisher = {"@type": "foaf:Agent", "foaf:name": "fichetracker"}
    datasets = []
    for key, title, description, api_name, export_name, feed_name in DATASETS:
        api_url = absolute(reverse(api_name))
        distributions = [{**_distribution(api_url, f"{title}: API (JSON)", "application/json", download=False),
                          "dcat:accessService": {"@id": service["@id"]}}]
        if export_name:
            csv_url = absolute(reverse(export_name, kwargs={"fmt": "csv"}))
            distributions += [
                _distribution(csv_url, f"{title}: CSV (komma)", "text/csv"),
                _distribution(f"{csv_url}?dialect=excel-nl", f"{title}: CSV voor Nederlandse Excel (puntkomma, Nederlandse kolomnamen)", "text/csv"),
                _distribution(absolute(reverse(export_name, kwargs={"fmt": "json"})), f"{title}: JSON", "application/json"),
            ]
        if feed_name:
            distributions.append(_distribution(absolute(reverse(feed_name)), f"{title}: Atom-feed", "application/atom+xml", download=False))
        datasets.append({
            "@id": absolute(f"{reverse('public:catalogue')}#{key}"),
            "@type": "dcat:Dataset",
            "dct:identifier": absolute(f"{reverse('public:catalogue')}#{key}"),
            "dct:title": _text(title),
            "dct:description": _text(description),
            "dct:language": LANGUAGE,
            "dct:license": _licence(),
            "dct:publisher": publisher,
            "dcat:contactPoint": contact,
            "dcat:theme": THEME,
            "dcat:landingPage": {"@id": absolute(reverse("public:about"))},
            "dcat:distribution": distributions,
        })
    return {
        "@context": CONTEXT,
        "@id": absolute(reverse("public:catalogue")),
        "@type": "dcat:Catalog",
        "dct:title": _text("fichetracker: open data over BNC-fiches"),
        "dct:description": _text("Alle gepubliceerde BNC-fiches, toezeggingen, Commissiedocumenten en cofinanciering als open data."),
        "dct:language": LANGUAGE,
        "dct:license": _licence(),
        "dct:publisher": publisher,
        "foaf:homepage": {"@id": absolute(reverse("public:home"))},
        "dcat:service": [service],
        "dcat:dataset": datasets,
    }


@require_safe
def catalogue(request):
    # The catalogue's texts are Dutch, whatever the interface language (DCAT-AP-NL asks for Dutch titles).
    with translation.override("nl"):
        return json_response(document(request), content_type=CONTENT_TYPE)

"""Finding news: what became public since the last look, recorded once as an ``Event``.

The public site is the only source. A fiche, a status change of a commitment or a Commission document
is found when ``public.selectors`` returns it, so a draft, a fiche under embargo and what hangs from it
are never found; a fiche under embargo is found by the first run after its embargo passed, whatever the
rhythm of the subscriptions that will mail it. Nothing here depends on timestamps written by other apps
(imports, fixtures and the admin all publish in their own ways): news is the set difference between
what is public now and what has an event already.

``seen_at`` is the moment of discovery. A subscription mails the events seen after it was confirmed
(``Subscription.since``); confirming runs a discovery first, so whatever was public before the
confirmation is never news to it, even when no run happened in between.

The status history that a fiche already has when it becomes public (changes recorded before
publication or during its embargo) is recorded ``silent``: the fiche itself is the news.
"""

from django.db import transaction
from django.db.models import Exists, OuterRef

from public import selectors

from .models import Event, EventKind


def _unknown(queryset, field):
    return queryset.filter(~Exists(Event.objects.filter(**{field: OuterRef("pk")})))


@transaction.atomic
def discover(now):
    """Record every public fiche, status change and Commission document that has no event yet, seen at ``now``.

    Safe to run concurrently (another run's rows are skipped by the unique constraints). Returns the
    number of events that will be mailed (silent ones left out)."""
    new_fiches = list(_unknown(selectors.fiches(), "fiche").values_list("pk", flat=True))
    Event.objects.bulk_create([Event(kind=EventKind.FICHE, fiche_id=pk, seen_at=now) for pk in new_fiches], ignore_conflicts=True)
    fresh = set(new_fiches)
    changes = list(_unknown(selectors.status_changes(), "status_change").values_list("pk", "commitment__fiche_id"))
    Event.objects.bulk_create(
        [Event(kind=EventKind.STATUS, status_change_id=pk, seen_at=now, silent=fiche_id in fresh) for pk, fiche_id in changes],
        ignore_conflicts=True,
    )
    documents = list(_unknown(selectors.documents(), "document").values_list("pk", flat=True))
    Event.objects.bulk_create([Event(kind=EventKind.DOCUMENT, document_id=pk, seen_at=now) for pk in documents], ignore_conflicts=True)
    return len(new_fiches) + sum(1 for _pk, fiche_id in changes if fiche_id not in fresh) + len(documents)

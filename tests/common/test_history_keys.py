"""History pages answer 404, not a server error, for a key that cannot exist (``/history/abc/``)."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import User

from common.admin import ReadableHistoryAdmin

HISTORY_ADMINS = sorted(
    (model._meta.app_label, model._meta.model_name)
    for model, model_admin in admin.site._registry.items()
    if isinstance(model_admin, ReadableHistoryAdmin)
)


@pytest.mark.django_db
class HistoryKeyTests:
    def test_every_history_tracked_admin_is_covered(self):
        assert ("positions", "fiche") in HISTORY_ADMINS and ("proposals", "commissiondocument") in HISTORY_ADMINS

    @pytest.mark.parametrize(("app_label", "model_name"), HISTORY_ADMINS)
    @pytest.mark.parametrize("bad", ["abc", "1%00", "9" * 40])
    def test_a_key_that_cannot_exist_answers_not_found(self, client, app_label, model_name, bad):
        client.force_login(User.objects.create_superuser("beheer", "beheer@example.org", "Een-lang-wachtwoord-2026!"))
        # 404; the fiche's restore page refuses a fiche that is not there like one the user may not see (403).
        allowed = (403, 404) if bad.isdigit() else (404,)
        assert client.get(f"/admin/{app_label}/{model_name}/{bad}/history/").status_code in allowed
        assert client.get(f"/admin/{app_label}/{model_name}/{bad}/history/1/").status_code in allowed
        assert client.get(f"/admin/{app_label}/{model_name}/1/history/{bad}/").status_code in allowed

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = _("E-mailberichten voor lezers")

    def ready(self):
        from . import conf

        conf.check()  # a malformed FICHETRACKER_ALERTS_* value stops the start-up with a clear error

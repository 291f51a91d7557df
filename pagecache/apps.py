from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PageCacheConfig(AppConfig):
    name = "pagecache"
    verbose_name = "Cache van openbare pagina's"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .triggers import install_triggers

        # After every migrate, so tables added by later migrations of any watched app are covered too.
        post_migrate.connect(install_triggers, dispatch_uid="pagecache.install_triggers")

"""The content version: one number that changes whenever anything a public page shows changes.

Database triggers (``pagecache/triggers.py``) raise it on every insert, update, delete or truncate of
the watched tables, whatever route the write takes (admin, importer, services, fixtures, bulk updates,
raw SQL), and in the same transaction as the write: a reader sees the new number exactly when it sees
the new data. The public page cache keys every page by this number, so a publication or an edit is
visible at once and nothing needs to be deleted from the cache.
"""

from django.db import models


class ContentVersion(models.Model):
    number = models.BigIntegerField(default=1)

    class Meta:
        verbose_name = "inhoudsversie"
        verbose_name_plural = "inhoudsversie"
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="pagecache_single_content_version")]

    def __str__(self):
        return str(self.number)

"""The content version: one value that changes whenever anything a public page shows changes.

Database triggers (``pagecache/triggers.py``) raise ``number`` for every transaction that inserts,
updates, deletes or truncates a watched table, whatever route the write takes (admin, importer,
services, fixtures, bulk updates, raw SQL), inside that transaction: a reader sees the new number
exactly when it sees the new data. On PostgreSQL the raise is deferred to the commit (``PendingWrite``),
so concurrent writers do not queue behind the one version row for the length of their transactions.

``epoch`` is a random value renewed by every ``migrate`` (and ``flush``) and by ``restore``: a restore
brings back an older ``number``, and without a new epoch the numbers that follow would repeat keys of
pages cached before the restore. The public page cache and the result cache (``pagecache.results``)
key everything by both (``pagecache.state``), so a publication or an edit is visible at once and
nothing needs to be deleted from the cache.
"""

import secrets

from django.db import models


def new_epoch():
    return secrets.token_hex(8)


class ContentVersion(models.Model):
    number = models.BigIntegerField(default=1)
    epoch = models.CharField(max_length=32, default=new_epoch)

    class Meta:
        verbose_name = "inhoudsversie"
        verbose_name_plural = "inhoudsversie"
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="pagecache_single_content_version")]

    def __str__(self):
        return f"{self.epoch}.{self.number}"


class PendingWrite(models.Model):
    """PostgreSQL: one row per open transaction that wrote a watched table, inserted by its first such
    statement. A deferred constraint trigger on this table raises the version and deletes the row when
    that transaction commits, so the version row is locked only for the instant of the commit. A
    committed snapshot never holds a row (each is deleted in the transaction that inserted it)."""

    id = models.BigIntegerField(primary_key=True)

    class Meta:
        db_table = "pagecache_pending"
        verbose_name = "wachtende schrijfactie"
        verbose_name_plural = "wachtende schrijfacties"

    def __str__(self):
        return str(self.id)

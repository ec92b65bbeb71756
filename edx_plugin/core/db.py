"""Writing with as few round trips as the rules allow (core): an upsert in one statement, and a
savepoint around a statement that may fail only where a transaction is open to protect."""
from __future__ import annotations

import contextlib

from django.db import connection, models, transaction


def upsert(model, row, unique_fields: list[str], update_fields: list[str]) -> None:
    """Insert ``row`` (an unsaved instance of ``model``) or, when a row with the same ``unique_fields``
    exists, set its ``update_fields``: one INSERT ... ON DUPLICATE KEY UPDATE (ON CONFLICT elsewhere)
    instead of a read, or an UPDATE, before the INSERT."""
    model.objects.bulk_create(
        [row], update_conflicts=True, update_fields=update_fields,
        # MySQL names no conflict target (the unique key decides); SQLite and PostgreSQL must.
        unique_fields=unique_fields if connection.features.supports_update_conflicts_with_target else None)


def statement_guard():
    """Where a failed statement (a duplicate key) is expected and caught: a savepoint when a
    transaction is open (the LMS wraps requests in one), so the failure does not spoil it; none in
    autocommit, where a failed statement leaves nothing to undo and BEGIN/COMMIT would be two round
    trips for nothing."""
    return transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext()


class GroupConcat(models.Aggregate):
    """The values of a group joined with commas, in one column (GROUP_CONCAT on MySQL and SQLite,
    STRING_AGG on PostgreSQL): a short list (a learner's category codes) read inside another query
    instead of by one of its own. For values without commas."""

    function = "GROUP_CONCAT"
    output_field = models.CharField()

    def as_mysql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, template="%(function)s(%(expressions)s SEPARATOR ',')",
                              **extra_context)

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="STRING_AGG",
                              template="%(function)s(%(expressions)s, ',')", **extra_context)

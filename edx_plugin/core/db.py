"""Writing with as few round trips as the rules allow (core): an upsert in one statement, and a
savepoint around a statement that may fail only where a transaction is open to protect."""
from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable

from django.apps import apps
from django.db import connection, connections, models, router, transaction
from django.db.transaction import TransactionManagementError


def upsert(model, rows: list, unique_fields: list[str], update_fields: list[str]) -> None:
    """Insert ``rows`` (unsaved instances of ``model``) or, for a row whose ``unique_fields`` match one
    that exists, set its ``update_fields``: one INSERT ... ON DUPLICATE KEY UPDATE (ON CONFLICT elsewhere)
    instead of a read, or an UPDATE, before the INSERT."""
    model.objects.bulk_create(
        rows, update_conflicts=True, update_fields=update_fields,
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


class CompiledRead:
    """A read on a learner's hot path whose SQL the ORM writes once per process, database and shape,
    then runs with each call's values. Building and compiling a queryset with subqueries costs more
    Python time (about half a millisecond) than its round trip to the database; the rows still come
    back through the ORM's converters (JSON, time zones), as ``.values()`` gives them.

    ``build(*shape, **values)`` returns a ``.values()`` queryset of ``model`` (a model or its
    "app_label.Model" name, for modules imported before the app registry is ready). ``shape`` (hashable)
    chooses between forms of the query (which columns it reads); every keyword value must reach the
    SQL as a parameter unchanged (an int or a str compared with a column): the query is compiled with
    a stand-in for each, so only the SQL is kept, never a value of a call.
    """

    _INT = 2_000_000_000  # stand-in ints: in range of every integer column, so the ORM keeps them

    def __init__(self, model, build: Callable, *, lock: bool = False, **kinds: type):
        self._model, self.build, self.lock, self.kinds = model, build, lock, kinds
        self._compiled: dict = {}
        self._compiling = threading.Lock()

    @property
    def model(self):
        return apps.get_model(self._model) if isinstance(self._model, str) else self._model

    def _compile(self, alias: str, shape: tuple):
        stand_ins = {name: (self._INT + n if kind is int else f"\x00{name}\x00")
                     for n, (name, kind) in enumerate(self.kinds.items())}
        queryset = self.build(*shape, **stand_ins).using(alias)
        query = queryset.query
        compiler = query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        slots = []
        for param in params:
            name = next((n for n, v in stand_ins.items() if type(param) is type(v) and param == v), None)
            slots.append((name, param))
        missing = set(stand_ins) - {name for name, _value in slots}
        if missing:
            raise ValueError(f"not parameters of the SQL: {sorted(missing)}")
        names = list(query.selected) if query.selected else [*query.extra_select, *query.values_select,
                                                              *query.annotation_select]
        return sql, slots, [s[0] for s in compiler.select[:compiler.col_count]], names

    def rows(self, *shape, **values) -> list[dict]:
        """The rows for these values, as dicts (column name -> value)."""
        alias = router.db_for_write(self.model) if self.lock else router.db_for_read(self.model)
        key = (alias, shape)
        compiled = self._compiled.get(key)
        if compiled is None:
            with self._compiling:
                compiled = self._compiled.get(key) or self._compile(alias, shape)
                self._compiled[key] = compiled
        sql, slots, expressions, names = compiled
        db = connections[alias]
        if self.lock and db.get_autocommit() and db.features.supports_transactions:
            raise TransactionManagementError("select_for_update cannot be used outside of a transaction.")
        with db.cursor() as cursor:
            cursor.execute(sql, [values[name] if name else param for name, param in slots])
            fetched = cursor.fetchall()
        converters = []
        for position, expression in enumerate(expressions):
            found = db.ops.get_db_converters(expression) + expression.get_db_converters(db)
            if found:
                converters.append((position, found, expression))
        result = []
        for row in fetched:
            row = list(row)
            for position, found, expression in converters:
                for convert in found:
                    row[position] = convert(row[position], expression, db)
            result.append(dict(zip(names, row)))
        return result

    def first(self, *shape, **values) -> dict | None:
        rows = self.rows(*shape, **values)
        return rows[0] if rows else None


def instance_from_row(model, row: dict):
    """A model instance from a row of ``CompiledRead`` (fields it did not read are deferred; other
    columns become attributes), as the ORM builds one from a query."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in row]
    obj = model.from_db(router.db_for_read(model), names, [row[name] for name in names])
    for name in row.keys() - set(names):
        setattr(obj, name, row[name])
    return obj

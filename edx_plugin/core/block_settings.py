"""The plugin's copy of a block's authored settings (core): pages outside a block (grading queues,
staff pages, exports) query it, and the block keeps it current whenever it renders or is saved.
Shared by every area that keeps such a copy (writing assignments, case discussions)."""
from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, models

from .db import statement_guard


def _differs(stored, value) -> bool:
    if isinstance(stored, Decimal) or isinstance(value, Decimal):
        return Decimal(str(stored)) != Decimal(str(value))
    return stored != value


def keep_current(model: type[models.Model], usage_id: str, values: dict) -> models.Model:
    """The ``model`` row of ``usage_id`` created, or updated where ``values`` differ: one read when
    nothing changed; two first renders at once create one row (the usage id is unique)."""
    row = model.objects.filter(usage_id=usage_id).first()
    if row is None:
        try:
            with statement_guard():
                return model.objects.create(usage_id=usage_id, **values)
        except IntegrityError:
            row = model.objects.get(usage_id=usage_id)
    changed = [name for name, value in values.items() if _differs(getattr(row, name), value)]
    if changed:
        for name in changed:
            setattr(row, name, values[name])
        row.save(update_fields=[*changed, "updated"])
    return row

"""``core.db.CompiledRead``: a hot read compiled once per process and shape answers as the ORM's own
queryset does (the same rows, values converted the same way), runs one query, keeps only SQL between
calls, refuses a locked read outside a transaction, and refuses a build whose value never reaches the SQL."""
import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Subquery
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from party_training.edx_plugin.core.db import CompiledRead, instance_from_row
from party_training.edx_plugin.party_class.models import PartyClassProgress, PartyClassSignIn

USAGE = "block-v1:TestOrg+T101+2026+type@party_class+block@c1"


def _build(signin: bool, *, user_id: int, usage_id: str):
    own = PartyClassProgress.objects.filter(usage_id=usage_id, user=OuterRef("pk")).order_by()
    wanted = {"done": Subquery(own.values("content_done_at")[:1])}
    if signin:
        wanted["signed_in"] = Exists(PartyClassSignIn.objects.filter(usage_id=usage_id, user=OuterRef("pk")))
    return get_user_model().objects.filter(pk=user_id).order_by("pk").values("pk", "username").annotate(**wanted)[:1]


@pytest.fixture
def learners(make_user):
    first, second = make_user("first"), make_user("second")
    done = timezone.now().replace(microsecond=0) - datetime.timedelta(hours=1)
    PartyClassProgress.objects.create(user=first, course_id="c", usage_id=USAGE, content_done_at=done)
    PartyClassSignIn.objects.create(user=first, course_id="c", usage_id=USAGE, method="onsite")
    return first, second, done


def test_rows_are_the_orm_rows_for_every_shape_and_value(learners):
    first, second, done = learners
    read = CompiledRead(get_user_model(), _build, user_id=int, usage_id=str)
    for signin in (True, False):
        for user in (first, second):
            for usage_id in (USAGE, USAGE + "x"):
                expected = list(_build(signin, user_id=user.pk, usage_id=usage_id))
                assert read.rows(signin, user_id=user.pk, usage_id=usage_id) == expected
    assert read.first(True, user_id=first.pk, usage_id=USAGE) == {
        "pk": first.pk, "username": "first", "done": done, "signed_in": True}
    assert read.first(True, user_id=10 ** 6, usage_id=USAGE) is None
    assert len(read._compiled) == 2  # one SQL per shape (and database), whatever the values  pylint: disable=protected-access


def test_one_query_and_only_sql_kept(learners):
    first, _second, _done = learners
    read = CompiledRead(get_user_model(), _build, user_id=int, usage_id=str)
    read.rows(True, user_id=first.pk, usage_id=USAGE)
    with CaptureQueriesContext(connection) as queries:
        read.rows(True, user_id=first.pk, usage_id=USAGE)
    assert len(queries) == 1
    (_sql, slots, _expressions, _names), = read._compiled.values()  # pylint: disable=protected-access
    assert USAGE not in repr(read._compiled)  # pylint: disable=protected-access
    assert {name for name, _value in slots if name} == {"user_id", "usage_id"}
    assert [value for name, value in slots if name is None] == [1]  # constants only: EXISTS' SELECT 1


def test_locked_read_needs_a_transaction_and_gives_instances(learners):
    first, _second, done = learners

    def build(*, user_id: int, usage_id: str):
        return (PartyClassProgress.objects.select_for_update().filter(user_id=user_id, usage_id=usage_id)
                .order_by("pk").values("id", "content_done_at")[:1])

    read = CompiledRead(PartyClassProgress, build, lock=True, user_id=int, usage_id=str)
    with transaction.atomic():
        row = read.first(user_id=first.pk, usage_id=USAGE)
    progress = instance_from_row(PartyClassProgress, row)
    assert isinstance(progress, PartyClassProgress) and progress.content_done_at == done
    assert progress.get_deferred_fields() >= {"completed_at", "usage_id"}
    if connection.features.has_select_for_update and not connection.in_atomic_block:
        with pytest.raises(TransactionManagementError):
            read.first(user_id=first.pk, usage_id=USAGE)


def test_a_value_that_does_not_reach_the_sql_is_refused(learners):
    read = CompiledRead(get_user_model(), lambda *, user_id, usage_id: get_user_model().objects.filter(
        pk=user_id).values("pk"), user_id=int, usage_id=str)
    with pytest.raises(ValueError, match="usage_id"):
        read.rows(user_id=1, usage_id=USAGE)

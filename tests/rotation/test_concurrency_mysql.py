"""Concurrency of rotation training (rotation) on MariaDB (threads, each with its own connection):
simultaneous sign-ins of one learner give one attendance and one ledger line; simultaneous sign-ins of
many learners lose nobody; simultaneous ratings keep one per learner; two automatic assignments and
racing manual moves never seat a member twice nor fill a class over its capacity."""
import pytest
from django.db import connection

from party_training.edx_plugin.core.errors import RuleError
from party_training.edx_plugin.core.models import HourEntry, HourSource
from party_training.edx_plugin.core.sign_in_code import current_code
from party_training.edx_plugin.rotation import attendance, classes, ratings, sessions
from party_training.edx_plugin.rotation.models import Attendance, ClassSeat, SessionRating
from tests.conftest import ensure_member_categories, run_together

from .conftest import session_times

pytestmark = [pytest.mark.mysql, pytest.mark.django_db(transaction=True)]


def _guarded(call):
    def run():
        try:
            return call()
        except RuleError as exc:
            return exc.status
        finally:
            connection.close()
    return run


@pytest.fixture
def crowd(program, make_user, tree):
    ensure_member_categories()
    learners = [make_user(f"crowd{i}", org=tree["b1" if i % 2 else "b2"]) for i in range(16)]
    klass = classes.create_class(program, "一班", 100)
    for user in learners:
        classes.seat(program, user.pk, klass.pk)
    start, end = session_times()
    session = sessions.save_session(program, {"topic": "党史", "starts": start.isoformat(), "ends": end.isoformat(),
                                              "hours": "2"})
    return learners, session


def test_simultaneous_sign_ins(crowd):
    learners, session = crowd
    code = current_code(sessions.code_subject(session), sessions.CODE_PERIOD)[0]
    same = [_guarded(lambda: attendance.sign_in(session, learners[0], code)) for _ in range(8)]
    many = [_guarded(lambda user=user: attendance.sign_in(session, user, code)) for user in learners[1:]]
    _results, errors = run_together(same + many)
    assert not errors, errors
    assert Attendance.objects.filter(session=session).count() == len(learners)
    lines = HourEntry.objects.filter(source_kind=HourSource.ROTATION)
    assert lines.count() == len(learners) and lines.filter(user=learners[0]).count() == 1


def test_simultaneous_corrections_leave_one_credited_line(crowd, people):
    learners, session = crowd
    user_id = learners[0].pk
    statuses = ["present", "late", "absent", "present", "left_early", "late"] * 2
    _results, errors = run_together([_guarded(lambda s=s: attendance.set_status(
        session, user_id, s, method="roll_call", by=people["orgadmin"])) for s in statuses])
    assert not errors, errors
    row = Attendance.objects.get(session=session, user_id=user_id)
    total = sum(HourEntry.objects.filter(user_id=user_id).values_list("hours", flat=True))
    assert total == row.credited == attendance.hours_for(session, row.status)


def test_simultaneous_ratings(crowd):
    learners, session = crowd
    for user in learners[:4]:
        attendance.set_status(session, user.pk, "present", method="roll_call")
    calls = [_guarded(lambda user=user: ratings.rate(session, user, "5")) for user in learners[:4] for _ in range(4)]
    results, errors = run_together(calls)
    assert not errors, errors
    assert SessionRating.objects.count() == 4 and results.count(409) == 12


def test_simultaneous_assignments_and_moves(program, make_user, tree, people):
    ensure_member_categories()
    for i in range(40):
        make_user(f"m{i}", org=tree["b1" if i < 25 else "b2"])
    small = classes.create_class(program, "小班", 3)
    classes.create_class(program, "大班", 100)
    runs = [_guarded(lambda: classes.assign(program)) for _ in range(4)]
    moves = [_guarded(lambda i=i: classes.seat(program, people["dave"].pk if i % 2 else people["carol"].pk, small.pk))
             for i in range(6)]
    _results, errors = run_together(runs + moves)
    assert not errors, errors
    seats = ClassSeat.objects.filter(program=program)
    assert seats.count() == seats.values("user_id").distinct().count() == 45
    for klass in program.classes.all():
        assert klass.seated == seats.filter(training_class=klass).count() <= klass.capacity

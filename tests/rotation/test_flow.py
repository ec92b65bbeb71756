"""Rotation training (rotation) end to end in the rules: classes, assignment, sessions, sign-in with the
rotating code, hours in the ledger, correction by reversal, ratings, the learning file."""
from decimal import Decimal

import pytest

from party_training.edx_plugin.core.ledger import ledger_lines
from party_training.edx_plugin.core.models import HourEntry, HourSource, JobStatus, Lecturer
from party_training.edx_plugin.core.tasks import run_job
from party_training.edx_plugin.core.sign_in_code import current_code
from party_training.edx_plugin.learning_file.file import learning_file
from party_training.edx_plugin.rotation import attendance, classes, ratings, sessions
from party_training.edx_plugin.core.errors import RuleError
from party_training.edx_plugin.rotation.models import Attendance, ClassSeat
from tests.rotation.conftest import session_times


def _session(program, hours="3", **extra):
    start, end = session_times()
    data = {"topic": "学习党章", "starts": start.isoformat(), "ends": end.isoformat(), "hours": hours, "mode": "on_site",
            "place": "党校一楼"}
    data.update(extra)
    return sessions.save_session(program, data)


def _code(session):
    return current_code(sessions.code_subject(session), sessions.CODE_PERIOD)[0]


@pytest.mark.django_db
def test_assignment_seats_the_target_population_keeping_branches_together(program, people):
    classes.create_class(program, "一班", 3)
    classes.create_class(program, "二班", 3)
    run = classes.start_assignment(program, people["orgadmin"])
    assert run.status == "done"
    # The orgadmin, alice, bob (b1), carol (b2), dave (b3): 5 members of the root's subtree; far is outside.
    seats = {s.user.username: s.training_class.name for s in ClassSeat.objects.select_related("user", "training_class")}
    assert set(seats) == {"rot_orgadmin", "alice", "bob", "carol", "dave"}
    assert seats["alice"] == seats["bob"]  # a branch kept together
    assert sorted(c.seated for c in program.classes.all()) == [2, 3]  # balanced
    assert classes.unseated_rows(program)[0] == 0
    # A second run seats nobody twice.
    again = classes.start_assignment(program, people["orgadmin"])
    assert again.seated_count == 0 and ClassSeat.objects.count() == 5


@pytest.mark.django_db
def test_sign_in_credits_hours_once_and_a_correction_reverses_then_recredits(program, people):
    klass = classes.create_class(program, "一班", 10)
    classes.seat(program, people["alice"].pk, klass.pk)
    session = _session(program)
    row, changed = attendance.sign_in(session, people["alice"], _code(session))
    assert changed and row.status == "present" and row.credited == Decimal("3.00")
    again, changed = attendance.sign_in(session, people["alice"], _code(session))
    assert not changed and again.pk == row.pk
    assert HourEntry.objects.filter(user=people["alice"], source_kind=HourSource.ROTATION).count() == 1
    # Staff correct to late: the first line is reversed, 50 % credited under a new reference.
    row, changed = attendance.set_status(session, people["alice"].pk, "late", method="roll_call", by=people["orgadmin"])
    lines = list(ledger_lines(people["alice"].pk).order_by("id"))
    assert [(l.source_kind, l.hours) for l in lines] == [
        (HourSource.ROTATION, Decimal("3.00")), (HourSource.CORRECTION, Decimal("-3.00")),
        (HourSource.ROTATION, Decimal("1.50"))]
    assert sum(l.hours for l in lines) == Decimal("1.50")
    # Absent: reversed, nothing credited.
    attendance.set_status(session, people["alice"].pk, "absent", method="roll_call", by=people["orgadmin"])
    assert sum(l.hours for l in ledger_lines(people["alice"].pk)) == 0
    file = learning_file(people["alice"], session.starts.year)
    section = next(s for s in file.sections if s.key == "rotation")
    assert section.rows[0][2] == "学习党章"


@pytest.mark.django_db
def test_sign_in_refused_outside_the_window_for_strangers_and_with_a_wrong_code(program, people):
    klass = classes.create_class(program, "一班", 10)
    classes.seat(program, people["alice"].pk, klass.pk)
    session = _session(program)
    with pytest.raises(RuleError) as refused:
        attendance.sign_in(session, people["bob"], _code(session))
    assert refused.value.status == 403
    with pytest.raises(RuleError):
        attendance.sign_in(session, people["alice"], "000000" if _code(session) != "000000" else "111111")
    start, end = session_times(minutes_ago=-120)
    later = _session(program, starts=start.isoformat(), ends=end.isoformat())
    with pytest.raises(RuleError) as not_yet:
        attendance.sign_in(later, people["alice"], _code(later))
    assert not_yet.value.status == 409
    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_late_sign_in_counts_as_late(program, people):
    klass = classes.create_class(program, "一班", 10)
    classes.seat(program, people["alice"].pk, klass.pk)
    session = _session(program)
    start, end = session_times(minutes_ago=30)
    session = _session(program, starts=start.isoformat(), ends=end.isoformat())
    row, _ = attendance.sign_in(session, people["alice"], _code(session))
    assert row.status == "late" and row.credited == Decimal("1.50")


@pytest.mark.django_db
def test_ratings_once_for_attendees_and_the_pool_figures(program, people):
    lecturer = Lecturer.objects.create(name="王教授", title="教授", user=people["bob"])
    klass = classes.create_class(program, "一班", 10)
    for name in ("alice", "carol"):
        classes.seat(program, people[name].pk, klass.pk)
    session = _session(program, lecturer=str(lecturer.pk))
    attendance.sign_in(session, people["alice"], _code(session))
    ratings.rate(session, people["alice"], "5", "讲得好")
    with pytest.raises(RuleError) as twice:
        ratings.rate(session, people["alice"], "4")
    assert twice.value.status == 409
    with pytest.raises(RuleError) as absent:
        ratings.rate(session, people["carol"], "1")
    assert absent.value.status == 403
    row = ratings.pool_rows(Lecturer.objects.all())[0]
    assert (row["sessions"], row["hours"], row["average"], row["ratings"]) == (1, Decimal("3.0"), 5, 1)
    # The member who lectured has it in their learning file.
    file = learning_file(people["bob"], session.starts.year)
    assert next(s for s in file.sections if s.key == "rotation_lectures").rows[0][1].endswith("学习党章")


@pytest.mark.django_db
def test_large_assignment_runs_as_a_background_job(program, people, settings, django_capture_on_commit_callbacks):
    settings.PARTY_TRAINING = {**settings.PARTY_TRAINING, "ROTATION_ASSIGN_SYNC_MEMBERS": 2}
    classes.create_class(program, "一班", 10)
    with django_capture_on_commit_callbacks() as callbacks:
        run = classes.start_assignment(program, people["orgadmin"])
        assert run.status == JobStatus.QUEUED and not ClassSeat.objects.exists()  # not run in the request
    for callback in callbacks:
        callback()
    run.refresh_from_db()
    assert run.status == JobStatus.DONE and run.seated_count == 5 and run.left_out == 0 and run.done == 5
    run_job(run._meta.label_lower, run.pk)  # a second delivery of the task changes nothing
    assert ClassSeat.objects.filter(program=program).count() == 5

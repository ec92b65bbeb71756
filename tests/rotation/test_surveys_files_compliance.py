"""Rotation training (rotation): the needs survey (ranking, one answer per member, demand by topic,
category and branch, a program from the chosen topics), bulk marking from XLSX (row errors, all or
nothing), and the secretaries-not-rotated figure for the compliance screens."""
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook

from party_training.edx_plugin.core.errors import RuleError
from party_training.edx_plugin.core.models import HourEntry
from party_training.edx_plugin.rotation import attendance, classes, sessions
from party_training.edx_plugin.rotation.attendance_files import AttendanceFileRefused, import_file, template_bytes
from party_training.edx_plugin.core.compliance_tree import compliance_tree
from party_training.edx_plugin.rotation.compliance import secretaries_not_rotated
from party_training.edx_plugin.rotation.needs_surveys import answer, create_survey, demand
from party_training.edx_plugin.rotation.programs import create_from_survey, create_program

from .conftest import program_data, session_times

pytestmark = pytest.mark.django_db


def _xlsx(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _session(program, people, names=("alice", "bob", "carol")):
    klass = classes.create_class(program, "一班", 10)
    for name in names:
        classes.seat(program, people[name].pk, klass.pk)
    start, end = session_times()
    return sessions.save_session(program, {"topic": "党史", "starts": start.isoformat(), "ends": end.isoformat(),
                                           "hours": "4"})


def test_survey_ranking_demand_and_program_from_topics(tree, people):
    survey = create_survey(people["orgadmin"], {**program_data(tree), "title": "冬训需求", "topics": "党史\n党规\n乡村振兴",
                                                "max_picks": "2"})
    topics = {t.title: t.pk for t in survey.topics.all()}
    answer(survey, people["alice"], [topics["党史"], topics["党规"]], "多讲案例")
    answer(survey, people["alice"], [topics["党规"]], "")  # a later answer replaces the earlier one
    answer(survey, people["carol"], [topics["党规"], topics["乡村振兴"]], "")
    with pytest.raises(RuleError):
        answer(survey, people["bob"], [topics["党史"], topics["党规"], topics["乡村振兴"]], "")  # more than 2
    with pytest.raises(RuleError) as outside:
        answer(survey, people["far"], [topics["党史"]], "")
    assert outside.value.status == 403
    with CaptureQueriesContext(connection) as queries:
        figures = demand(survey)
    assert len(queries) <= 7
    rows = {r["topic"].title: r for r in figures["rows"]}
    assert (rows["党规"]["picks"], rows["党规"]["points"]) == (2, 4)
    assert rows["乡村振兴"]["points"] == 1 and rows["党史"]["picks"] == 0
    assert dict(rows["党规"]["branches"]) == {"第一支部": 1, "第二支部": 1}
    assert figures["answers"] == 2 and figures["population"] == 5  # the root's subtree: the orgadmin, alice, bob, carol, dave
    program = create_from_survey(people["orgadmin"], survey, {**program_data(tree, name="冬训"),
                                                               "topics": [str(topics["党规"]), str(topics["乡村振兴"])]})
    assert sorted(program.sessions.values_list("topic", flat=True)) == ["乡村振兴", "党规"]
    assert program.survey == survey and list(program.roots.all()) == [tree["root"]]


def test_bulk_marking_from_xlsx_is_all_or_nothing(program, people):
    session = _session(program, people)
    bad = _xlsx([["用户名", "状态", "原因"], ["alice", "出勤", ""], ["nobody", "出勤", ""], ["bob", "请假", ""],
                 ["far", "出勤", ""], ["carol", "飞走了", ""], ["alice", "迟到", ""]])
    with pytest.raises(AttendanceFileRefused) as refused:
        import_file(session, bad, people["orgadmin"])
    assert [p.row for p in refused.value.problems] == [3, 4, 5, 6, 7]
    assert "nobody" in refused.value.problems[0].message
    assert not session.attendance.exists() and not HourEntry.objects.exists()
    good = _xlsx([["username", "status", "reason"], ["alice", "present", ""], ["bob", "请假", "出差"],
                  ["carol", "Late", ""]])
    assert import_file(session, good, people["orgadmin"]) == 3
    assert dict(session.attendance.values_list("user__username", "status")) == {
        "alice": "present", "bob": "excused", "carol": "late"}
    assert sorted(HourEntry.objects.values_list("hours", flat=True)) == [2, 4]
    with pytest.raises(AttendanceFileRefused):
        import_file(session, b"not a workbook", people["orgadmin"])
    # The downloadable list is the same shape: it can be filled in and uploaded.
    listed = load_workbook(io.BytesIO(template_bytes(session))).active
    assert [c.value for c in listed[2]][:4] == ["用户名", "姓名", "支部", "状态"]


def test_secretaries_not_rotated(tree, people, make_user):
    make_user("sec2", org=tree["b2"], categories=("branch_secretary",))
    make_user("sec3", org=tree["b3"], categories=("branch_secretary",))
    program = create_program(people["orgadmin"], program_data(tree, kind="secretaries",
                                                              categories=["branch_secretary"]))
    session = _session(program, people, names=("carol",))
    ids = [tree["b1"].pk, tree["b2"].pk, tree["b3"].pk]
    assert secretaries_not_rotated(ids, program.year) == {tree["b1"].pk: 0, tree["b2"].pk: 2, tree["b3"].pk: 1}
    attendance.set_status(session, people["carol"].pk, "left_early", method="roll_call")
    assert secretaries_not_rotated(ids, program.year)[tree["b2"].pk] == 2  # left early does not count
    attendance.set_status(session, people["carol"].pk, "late", method="roll_call")
    with CaptureQueriesContext(connection) as queries:
        result = secretaries_not_rotated(ids, program.year)
    assert len(queries) == 1 and result[tree["b2"].pk] == 1
    assert secretaries_not_rotated(ids, program.year - 1)[tree["b2"].pk] == 2  # another year


def test_the_compliance_tree_shows_secretaries_not_rotated_per_subtree(tree, people, make_user):
    """Registered by rotation, the column counts each row's whole subtree (a committee adds up its branches)."""
    make_user("sec2", org=tree["b2"], categories=("branch_secretary",))
    make_user("sec3", org=tree["b3"], categories=("branch_secretary",))
    program = create_program(people["orgadmin"], program_data(tree, kind="secretaries",
                                                              categories=["branch_secretary"]))
    session = _session(program, people, names=("carol",))
    attendance.set_status(session, people["carol"].pk, "present", method="roll_call")
    parent = tree["b2"].parent
    shown = compliance_tree(program.year, parent, [])
    column = [key for key in ("Secretaries not yet rotated", "尚未轮训的书记") if key in shown.columns]
    column = shown.columns.index(column[0])
    by_id = {row.organization.pk: row.extra[column] for row in shown.rows if row.organization is not None}
    assert by_id[tree["b2"].pk] == 1 and by_id[tree["b3"].pk] == 1
    top = compliance_tree(program.year, None, [parent])
    assert [row.extra[column] for row in top.rows if row.organization == parent] == [2]

"""Demo data of rotation training (rotation) for ``manage.py demo_setup``: a lecturer pool, a
training-needs survey with answers, the winter rotation program made from it with two classes, the
demo committee's members assigned, sessions (one open for sign-in now, one held yesterday with its
attendance and a rating). Runs once: a second run finds the program and leaves it."""
import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from party_training.edx_plugin.core.models import Lecturer, Organization
from party_training.edx_plugin.rotation import attendance, classes, ratings, sessions
from party_training.edx_plugin.rotation.models import NeedsSurvey, TrainingProgram
from party_training.edx_plugin.rotation.needs_surveys import answer, create_survey
from party_training.edx_plugin.rotation.programs import create_from_survey

TOPICS = ["学习贯彻党的二十大精神", "党章党规党纪", "党史学习教育", "乡村振兴与基层治理", "廉洁自律与作风建设"]


@transaction.atomic
def load_rotation_demo() -> str:
    today = timezone.localdate()
    name = f"{today.year}年冬训·党员集中轮训"
    if TrainingProgram.objects.filter(name=name).exists():
        return name
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=["learner", "learner2", "instructor", "orgadmin", "admin"])}
    root = Organization.objects.get(code="DEMO")
    pool = [Lecturer.objects.get_or_create(name=n, defaults={"title": t, "organization": o, "topics": topics,
                                                                 "owner": root, "user": users.get(u)})[0]
            for n, t, o, topics, u in (
                ("王老师", "党校讲师", "演示党委党校", "党史、党章", "instructor"),
                ("陈教授", "教授", "省委党校", "理论学习、二十大精神", None),
                ("刘书记", "乡镇党委书记", "演示乡镇", "乡村振兴、基层治理", None))]
    survey = NeedsSurvey.objects.filter(title=f"{today.year}年冬训需求调研").first() or create_survey(users["admin"], {
        "title": f"{today.year}年冬训需求调研", "topics": "\n".join(TOPICS), "max_picks": "3",
        "organization": str(root.pk), "roots": [str(root.pk)], "year": str(today.year)})
    topics = list(survey.topics.order_by("position").values_list("pk", flat=True))
    answer(survey, users["learner"], [topics[0], topics[2], topics[1]], "希望多结合本单位实际案例。")
    answer(survey, users["learner2"], [topics[2], topics[0]], "")
    program = create_from_survey(users["admin"], survey, {
        "topics": [str(pk) for pk in topics[:3]], "name": name, "season": "winter", "kind": "members",
        "required_hours": "9", "starts": (today - datetime.timedelta(days=1)).isoformat(),
        "ends": (today + datetime.timedelta(days=30)).isoformat(), "session_hours": "3"})
    size = classes.unseated_members(program).count() // 2 + 10
    first = classes.create_class(program, "第一期", size)
    classes.create_class(program, "第二期", size)
    classes.seat(program, users["learner"].pk, first.pk)
    classes.seat(program, users["learner2"].pk, first.pk)
    classes.assign(program)
    now = timezone.localtime()
    # Held yesterday, open for sign-in now, and next week.
    times = [now - datetime.timedelta(days=1, hours=2), now - datetime.timedelta(minutes=10),
             now + datetime.timedelta(days=7)]
    for session, start, lecturer in zip(program.sessions.order_by("pk"), times, pool):
        sessions.save_session(program, {
            "topic": session.topic, "starts": start.isoformat(), "ends": (start + datetime.timedelta(hours=3)).isoformat(),
            "hours": "3", "mode": "on_site", "place": "党校报告厅", "lecturer": str(lecturer.pk)}, session)
    held = program.sessions.order_by("starts").first()
    attendance.set_status(held, users["learner2"].pk, "present", method="roll_call", by=users["admin"])
    attendance.set_status(held, users["learner"].pk, "excused", method="roll_call", by=users["admin"],
                          reason="外出参加业务培训")
    ratings.rate(held, users["learner2"], 5, "联系实际，讲得透彻。")
    return name

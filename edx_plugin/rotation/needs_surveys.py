"""Training-needs surveys of rotation training (rotation, 训前需求调研): staff offer topics (and add
their own), members of the target population rank or tick up to ``max_picks`` of them and may write a
suggestion; staff see the demand per topic, by member category and by branch.

A member's later answer replaces their earlier one (one answer per member, kept by a unique
constraint, so two tabs submitting at once leave one answer).
"""
from __future__ import annotations

from collections import defaultdict

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from ..core.models import MemberCategory, MemberProfile
from ..core.text import plain_text
from .access import in_target, target_filter
from .errors import RotationError
from .models import NeedsSurvey, SurveyChoice, SurveyResponse, SurveyTopic
from .programs import _get, _many, a_datetime, target_fields, whole_number

MAX_TOPICS = 50


def _topic_lines(raw) -> list[str]:
    lines = raw if isinstance(raw, list) else str(raw or "").splitlines()
    titles = []
    for line in lines:
        title = plain_text(line, 200, _("A topic"))
        if title and title not in titles:
            titles.append(title)
    return titles


@transaction.atomic
def create_survey(user, data) -> NeedsSurvey:
    """A survey from form or API data: title, target, ``topics`` (one per line), ``max_picks``, ``closes``."""
    title = plain_text(_get(data, "title"), 200, _("The title"))
    if not title:
        raise RotationError(_("The survey's title is required."))
    target = target_fields(user, data)
    topics = _topic_lines(_get(data, "topics"))
    if not topics:
        raise RotationError(_("Offer at least one topic, one per line."))
    if len(topics) > MAX_TOPICS:
        raise RotationError(_("At most %(max)d topics.") % {"max": MAX_TOPICS})
    max_picks = whole_number(_get(data, "max_picks") or 3, _("Topics a member may pick"), 1, MAX_TOPICS)
    closes = None
    raw_closes = str(_get(data, "closes")).strip()
    if raw_closes:
        closes = a_datetime(raw_closes, _("Closes"))
    survey = NeedsSurvey.objects.create(title=title, organization=target["organization"], year=target["year"],
                                        max_picks=max_picks, closes=closes, created_by=user)
    survey.roots.set(target["roots"])
    survey.categories.set(target["categories"])
    SurveyTopic.objects.bulk_create([SurveyTopic(survey=survey, title=t, position=i) for i, t in enumerate(topics)])
    return survey


def add_topic(survey: NeedsSurvey, raw_title) -> SurveyTopic:
    title = plain_text(raw_title, 200, _("A topic"))
    if not title:
        raise RotationError(_("The topic is empty."))
    if survey.topics.filter(title=title).exists():
        raise RotationError(_("This topic is already offered."), status=409)
    if survey.topics.count() >= MAX_TOPICS:
        raise RotationError(_("At most %(max)d topics.") % {"max": MAX_TOPICS})
    return SurveyTopic.objects.create(survey=survey, title=title, position=survey.topics.count())


def is_open(survey: NeedsSurvey) -> bool:
    return not survey.closed and (survey.closes is None or timezone.now() < survey.closes)


def surveys_for_member(user) -> list[NeedsSurvey]:
    """Open surveys whose target population holds ``user`` (a query per candidate survey of the year)."""
    if not MemberProfile.objects.filter(user=user).exists():
        return []
    candidates = NeedsSurvey.objects.filter(closed=False, year__gte=timezone.localdate().year - 1)
    return [s for s in candidates[:50] if is_open(s) and in_target(s, user)]


def answer(survey: NeedsSurvey, user, topic_ids, suggestion) -> SurveyResponse:
    """Record ``user``'s answer: ``topic_ids`` in the order of need (the first is ranked 1)."""
    if not is_open(survey):
        raise RotationError(_("This survey is closed."), status=409)
    if not in_target(survey, user):
        raise RotationError(_("This survey is not for you."), status=403)
    if not isinstance(topic_ids, list):
        raise RotationError(_("Choose the topics you need."))
    ids = []
    for raw in topic_ids:
        text = str(raw).strip()
        if not text.isdigit():
            raise RotationError(_("Unknown topic."))
        if int(text) not in ids:
            ids.append(int(text))
    if not ids:
        raise RotationError(_("Choose at least one topic."))
    if len(ids) > survey.max_picks:
        raise RotationError(_("Choose at most %(max)d topics.") % {"max": survey.max_picks})
    topics = set(survey.topics.filter(pk__in=ids).values_list("pk", flat=True))
    if len(topics) != len(ids):
        raise RotationError(_("Unknown topic."))
    text = plain_text(suggestion or "", 2000, _("The suggestion"))
    profile = MemberProfile.objects.filter(user=user).prefetch_related("categories").first()
    codes = ",".join(sorted(c.code for c in profile.categories.all()))
    for attempt in range(2):
        try:
            with transaction.atomic():
                response, _created = SurveyResponse.objects.update_or_create(
                    survey=survey, user=user,
                    defaults={"suggestion": text, "organization_id": profile.organization_id, "categories": codes})
                response.choices.all().delete()
                SurveyChoice.objects.bulk_create([SurveyChoice(response=response, topic_id=pk, rank=i + 1)
                                                  for i, pk in enumerate(ids)])
                return response
        except IntegrityError:
            if attempt:
                raise
    raise AssertionError("unreachable")


def my_answer(survey: NeedsSurvey, user) -> tuple[list[int], str]:
    response = SurveyResponse.objects.filter(survey=survey, user=user).first()
    if response is None:
        return [], ""
    return list(response.choices.order_by("rank").values_list("topic_id", flat=True)), response.suggestion


def demand(survey: NeedsSurvey) -> dict:
    """Demand per topic (members who picked it, points by rank: first of N picks scores N), by member
    category and by branch; the number of answers and of the target population. Seven queries."""
    topics = list(survey.topics.annotate(picks=Count("choices")))
    points: dict[int, int] = defaultdict(int)
    by_category: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_branch: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    choices = (SurveyChoice.objects.filter(response__survey=survey)
               .values_list("topic_id", "rank", "response__categories", "response__organization__name"))
    for topic_id, rank, codes, branch in choices:
        points[topic_id] += max(survey.max_picks + 1 - rank, 1)
        for code in filter(None, codes.split(",")):
            by_category[topic_id][code] += 1
        by_branch[topic_id][branch or "—"] += 1
    labels = {c.code: str(c) for c in MemberCategory.objects.all()}
    rows = [{"topic": t, "picks": t.picks, "points": points[t.pk],
             "categories": sorted(((labels.get(k, k), n) for k, n in by_category[t.pk].items()), key=lambda x: -x[1]),
             "branches": sorted(by_branch[t.pk].items(), key=lambda x: (-x[1], x[0]))}
            for t in topics]
    rows.sort(key=lambda r: (-r["points"], -r["picks"], r["topic"].position))
    population = MemberProfile.objects.filter(target_filter(survey)).values("pk").distinct().count()
    return {"rows": rows, "answers": survey.responses.count(), "population": population}


def suggestions(survey: NeedsSurvey, limit: int | None = 200) -> list[SurveyResponse]:
    rows = survey.responses.exclude(suggestion="").select_related("organization").order_by("-updated")
    return list(rows[:limit] if limit else rows)

"""Needs-survey pages of rotation training (rotation): staff list and create surveys, see the demand
per topic (chart, table, by category and branch, suggestions), add topics, close, export, and create a
program from the chosen topics; members of the target population answer.

Roles: staff pages: site admins, or organisation admins for surveys run by their subtree (others 403,
another subtree's survey 404). The answer page: members of the survey's target population (else 403).
"""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from ...core.errors import RuleError
from ...core.pages import xlsx_response
from .. import needs_surveys
from ..access import in_target, is_rotation_staff, managed_surveys, survey_for_staff
from ..errors import RotationError
from ..exports import survey_workbook
from ..models import NeedsSurvey
from ..programs import create_from_survey
from . import found, page
from .programs import form_choices


@login_required
def surveys_page(request):
    if not is_rotation_staff(request.user):
        raise PermissionDenied
    error, status = "", 200
    if request.method == "POST":
        try:
            survey = needs_surveys.create_survey(request.user, request.POST)
        except RuleError as exc:
            error, status = exc.message, exc.status
        else:
            return HttpResponseRedirect(reverse("party_training:rotation_survey", args=[survey.pk]))
    return page(request, "rotation/surveys.html", {
        "surveys": managed_surveys(request.user).select_related("organization")[:200], "error": error,
        "form": request.POST, **form_choices(request.user)}, status=status)


@login_required
def survey_page(request, pk):
    survey = found(lambda: survey_for_staff(request.user, pk))
    error, status = "", 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "add_topic":
                needs_surveys.add_topic(survey, request.POST.get("title", ""))
            elif action in ("close", "reopen"):
                NeedsSurvey.objects.filter(pk=survey.pk).update(closed=action == "close")
            elif action == "create_program":
                program = create_from_survey(request.user, survey, request.POST)
                return HttpResponseRedirect(reverse("party_training:rotation_program", args=[program.pk])
                                            + "?done=created")
            else:
                raise RotationError(_("Unknown action."))
        except RuleError as exc:
            error, status = exc.message, exc.status
        else:
            return HttpResponseRedirect(reverse("party_training:rotation_survey", args=[survey.pk]))
    figures = needs_surveys.demand(survey)
    chart = {"topics": [r["topic"].title for r in figures["rows"]], "picks": [r["picks"] for r in figures["rows"]],
             "points": [r["points"] for r in figures["rows"]]}
    return page(request, "rotation/survey.html", {
        "survey": survey, "figures": figures, "chart_data": chart,
        "suggestions": needs_surveys.suggestions(survey), "is_open": needs_surveys.is_open(survey),
        "programs": list(survey.programs.all()), "error": error, "form": request.POST,
        **form_choices(request.user)}, status=status, chart=True)


@login_required
def survey_export(request, pk):
    survey = found(lambda: survey_for_staff(request.user, pk))
    return xlsx_response(survey_workbook(survey), f"rotation-survey-{survey.pk}.xlsx")


def _ranked(post) -> list[str]:
    """Topic ids in the order of need: each ``rank_<id>`` field holds the rank the member gave (ticking
    every needed topic "1" is fine: ties keep the survey's order)."""
    ranked = []
    for position, (name, value) in enumerate(post.items()):
        if name.startswith("rank_") and str(value).strip():
            rank = str(value).strip()
            ranked.append((int(rank) if rank.isdigit() else 10**6, position, name[len("rank_"):]))
    return [topic for _rank, _position, topic in sorted(ranked)]


@login_required
def answer_page(request, pk):
    survey = found(lambda: NeedsSurvey.objects.get(pk=pk))
    if not in_target(survey, request.user):
        return page(request, "core/forbidden.html", {"text": _("This survey is not for you.")}, status=403)
    error, status, done = "", 200, request.GET.get("done") == "1"
    if request.method == "POST":
        try:
            needs_surveys.answer(survey, request.user, _ranked(request.POST), request.POST.get("suggestion", ""))
        except RuleError as exc:
            error, status = exc.message, exc.status
        else:
            return HttpResponseRedirect(reverse("party_training:rotation_survey_answer", args=[pk]) + "?done=1")
    chosen, suggestion = needs_surveys.my_answer(survey, request.user)
    if request.method == "POST":
        chosen = [int(v) for v in _ranked(request.POST) if v.isdigit()]
        suggestion = request.POST.get("suggestion", "")
    topics = list(survey.topics.all())
    ranks = {pk: i + 1 for i, pk in enumerate(chosen)}
    return page(request, "rotation/answer.html", {
        "survey": survey, "topics": [{"topic": t, "rank": ranks.get(t.pk)} for t in topics],
        "suggestion": suggestion, "is_open": needs_surveys.is_open(survey), "error": error, "done": done,
        "rank_choices": list(range(1, min(survey.max_picks, len(topics)) + 1)),
    }, status=status)

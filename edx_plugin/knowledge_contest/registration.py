"""What knowledge contests (knowledge_contest) contribute to what gathers from every area: the
ledger's "contest" lines link to the contest's unit, the learning file lists the member's counted
contest results of the year, and course staff find among their tools the question banks and each
contest's live view and results workbook."""
from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..core.lms import course_components, course_titles, ledger_line_unit
from ..core.models import HourSource
from ..core.registry import ExportKind, JobKind, LearningFileSection, LedgerSource, StaffTool
from .bank_files import export_bank
from .banks import count_course_banks
from .exports import results_workbook, run_results_export
from .live_exports import game_workbook
from .live_results import run_results_job as run_live_results
from .models import (AttemptStatus, ContestAnswer, ContestAttempt, ContestExport, ContestResult, ContestScoreCount,
                     ContestTitle, LiveAnswer, LiveGame, LiveGameResults, LivePlayer, Question, QuestionBank,
                     QuestionType)

SAMPLE_COURSE = "course-v1:Sample+KC+2026"


def contest_links(course_id: str) -> list[tuple[str, str]]:
    """Each contest of the course: its live view and its results workbook (the staff dashboard's links)."""
    links = []
    for usage_id, title in course_components(course_id, "knowledge_contest"):
        name = title or _("Knowledge contest")
        links.append((_("%(contest)s: live view") % {"contest": name},
                      reverse("party_training:contest_live", kwargs={"usage_id": usage_id})))
        links.append((_("%(contest)s: results (XLSX)") % {"contest": name},
                      reverse("party_training:contest_results_export", kwargs={"usage_id": usage_id})))
    return links

def contest_results(user, year: int) -> tuple[list, list[list]]:
    """The member's counted contest results finished in ``year``, with their rank (one query: the
    rank is the per-score counts above the score plus the faster results with the same score)."""
    ahead = (ContestScoreCount.objects.filter(usage_id=OuterRef("usage_id"), total__gt=OuterRef("total"))
             .values("usage_id").annotate(n=Sum("count")).values("n"))
    faster = (ContestResult.objects.filter(usage_id=OuterRef("usage_id"), total=OuterRef("total"),
                                           duration_ms__lt=OuterRef("duration_ms"))
              .values("usage_id").annotate(n=Count("id")).values("n"))
    zero = Value(0, output_field=IntegerField())
    title = ContestTitle.objects.filter(usage_id=OuterRef("usage_id")).values("title")[:1]
    results = (ContestResult.objects.filter(user=user, attempt__finished__year=year)
               .annotate(ahead=Coalesce(Subquery(ahead, output_field=IntegerField()), zero),
                         faster=Coalesce(Subquery(faster, output_field=IntegerField()), zero),
                         title=Subquery(title))
               .values("usage_id", "course_id", "total", "max_score", "ahead", "faster", "attempt__finished",
                       "title", "attempt__score", "attempt__bonus")
               .order_by("attempt__finished"))
    columns = [_("Finished"), _("Knowledge contest"), _("Course"), _("Score"), _("Rank")]
    results = list(results)
    courses = course_titles(r["course_id"] for r in results)
    # The contest by its title (the id only as a last resort); the score against its true maximum,
    # a bonus apart.
    rows = [[timezone.localtime(r["attempt__finished"]).strftime("%Y-%m-%d %H:%M"),
             r["title"] or str(_("Knowledge contest")), courses.get(r["course_id"], ""),
             f"{r['attempt__score']:g} / {r['max_score']:g}" + (f" + {r['attempt__bonus']:g}" if r["attempt__bonus"]
                                                                else ""),
             r["ahead"] + r["faster"] + 1] for r in results]
    return columns, rows


def _sample_question(text: str) -> Question:
    bank = QuestionBank.objects.create(code="export-sample", name=text[:200], description=text)
    return Question.objects.create(bank=bank, qtype=QuestionType.SINGLE, stem=text, options=[text, text[:1] + "2"],
                                   answer=["A"], explanation=text, category=text[:100], fingerprint="export-sample")


def bank_sample(text: str, member) -> dict[str, bytes]:
    """A bank export whose bank name and question texts hold ``text``."""
    return {"bank.xlsx": export_bank(_sample_question(text).bank)}


def results_sample(text: str, member) -> dict[str, bytes]:
    """The results workbook (results and item analysis) of a contest whose learner's names and
    branch, and whose question, hold ``text``."""
    usage_id = "block-v1:Sample+KC+2026+type@knowledge_contest+block@export_sample"
    question, learner, now = _sample_question(text), member(), timezone.now()
    attempt = ContestAttempt.objects.create(
        user=learner, course_id=SAMPLE_COURSE, usage_id=usage_id, number=1, status=AttemptStatus.SUBMITTED,
        open_slot=None, started=now, deadline=now, finished=now, question_ids=[question.pk], score=1, max_score=1,
        duration_ms=1000)
    ContestAnswer.objects.create(attempt=attempt, question=question, usage_id=usage_id, response=["A"],
                                 is_correct=True, points=1, answered=now)
    ContestResult.objects.create(user=learner, course_id=SAMPLE_COURSE, usage_id=usage_id, attempt=attempt,
                                 organization=learner.party_profile.organization, total=1, max_score=1,
                                 duration_ms=1000)
    return {"results.xlsx": results_workbook(usage_id)}


def live_game_sample(text: str, member) -> dict[str, bytes]:
    """A live game's workbook whose title, question and player (name and branch) hold ``text``."""
    question, learner, now = _sample_question(text), member(), timezone.now()
    game = LiveGame.objects.create(
        usage_id="block-v1:Sample+KC+2026+type@knowledge_contest+block@live_sample", course_id=SAMPLE_COURSE,
        title=text[:255], pin=None, open_slot=None, status="ended", position=0, started=now, ended=now,
        questions=[{"id": question.pk, "qtype": "single", "stem": text, "options": [text, "2"], "answer": ["A"],
                    "explanation": text}], rules={"points": 1000})
    player = LivePlayer.objects.create(game=game, user=learner, organization=learner.party_profile.organization,
                                       score=1000, total=1000, correct_count=1, answered_count=1, time_ms=1000)
    LiveAnswer.objects.create(game=game, player=player, position=0, question_id=question.pk, response=["A"],
                              is_correct=True, points=1000, elapsed_ms=1000, answered=now)
    return {"live-game.xlsx": game_workbook(game)}


def register(registry) -> None:
    registry.add_ledger_source(LedgerSource(kind=HourSource.CONTEST, label=HourSource.CONTEST.label,
                                            link=ledger_line_unit))
    registry.add_learning_file_section(LearningFileSection(
        key="knowledge_contest", title=_("Knowledge contests this year"), rows=contest_results, order=20))
    registry.add_staff_tool(StaffTool(
        key="knowledge_contest_banks", label=_("Question banks"),
        url=lambda course_id: reverse("party_training:contest_banks"), count=count_course_banks, order=20,
        count_label=_("Question banks")))
    registry.add_staff_tool(StaffTool(
        key="knowledge_contest_live", label=_("Knowledge contests: live views and results"),
        url=lambda course_id: reverse("party_training:contest_banks"),
        count=lambda course_id: len(course_components(course_id, "knowledge_contest")), order=21,
        count_label=_("Contests"), links=contest_links))
    registry.add_job_kind(JobKind(model=ContestExport, run=run_results_export))
    registry.add_job_kind(JobKind(model=LiveGameResults, run=run_live_results))
    registry.add_export(ExportKind(key="knowledge_contest_bank", label=_("Question bank"), sample=bank_sample))
    registry.add_export(ExportKind(key="knowledge_contest_results", label=_("Contest results"), sample=results_sample))
    registry.add_export(ExportKind(key="knowledge_contest_live_game", label=_("Live contest results"),
                                   sample=live_game_sample))

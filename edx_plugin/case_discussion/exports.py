"""The whole discussion as an XLSX workbook (case_discussion), through core's one writer (user text
written as text): groups, analyses, replies, likes and grades, one sheet each, streamed row by row.
A discussion larger than ``EXPORT_SYNC_LIMIT`` rows is exported by a background job (core's job path)
whose file staff of its course download."""
from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.core.files import File
from django.core.files.storage import default_storage
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..core import jobs
from ..core.conf import setting
from ..core.permissions import is_course_staff
from ..core.xlsx import Sheet, workbook_bytes
from .discussions import DiscussionSettings, local_time, settings_of
from .errors import CaseDiscussionError
from .groups import discussion_groups, group_label
from .models import (CaseAnalysis, CaseDiscussion, CaseExportJob, CaseGrade, CaseGroup, CaseLike, CaseMember,
                     CaseReply)

CHUNK = 2000
_PERSON = ("username", "party_profile__full_name")


def _name(row: dict, prefix: str) -> tuple[str, str]:
    return row[f"{prefix}__username"], row[f"{prefix}__party_profile__full_name"] or ""


def _person(prefix: str) -> list[str]:
    return [f"{prefix}__{name}" for name in _PERSON]


def discussion_workbook(config: DiscussionSettings, progress: Callable[[int], object] | None = None) -> bytes:
    """The workbook; ``progress(rows_done)`` is called every ``CHUNK`` analyses or replies (jobs report it)."""
    usage_id = config.usage_id
    done = [0]

    def counted(row):
        done[0] += 1
        if progress and done[0] % CHUNK == 0:
            progress(done[0])
        return row
    groups = discussion_groups(usage_id)
    labels = {g.pk: group_label(g) for g in groups}
    posted = dict(CaseAnalysis.objects.filter(usage_id=usage_id).values("group_id").annotate(n=Count("id"))
                  .values_list("group_id", "n"))
    questions = list(config.questions) or [_("Analysis")]

    def members():
        rows = (CaseMember.objects.filter(usage_id=usage_id).order_by("group__number", "user_id")
                .values("group_id", "joined", "analysis__id", *_person("user")))
        for row in rows.iterator(chunk_size=CHUNK):
            yield [labels.get(row["group_id"], ""), *_name(row, "user"), local_time(row["joined"]),
                   _("Yes") if row["analysis__id"] else _("No")]

    def analyses():
        rows = (CaseAnalysis.objects.filter(usage_id=usage_id).order_by("group_id", "id")
                .values("id", "group_id", "answers", "char_count", "created", "edited", "featured", "hidden",
                        "hidden_reason", "like_count", "reply_count", *_person("author")))
        for row in rows.iterator(chunk_size=CHUNK):
            answers = list(row["answers"]) + [""] * (len(questions) - len(row["answers"]))
            yield counted([row["id"], labels.get(row["group_id"], ""), *_name(row, "author"), *answers[:len(questions)],
                           row["char_count"], local_time(row["created"]), local_time(row["edited"]),
                           _("Yes") if row["featured"] else "", row["hidden_reason"] if row["hidden"] else "",
                           row["like_count"], row["reply_count"]])

    def replies():
        rows = (CaseReply.objects.filter(analysis__usage_id=usage_id).order_by("analysis_id", "id")
                .values("analysis_id", "text", "created", *_person("author")))
        for row in rows.iterator(chunk_size=CHUNK):
            yield counted([row["analysis_id"], *_name(row, "author"), row["text"], local_time(row["created"])])

    def likes():
        rows = (CaseLike.objects.filter(analysis__usage_id=usage_id).order_by("analysis_id", "id")
                .values("analysis_id", "created", *_person("user")))
        for row in rows.iterator(chunk_size=CHUNK):
            yield [row["analysis_id"], *_name(row, "user"), local_time(row["created"])]

    def grades():
        rows = (CaseGrade.objects.filter(usage_id=usage_id).order_by("user_id")
                .values("score", "comment", "graded_at", "graded_by__username", *_person("user")))
        for row in rows.iterator(chunk_size=CHUNK):
            yield [*_name(row, "user"), f"{row['score'].normalize():f}", f"{config.max_score.normalize():f}",
                   row["comment"], row["graded_by__username"] or "", local_time(row["graded_at"])]

    person = [_("Username"), _("Name")]
    return workbook_bytes([
        Sheet(_("Groups"), [_("Group"), _("Members"), _("Posted")],
              ([labels[g.pk], g.size, posted.get(g.pk, 0)] for g in groups), caption=config.title),
        Sheet(_("Members"), [_("Group"), *person, _("Joined"), _("Posted")], members()),
        Sheet(_("Analyses"), [_("Analysis"), _("Group"), *person, *questions, _("Characters"), _("Posted"),
                              _("Edited"), _("Featured"), _("Hidden (reason)"), _("Likes"), _("Replies")],
              analyses(), widths={n: 48 for n in range(5, 5 + len(questions))}),
        Sheet(_("Replies"), [_("Analysis"), *person, _("Reply"), _("Posted")], replies(), widths={4: 60}),
        Sheet(_("Likes"), [_("Analysis"), *person, _("Liked")], likes()),
        Sheet(_("Grades"), [*person, _("Score"), _("Maximum score"), _("Comment"), _("Graded by"), _("Graded")],
              grades(), widths={5: 48}),
    ])


def export_size(usage_id: str, limit: int) -> int:
    """Analyses and replies of a discussion, counted up to ``limit + 1`` each (bounded work)."""
    return (CaseAnalysis.objects.filter(usage_id=usage_id)[:limit + 1].count()
            + CaseReply.objects.filter(analysis__usage_id=usage_id)[:limit + 1].count())


def needs_background_export(usage_id: str) -> bool:
    """Whether the discussion has more rows than a request may write (EXPORT_SYNC_LIMIT)."""
    limit = setting("EXPORT_SYNC_LIMIT")
    return export_size(usage_id, limit) > limit


def request_export(discussion: CaseDiscussion, user) -> CaseExportJob:
    """Record the export of a large discussion; core's job path runs it once the row is committed."""
    job = CaseExportJob.objects.create(
        usage_id=discussion.usage_id, course_id=discussion.course_id, requested_by=user,
        language=translation.get_language() or "", total=export_size(discussion.usage_id, 10 ** 9))
    jobs.enqueue(job)
    return job


def run_export(job: CaseExportJob, progress: Callable[[int, int | None], None]) -> dict:
    """The work of a claimed export job: the workbook into the site's storage, reporting progress."""
    discussion = CaseDiscussion.objects.get(usage_id=job.usage_id)
    content = discussion_workbook(settings_of(discussion), progress=progress)
    name = jobs.store_file(content, "case_discussions", f"discussion-{job.pk}")
    return {"file_name": name, "done": job.total}


def latest_export(usage_id: str) -> CaseExportJob | None:
    return CaseExportJob.objects.filter(usage_id=usage_id).order_by("-created").first()


def export_file(user, course_id: str, job_id: int) -> tuple[File, str]:
    """A finished export's open file and download name, for course staff of its course (403), 404
    when there is no such export in the course or its file is gone."""
    job = CaseExportJob.objects.filter(pk=job_id, course_id=course_id).first()
    if job is None or not job.offered_file or not default_storage.exists(job.offered_file):
        raise CaseDiscussionError(_("This export does not exist."), 404)
    if not is_course_staff(user, job.course_id):
        raise CaseDiscussionError(_("Only course staff may do this."), 403)
    stamp = timezone.localtime(job.finished).strftime("%Y%m%d-%H%M")
    return default_storage.open(job.file_name, "rb"), f"case-discussion-{stamp}.xlsx"


SAMPLE_COURSE = "course-v1:Sample+CD+2026"


def export_sample(text: str, member) -> dict[str, bytes]:
    """The workbook of a discussion whose every user-written field holds ``text`` (the every-export test)."""
    author = member()
    usage_id = f"block-v1:Sample+CD+2026+type@case_discussion+block@{CaseDiscussion.objects.count() + 1}"
    discussion = CaseDiscussion.objects.create(course_id=SAMPLE_COURSE, usage_id=usage_id, title=text[:255],
                                               questions=[text], max_score=Decimal(10))
    group = CaseGroup.objects.create(discussion=discussion, key="course", name=text[:200])
    joined = CaseMember.objects.create(usage_id=usage_id, user=author, group=group)
    analysis = CaseAnalysis.objects.create(member=joined, course_id=SAMPLE_COURSE, usage_id=usage_id, group=group,
                                           author=author, answers=[text], char_count=len(text), hidden=True,
                                           hidden_reason=text[:500])
    CaseReply.objects.create(analysis=analysis, author=author, text=text)
    CaseGrade.objects.create(usage_id=usage_id, user=author, score=Decimal(8), comment=text, graded_by=author)
    return {"discussion.xlsx": discussion_workbook(settings_of(discussion))}

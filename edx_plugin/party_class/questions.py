"""Questions to the lecturer of a party class (party_class, 热点难点疑点): learners ask and vote,
staff see the whole board, answer, publish, hide and merge duplicates. Votes are rows (one per
learner and question, a unique constraint) and the question's counter changes only with them."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ..core.text import count_chars, plain_text
from .errors import PartyClassError
from .learners import display_name, profile_of, row_id
from .models import PartyClassQuestion, PartyClassVote, QuestionTag
from .sign_in import phase

MAX_QUESTION_CHARS = 500
MAX_QUESTIONS_PER_LEARNER = 20
MAX_ANSWER_CHARS = 5000


@dataclass(frozen=True)
class QuestionRules:
    """How a class takes questions, as its author set it."""

    enabled: bool = True
    open_at: datetime.datetime | None = None
    close_at: datetime.datetime | None = None
    allow_anonymous: bool = True
    answers_need_publish: bool = True


def tag_choices() -> list[tuple[str, str]]:
    """The kinds of question a learner picks from: (value, translated label)."""
    return [(value, str(label)) for value, label in QuestionTag.choices]


def questions_open(rules: QuestionRules, now: datetime.datetime | None = None) -> bool:
    return rules.enabled and phase(rules.open_at, rules.close_at, now) == "open"


def ask_question(user, course_id: str, usage_id: str, rules: QuestionRules, *, text, tag,
                 anonymous: bool = False) -> PartyClassQuestion:
    """A learner's question, within the window and the per-learner limit; plain text only."""
    if not rules.enabled:
        raise PartyClassError(_("This class does not take questions."))
    window = phase(rules.open_at, rules.close_at)
    if window == "early":
        raise PartyClassError(_("Questions are not open yet."))
    if window == "late":
        raise PartyClassError(_("Questions are closed."))
    if tag not in QuestionTag.values:
        raise PartyClassError(_("Please choose whether this is a hot topic, a difficult point or a doubt."))
    if anonymous and not rules.allow_anonymous:
        raise PartyClassError(_("Anonymous questions are not allowed in this class."))
    text = plain_text(text, MAX_QUESTION_CHARS, _("Your question"))
    if count_chars(text) < 2:
        raise PartyClassError(_("Please write your question."))
    if PartyClassQuestion.objects.filter(usage_id=usage_id, author=user).count() >= MAX_QUESTIONS_PER_LEARNER:
        raise PartyClassError(_("You have asked the most questions one learner may ask in this class."))
    return PartyClassQuestion.objects.create(course_id=course_id, usage_id=usage_id, author=user, tag=tag,
                                             text=text, anonymous=bool(anonymous))


def _answer_visible(question: PartyClassQuestion, rules: QuestionRules) -> bool:
    return bool(question.answer) and (question.answer_published or not rules.answers_need_publish)


def _question_dict(question: PartyClassQuestion, *, viewer_id: int, voted: set[int], rules: QuestionRules,
                   staff: bool) -> dict:
    author = question.author
    data = {
        "id": question.pk, "tag": question.tag, "tag_label": str(QuestionTag(question.tag).label),
        "text": question.text, "votes": question.votes, "created": question.created.isoformat(),
        "author": _("Anonymous") if question.anonymous else display_name(author, profile_of(author)),
        "mine": question.author_id == viewer_id, "voted": question.pk in voted,
        "answer": question.answer if (staff or _answer_visible(question, rules)) else "",
        "answer_published": question.answer_published,
    }
    if staff:
        data.update({"hidden": question.hidden, "merged_into": question.merged_into_id,
                     "anonymous": question.anonymous})
    return data


def learner_questions(user, usage_id: str, rules: QuestionRules) -> list[dict]:
    """Questions a learner may see: not hidden, not merged, by votes (two queries)."""
    questions = list(
        PartyClassQuestion.objects.filter(usage_id=usage_id, hidden=False, merged_into__isnull=True)
        .select_related("author__party_profile").order_by("-votes", "created")[:500]
    )
    voted = set(PartyClassVote.objects.filter(user=user, question__usage_id=usage_id)
                .values_list("question_id", flat=True))
    return [_question_dict(q, viewer_id=user.pk, voted=voted, rules=rules, staff=False) for q in questions]


def question_board(user, usage_id: str, rules: QuestionRules) -> list[dict]:
    """Every question of the class for staff, hidden and merged ones too, by votes (one query)."""
    questions = PartyClassQuestion.objects.filter(usage_id=usage_id).select_related(
        "author__party_profile").order_by("-votes", "created")
    return [_question_dict(q, viewer_id=user.pk, voted=set(), rules=rules, staff=True) for q in questions]


def vote(user, usage_id: str, question_id) -> tuple[int, bool]:
    """One vote per learner and question; returns (votes now, whether this call added one)."""
    with transaction.atomic():
        # Locking the question first orders concurrent voters (the vote's foreign-key check
        # would otherwise take shared locks that deadlock against the counter update).
        question = (PartyClassQuestion.objects.select_for_update()
                    .filter(pk=row_id(question_id), usage_id=usage_id, hidden=False, merged_into__isnull=True)
                    .first())
        if question is None:
            raise PartyClassError(_("This question is no longer on the board."), status=404)
        if question.author_id == user.pk:
            raise PartyClassError(_("You cannot vote for your own question."))
        try:
            with transaction.atomic():
                PartyClassVote.objects.create(question=question, user=user)
        except IntegrityError:
            return question.votes, False
        PartyClassQuestion.objects.filter(pk=question.pk).update(votes=F("votes") + 1)
        return question.votes + 1, True


# --- moderation (staff) ------------------------------------------------------------------------
def _staff_question(usage_id: str, question_id) -> PartyClassQuestion:
    question = PartyClassQuestion.objects.filter(pk=row_id(question_id), usage_id=usage_id).first()
    if question is None:
        raise PartyClassError(_("This question does not exist."), status=404)
    return question


def answer_question(staff_user, usage_id: str, question_id, answer, *, publish: bool | None = None) -> None:
    """Save the lecturer's answer; an empty answer withdraws it."""
    answer = plain_text(answer, MAX_ANSWER_CHARS, _("The answer"))
    question = _staff_question(usage_id, question_id)
    question.answer = answer
    question.answered_by = staff_user if answer else None
    question.answered_at = timezone.now() if answer else None
    if publish is not None:
        question.answer_published = bool(publish and answer)
    if not answer:
        question.answer_published = False
    question.save(update_fields=["answer", "answered_by", "answered_at", "answer_published"])


def publish_answer(usage_id: str, question_id, published: bool) -> None:
    question = _staff_question(usage_id, question_id)
    if published and not question.answer:
        raise PartyClassError(_("Write an answer before publishing it."))
    PartyClassQuestion.objects.filter(pk=question.pk).update(answer_published=bool(published))


def hide_question(usage_id: str, question_id, hidden: bool) -> None:
    question = _staff_question(usage_id, question_id)
    PartyClassQuestion.objects.filter(pk=question.pk).update(hidden=bool(hidden))


@transaction.atomic
def merge_questions(usage_id: str, duplicate_id, target_id) -> int:
    """Merge a duplicate into another question: its voters, and its author, now back the target.

    Returns the target's votes. Both rows are locked in primary-key order (no deadlocks)."""
    ids = sorted({row_id(duplicate_id), row_id(target_id)})
    if len(ids) != 2:
        raise PartyClassError(_("A question cannot be merged into itself."))
    rows = {q.pk: q for q in PartyClassQuestion.objects.select_for_update().filter(pk__in=ids, usage_id=usage_id)
            .order_by("pk")}
    duplicate, target = rows.get(row_id(duplicate_id)), rows.get(row_id(target_id))
    if duplicate is None or target is None:
        raise PartyClassError(_("This question does not exist."), status=404)
    if target.merged_into_id or target.hidden:
        raise PartyClassError(_("Merge into a question that is still on the board."))
    backers = set(PartyClassVote.objects.filter(question=duplicate).values_list("user_id", flat=True))
    backers.add(duplicate.author_id)
    backers.discard(target.author_id)
    PartyClassVote.objects.bulk_create([PartyClassVote(question=target, user_id=u) for u in backers],
                                       ignore_conflicts=True)
    PartyClassQuestion.objects.filter(merged_into=duplicate).update(merged_into=target)
    PartyClassQuestion.objects.filter(pk=duplicate.pk).update(merged_into=target)
    votes = PartyClassVote.objects.filter(question=target).count()
    PartyClassQuestion.objects.filter(pk=target.pk).update(votes=votes)
    return votes


def moderate(staff_user, usage_id: str, question_id, action, data: dict) -> None:
    """One moderation action of the staff board: answer, (un)publish, (un)hide or merge."""
    if action == "answer":
        publish = data.get("publish")
        answer_question(staff_user, usage_id, question_id, data.get("answer", ""),
                        publish=None if publish is None else bool(publish))
    elif action in ("publish", "unpublish"):
        publish_answer(usage_id, question_id, action == "publish")
    elif action in ("hide", "unhide"):
        hide_question(usage_id, question_id, action == "hide")
    elif action == "merge":
        merge_questions(usage_id, question_id, data.get("target_id"))
    else:
        raise PartyClassError(_("Unknown action."))

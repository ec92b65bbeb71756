"""Rules of the party class (党课): sign-in codes and sign-ins, questions and votes, reflections,
completion and hours, attendance.

The block passes its authored settings in as small rule objects; everything a learner does is
stored in the plugin models of ``models/party_class.py``. Errors are ``PartyClassError`` with a
translated message and the HTTP status a handler should answer with.
"""
from __future__ import annotations

import datetime
import hashlib
import hmac
import html
import io
import re
import struct
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import nh3
import segno
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..core.models import HourSource, MemberProfile, Organization
from .models import PartyClassProgress, PartyClassQuestion, PartyClassReflection, PartyClassSignIn, PartyClassVote, QuestionTag, ReflectionStatus, SignInMethod
from ..core.ledger import credit_hours
from ..core.organizations import subtree_of_many

CODE_DIGITS = 6
MIN_CODE_PERIOD, MAX_CODE_PERIOD = 10, 3600
# A code this many windows old is "expired" (a clear message), not "wrong" (a counted guess).
EXPIRED_WINDOWS = 20
# Wrong on-site codes a learner may type per block before waiting GUESS_WINDOW seconds.
GUESS_LIMIT = 5
GUESS_WINDOW = 300
MAX_QUESTION_CHARS = 500
MAX_QUESTIONS_PER_LEARNER = 20
MAX_ANSWER_CHARS = 5000
MAX_REFLECTION_CHARS = 20000

# Rich text an author may use in the lecture text.
RICH_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "blockquote", "h3", "h4", "h5", "a", "img",
    "table", "thead", "tbody", "tr", "th", "td", "span", "sub", "sup", "hr",
}
RICH_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "width", "height"}, "th": {"scope"}}
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class PartyClassError(ValueError):
    """A rule refused the request; ``message`` is translated and safe to show."""

    def __init__(self, message: str, status: int = 400, **extra):
        super().__init__(message)
        self.message = message
        self.status = status
        self.extra = extra


# --- sanitizing ------------------------------------------------------------------------------
def sanitize_rich_text(value: str) -> str:
    """Authored HTML reduced to an allow-list of tags and attributes; links only http(s)/mailto."""
    return nh3.clean(value or "", tags=RICH_TAGS, attributes=RICH_ATTRIBUTES,
                     url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer")


def clean_plain_text(value, max_chars: int) -> str:
    """Learner text as plain text: markup and control characters removed, newlines normalised.

    The result is text, not HTML: it is escaped wherever it is shown."""
    if not isinstance(value, str):
        raise PartyClassError(_("The text is missing."))
    text = html.unescape(nh3.clean(value.replace("\r\n", "\n").replace("\r", "\n"), tags=set()))
    text = _CONTROL_CHARS.sub("", text).strip()
    if len(text) > max_chars:
        raise PartyClassError(_("The text is too long (at most %(max)d characters).") % {"max": max_chars})
    return text


def counted_length(text: str) -> int:
    """Characters that count towards a minimum length: everything but whitespace."""
    return len("".join(text.split()))


# --- rotating on-site code -------------------------------------------------------------------
def _block_key(usage_id: str) -> bytes:
    """The block's own secret, derived from the site's SECRET_KEY: every LMS process agrees."""
    return salted_hmac("party_training.party_class.signin_code", usage_id, algorithm="sha256").digest()


def code_for_window(usage_id: str, window: int) -> str:
    """HOTP (RFC 4226) of the time window under the block's key: a zero-padded 6-digit code."""
    digest = hmac.new(_block_key(usage_id), struct.pack(">Q", window), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10 ** CODE_DIGITS).zfill(CODE_DIGITS)


def _window(period: int, now: datetime.datetime | None) -> tuple[int, float]:
    timestamp = (now or timezone.now()).timestamp()
    return int(timestamp // period), timestamp


def current_code(usage_id: str, period: int, now: datetime.datetime | None = None) -> tuple[str, int]:
    """The code to project now and the seconds until it changes."""
    window, timestamp = _window(period, now)
    return code_for_window(usage_id, window), max(1, int((window + 1) * period - timestamp + 0.999))


def check_code(usage_id: str, period: int, code: str, now: datetime.datetime | None = None) -> str:
    """"valid" for the current or the previous window's code, "expired" for an older one, else "wrong"."""
    window = _window(period, now)[0]
    if any(hmac.compare_digest(code, code_for_window(usage_id, w)) for w in (window, window - 1)):
        return "valid"
    if any(hmac.compare_digest(code, code_for_window(usage_id, window - back))
           for back in range(2, EXPIRED_WINDOWS + 1)):
        return "expired"
    return "wrong"


def qr_svg(url: str) -> str:
    """The URL as a QR code in SVG (scalable: a viewBox, no fixed size)."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=1, border=2, xmldecl=False, svgns=True, nl=False,
                                    omitsize=True, svgclass="party-class-qr-svg", dark="#000", light="#fff")
    return out.getvalue().decode("ascii")


# --- rate limit on wrong codes ---------------------------------------------------------------
def _guess_key(usage_id: str, user_id: int) -> str:
    digest = hashlib.sha256(usage_id.encode("utf-8")).hexdigest()[:32]
    return f"party_training:party_class:wrong_codes:{digest}:{user_id}"


def wrong_guesses(usage_id: str, user_id: int) -> int:
    return int(cache.get(_guess_key(usage_id, user_id)) or 0)


def _count_wrong_guess(usage_id: str, user_id: int) -> int:
    """Count one wrong code atomically in the shared cache; the window starts at the first one."""
    key = _guess_key(usage_id, user_id)
    cache.add(key, 0, GUESS_WINDOW)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, GUESS_WINDOW)
        return 1


# --- sign-in ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class SignInRules:
    online: bool = True
    online_start: datetime.datetime | None = None
    online_end: datetime.datetime | None = None
    onsite: bool = True
    code_period: int = 30


def _phase(start, end, now: datetime.datetime | None = None) -> str:
    """Where ``now`` stands against an optional [start, end] window: "early", "open" or "late"."""
    now = now or timezone.now()
    if start is not None and now < start:
        return "early"
    if end is not None and now > end:
        return "late"
    return "open"


def online_open(rules: SignInRules, now: datetime.datetime | None = None) -> bool:
    return rules.online and _phase(rules.online_start, rules.online_end, now) == "open"


def find_sign_in(user, usage_id: str) -> PartyClassSignIn | None:
    return PartyClassSignIn.objects.filter(usage_id=usage_id, user=user).first()


def sign_in(user, course_id: str, usage_id: str, rules: SignInRules, *, method: str, code: str = "",
            now: datetime.datetime | None = None) -> tuple[PartyClassSignIn, bool]:
    """Sign ``user`` in once. A second sign-in, also a concurrent one, returns the first and False."""
    existing = find_sign_in(user, usage_id)
    if existing is not None:
        return existing, False
    now = now or timezone.now()
    if method == SignInMethod.ONLINE:
        if not rules.online:
            raise PartyClassError(_("Online check-in is not offered for this class."))
        window = _phase(rules.online_start, rules.online_end, now)
        if window == "early":
            raise PartyClassError(_("Online check-in has not opened yet."))
        if window == "late":
            raise PartyClassError(_("Online check-in has closed."))
    elif method == SignInMethod.ONSITE:
        _check_onsite_code(user, usage_id, rules, code, now)
    else:
        raise PartyClassError(_("Unknown way of signing in."))
    return _insert_sign_in(course_id, usage_id, user, method)


def _insert_sign_in(course_id: str, usage_id: str, user, method: str) -> tuple[PartyClassSignIn, bool]:
    """Insert the sign-in; the unique constraint turns a concurrent second one into (the first, False)."""
    try:
        with transaction.atomic():
            return PartyClassSignIn.objects.create(course_id=course_id, usage_id=usage_id, user=user,
                                                   method=method), True
    except IntegrityError:
        return PartyClassSignIn.objects.get(usage_id=usage_id, user=user), False


def _check_onsite_code(user, usage_id: str, rules: SignInRules, code, now) -> None:
    if not rules.onsite:
        raise PartyClassError(_("On-site sign-in is not offered for this class."))
    if wrong_guesses(usage_id, user.pk) >= GUESS_LIMIT:
        raise PartyClassError(
            _("Too many wrong codes. Please wait %(minutes)d minutes and try again, or ask the lecturer for help.")
            % {"minutes": GUESS_WINDOW // 60}, status=429)
    code = re.sub(r"\s+", "", code if isinstance(code, str) else "")
    if not re.fullmatch(rf"\d{{{CODE_DIGITS}}}", code):
        raise PartyClassError(_("Please type the %(digits)d-digit code shown on the screen.") % {"digits": CODE_DIGITS})
    verdict = check_code(usage_id, rules.code_period, code, now)
    if verdict == "expired":
        raise PartyClassError(_("This code has expired. Please type the code shown on the screen now."))
    if verdict == "wrong":
        left = max(0, GUESS_LIMIT - _count_wrong_guess(usage_id, user.pk))
        raise PartyClassError(ngettext(
            "Wrong code. You may try %(left)d more time.", "Wrong code. You may try %(left)d more times.", left,
        ) % {"left": left}, status=400 if left else 429, tries_left=left)


def record_sign_in(course_id: str, usage_id: str, username) -> tuple[PartyClassSignIn, bool]:
    """Staff record a learner present (补签: no phone, a lost code). Once per learner, like any sign-in."""
    user = get_user_model().objects.filter(username=str(username or "").strip()).first()
    if user is None:
        raise PartyClassError(_("No learner has this user name."), status=404)
    return _insert_sign_in(course_id, usage_id, user, SignInMethod.STAFF)


def sign_in_count(usage_id: str) -> int:
    return PartyClassSignIn.objects.filter(usage_id=usage_id).count()


# --- completion and hours --------------------------------------------------------------------
@dataclass(frozen=True)
class CompletionRules:
    signin: bool = True
    content: bool = True
    reflection: bool = False
    hours: Decimal = Decimal("0")
    title: str = ""


def mark_content_done(user, course_id: str, usage_id: str) -> None:
    progress = _learner_row(PartyClassProgress, user, course_id, usage_id, content_done_at=timezone.now())
    if progress.content_done_at is None:
        PartyClassProgress.objects.filter(pk=progress.pk, content_done_at__isnull=True).update(
            content_done_at=timezone.now())


@dataclass
class Requirements:
    signin: bool | None      # None: not required
    content: bool | None
    reflection: bool | None
    completed: bool

    @property
    def met(self) -> bool:
        return all(done is not False for done in (self.signin, self.content, self.reflection))

    def as_dict(self) -> dict:
        return {"signin": self.signin, "content": self.content, "reflection": self.reflection,
                "completed": self.completed}


def requirements(user, usage_id: str, rules: CompletionRules, *, signed_in: bool | None = None,
                 progress: PartyClassProgress | None = None) -> Requirements:
    """Where ``user`` stands on each requirement (at most three small queries; fewer when known)."""
    if progress is None:
        progress = PartyClassProgress.objects.filter(usage_id=usage_id, user=user).first()
    if rules.signin and signed_in is None:
        signed_in = PartyClassSignIn.objects.filter(usage_id=usage_id, user=user).exists()
    submitted = None
    if rules.reflection:
        submitted = PartyClassReflection.objects.filter(
            usage_id=usage_id, user=user, status=ReflectionStatus.SUBMITTED).exists()
    return Requirements(
        signin=bool(signed_in) if rules.signin else None,
        content=bool(progress and progress.content_done_at) if rules.content else None,
        reflection=submitted,
        completed=bool(progress and progress.completed_at),
    )


def complete_if_done(user, course_id: str, usage_id: str, rules: CompletionRules, *,
                     signed_in: bool | None = None) -> tuple[bool, Requirements]:
    """Mark the class completed and credit its hours when every requirement is met.

    Returns (whether this call completed it, where the learner stands). Only one call completes:
    a conditional update decides, and the hours are credited in the same transaction (the
    ledger is idempotent per source besides)."""
    status = requirements(user, usage_id, rules, signed_in=signed_in)
    if status.completed or not status.met:
        return False, status
    progress = _learner_row(PartyClassProgress, user, course_id, usage_id)
    with transaction.atomic():
        won = PartyClassProgress.objects.filter(pk=progress.pk, completed_at__isnull=True).update(
            completed_at=timezone.now())
        if won and rules.hours > 0:
            credit_hours(user, rules.hours, HourSource.PARTY_CLASS, usage_id, course_id=course_id,
                         usage_id=usage_id, note=rules.title)
    status.completed = True
    return bool(won), status


# --- questions -------------------------------------------------------------------------------
@dataclass(frozen=True)
class QuestionRules:
    enabled: bool = True
    open_at: datetime.datetime | None = None
    close_at: datetime.datetime | None = None
    allow_anonymous: bool = True
    answers_need_publish: bool = True


def questions_open(rules: QuestionRules, now: datetime.datetime | None = None) -> bool:
    return rules.enabled and _phase(rules.open_at, rules.close_at, now) == "open"


def ask_question(user, course_id: str, usage_id: str, rules: QuestionRules, *, text, tag,
                 anonymous: bool = False) -> PartyClassQuestion:
    if not rules.enabled:
        raise PartyClassError(_("This class does not take questions."))
    window = _phase(rules.open_at, rules.close_at)
    if window == "early":
        raise PartyClassError(_("Questions are not open yet."))
    if window == "late":
        raise PartyClassError(_("Questions are closed."))
    if tag not in QuestionTag.values:
        raise PartyClassError(_("Please choose whether this is a hot topic, a difficult point or a doubt."))
    if anonymous and not rules.allow_anonymous:
        raise PartyClassError(_("Anonymous questions are not allowed in this class."))
    text = clean_plain_text(text, MAX_QUESTION_CHARS)
    if counted_length(text) < 2:
        raise PartyClassError(_("Please write your question."))
    if PartyClassQuestion.objects.filter(usage_id=usage_id, author=user).count() >= MAX_QUESTIONS_PER_LEARNER:
        raise PartyClassError(_("You have asked the most questions one learner may ask in this class."))
    return PartyClassQuestion.objects.create(course_id=course_id, usage_id=usage_id, author=user, tag=tag,
                                             text=text, anonymous=bool(anonymous))


def display_name(user, profile: MemberProfile | None) -> str:
    """The name shown for a learner: the roster's full name, else the account's name."""
    if profile is not None and profile.full_name:
        return profile.full_name
    return user.get_full_name() or user.get_username()


def _profile(user) -> MemberProfile | None:
    """The member profile loaded with ``select_related`` (None when the user has none)."""
    return getattr(user, "party_profile", None)


def _answer_visible(question: PartyClassQuestion, rules: QuestionRules) -> bool:
    return bool(question.answer) and (question.answer_published or not rules.answers_need_publish)


def _question_dict(question: PartyClassQuestion, *, viewer_id: int, voted: set[int], rules: QuestionRules,
                   staff: bool) -> dict:
    author = question.author
    data = {
        "id": question.pk, "tag": question.tag, "tag_label": str(QuestionTag(question.tag).label),
        "text": question.text, "votes": question.votes, "created": question.created.isoformat(),
        "author": _("Anonymous") if question.anonymous else display_name(author, _profile(author)),
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
                    .filter(pk=_int(question_id), usage_id=usage_id, hidden=False, merged_into__isnull=True).first())
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


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise PartyClassError(_("The request names no valid question.")) from exc


def _staff_question(usage_id: str, question_id, *, lock: bool = False) -> PartyClassQuestion:
    qs = PartyClassQuestion.objects.filter(pk=_int(question_id), usage_id=usage_id)
    question = (qs.select_for_update() if lock else qs).first()
    if question is None:
        raise PartyClassError(_("This question does not exist."), status=404)
    return question


def answer_question(staff_user, usage_id: str, question_id, answer, *, publish: bool | None = None) -> None:
    answer = clean_plain_text(answer, MAX_ANSWER_CHARS)
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
    ids = sorted({_int(duplicate_id), _int(target_id)})
    if len(ids) != 2:
        raise PartyClassError(_("A question cannot be merged into itself."))
    rows = {q.pk: q for q in PartyClassQuestion.objects.select_for_update().filter(pk__in=ids, usage_id=usage_id)
            .order_by("pk")}
    duplicate, target = rows.get(_int(duplicate_id)), rows.get(_int(target_id))
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


# --- reflections -----------------------------------------------------------------------------
def my_reflection(user, usage_id: str) -> PartyClassReflection | None:
    return PartyClassReflection.objects.filter(usage_id=usage_id, user=user).first()


def _learner_row(model, user, course_id: str, usage_id: str, **defaults):
    """The learner's row of ``model`` for the block, created if missing.

    Called outside any transaction: a request that loses the insert race to a concurrent one
    then reads the winner's committed row (inside a REPEATABLE READ transaction it could not)."""
    row, _created = model.objects.get_or_create(usage_id=usage_id, user=user,
                                                defaults={"course_id": course_id, **defaults})
    return row


def save_draft(user, course_id: str, usage_id: str, text) -> PartyClassReflection:
    text = clean_plain_text(text, MAX_REFLECTION_CHARS)
    row = _learner_row(PartyClassReflection, user, course_id, usage_id, text=text)
    with transaction.atomic():
        reflection = PartyClassReflection.objects.select_for_update().get(pk=row.pk)
        if reflection.status == ReflectionStatus.SUBMITTED:
            raise PartyClassError(_("Your reflection has been submitted and can no longer be changed."), status=409)
        if reflection.text != text:
            reflection.text = text
            reflection.save(update_fields=["text", "updated"])
    return reflection


def submit_reflection(user, course_id: str, usage_id: str, text, min_chars: int) -> PartyClassReflection:
    text = clean_plain_text(text, MAX_REFLECTION_CHARS)
    length = counted_length(text)
    if length < min_chars:
        raise PartyClassError(_("Your reflection has %(count)d characters; at least %(min)d are required.")
                              % {"count": length, "min": min_chars})
    row = _learner_row(PartyClassReflection, user, course_id, usage_id)
    with transaction.atomic():
        reflection = PartyClassReflection.objects.select_for_update().get(pk=row.pk)
        if reflection.status == ReflectionStatus.SUBMITTED:
            raise PartyClassError(_("Your reflection has already been submitted."), status=409)
        reflection.text, reflection.status, reflection.submitted_at = text, ReflectionStatus.SUBMITTED, timezone.now()
        reflection.save(update_fields=["text", "status", "submitted_at", "updated"])
    return reflection


def reflections_for_staff(usage_id: str) -> dict:
    """Submitted reflections with author and organisation, and how many drafts are open (two queries)."""
    rows = (PartyClassReflection.objects.filter(usage_id=usage_id, status=ReflectionStatus.SUBMITTED)
            .select_related("user__party_profile__organization").order_by("submitted_at"))
    submitted = []
    for reflection in rows:
        profile = _profile(reflection.user)
        submitted.append({
            "id": reflection.pk, "author": display_name(reflection.user, profile),
            "username": reflection.user.get_username(),
            "organization": profile.organization.name if profile else "",
            "text": reflection.text, "length": counted_length(reflection.text),
            "submitted_at": timezone.localtime(reflection.submitted_at).strftime("%Y-%m-%d %H:%M"),
            "score": _float(reflection.score),
        })
    drafts = PartyClassReflection.objects.filter(usage_id=usage_id, status=ReflectionStatus.DRAFT).count()
    return {"submitted": submitted, "drafts": drafts}


def _float(value):
    return None if value is None else float(value)


def score_reflection(staff_user, usage_id: str, reflection_id, score, max_score: float) -> PartyClassReflection:
    try:
        value = Decimal(str(score)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError) as exc:
        raise PartyClassError(_("The score must be a number.")) from exc
    if not value.is_finite() or value < 0 or value > Decimal(str(max_score)):
        raise PartyClassError(_("The score must be between 0 and %(max)s.") % {"max": f"{max_score:g}"})
    reflection = PartyClassReflection.objects.filter(
        pk=_int(reflection_id), usage_id=usage_id, status=ReflectionStatus.SUBMITTED).first()
    if reflection is None:
        raise PartyClassError(_("This reflection does not exist or has not been submitted."), status=404)
    reflection.score, reflection.scored_by, reflection.scored_at = value, staff_user, timezone.now()
    reflection.save(update_fields=["score", "scored_by", "scored_at", "updated"])
    return reflection


def claim_grade_to_publish(reflection: PartyClassReflection | None) -> Decimal | None:
    """The learner's score if it has not been published as a grade yet; claims it (exactly once)."""
    if reflection is None or reflection.score is None or reflection.score == reflection.score_published:
        return None
    claimed = PartyClassReflection.objects.filter(pk=reflection.pk, score=reflection.score).exclude(
        score_published=reflection.score).update(score_published=reflection.score)
    return reflection.score if claimed else None


# --- attendance ------------------------------------------------------------------------------
@dataclass
class BranchRow:
    organization_id: int | None
    name: str
    depth: int = 0
    expected: int = 0
    signed: list[dict] = field(default_factory=list)
    missing: list[dict] = field(default_factory=list)


@dataclass
class Attendance:
    rows: list[BranchRow]
    signed_total: int
    expected_total: int
    missing_total: int
    unknown_codes: list[str]

    def as_dict(self) -> dict:
        return {
            "signed_total": self.signed_total, "expected_total": self.expected_total,
            "missing_total": self.missing_total, "unknown_codes": self.unknown_codes,
            "rows": [{"organization_id": r.organization_id, "name": r.name, "depth": r.depth, "expected": r.expected,
                      "signed": r.signed, "missing": r.missing} for r in self.rows],
        }


def _person(user, profile) -> dict:
    return {"name": display_name(user, profile), "username": user.get_username(),
            "position": profile.position if profile else ""}


def expected_count(expected_codes: list[str]) -> int:
    """Members of the expected organisations and their subtrees (two queries; 0 when none is set)."""
    roots = list(Organization.objects.filter(code__in=expected_codes)) if expected_codes else []
    return MemberProfile.objects.filter(organization__in=subtree_of_many(roots)).count() if roots else 0


def attendance(usage_id: str, expected_codes: list[str]) -> Attendance:
    """Who signed in and who is missing, by organisation (four queries whatever the size).

    Expected are the members of the organisations ``expected_codes`` names, with their subtrees;
    learners who signed in without being expected are listed under their own organisation."""
    roots = list(Organization.objects.filter(code__in=expected_codes)) if expected_codes else []
    unknown = sorted(set(expected_codes) - {o.code for o in roots})
    signins = list(PartyClassSignIn.objects.filter(usage_id=usage_id)
                   .select_related("user__party_profile__organization").order_by("created"))
    expected = []
    if roots:
        expected = list(MemberProfile.objects.filter(organization__in=subtree_of_many(roots))
                        .select_related("user", "organization").order_by("organization__path", "full_name"))
    rows: dict[int | None, BranchRow] = {}

    def row_for(org: Organization | None) -> BranchRow:
        key = org.pk if org else None
        if key not in rows:
            rows[key] = BranchRow(key, org.name if org else _("No organisation"), org.depth if org else 0)
        return rows[key]

    signed_ids = set()
    for signin in signins:
        profile = _profile(signin.user)
        signed_ids.add(signin.user_id)
        person = _person(signin.user, profile)
        person.update({"method": signin.method, "method_label": str(SignInMethod(signin.method).label),
                       "time": timezone.localtime(signin.created).strftime("%Y-%m-%d %H:%M:%S")})
        row_for(profile.organization if profile else None).signed.append(person)
    missing_total = 0
    for profile in expected:
        row = row_for(profile.organization)
        row.expected += 1
        if profile.user_id not in signed_ids:
            row.missing.append(_person(profile.user, profile))
            missing_total += 1
    order = {p.organization_id: p.organization.path for p in expected}
    ordered = sorted(rows.values(), key=lambda r: (r.organization_id is None, order.get(r.organization_id, "~"),
                                                   r.name))
    return Attendance(rows=ordered, signed_total=len(signins), expected_total=len(expected),
                      missing_total=missing_total, unknown_codes=unknown)


def attendance_xlsx(report: Attendance, title: str) -> bytes:
    """The attendance report as an XLSX workbook: summary by organisation, signed in, missing."""
    from openpyxl import Workbook  # pylint: disable=import-outside-toplevel
    from openpyxl.styles import Font  # pylint: disable=import-outside-toplevel

    workbook = Workbook()
    summary = workbook.active
    summary.title = _("Summary")[:31]
    bold = Font(bold=True)
    summary.append([title])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append([_("Organisation"), _("Expected"), _("Signed in"), _("Missing")])
    for row in report.rows:
        summary.append([row.name, row.expected, len(row.signed), len(row.missing)])
    summary.append([_("Total"), report.expected_total, report.signed_total, report.missing_total])
    for cell in summary[2] + summary[summary.max_row]:
        cell.font = bold
    summary.column_dimensions["A"].width = 36

    signed = workbook.create_sheet(_("Signed in")[:31])
    signed.append([_("Organisation"), _("Name"), _("User name"), _("Position"), _("Method"), _("Time")])
    for row in report.rows:
        for person in row.signed:
            signed.append([row.name, person["name"], person["username"], person["position"],
                           person["method_label"], person["time"]])
    missing = workbook.create_sheet(_("Missing")[:31])
    missing.append([_("Organisation"), _("Name"), _("User name"), _("Position")])
    for row in report.rows:
        for person in row.missing:
            missing.append([row.name, person["name"], person["username"], person["position"]])
    for sheet in (signed, missing):
        for cell in sheet[1]:
            cell.font = bold
        sheet.column_dimensions["A"].width = 36
        sheet.column_dimensions["B"].width = 16
        sheet.column_dimensions["C"].width = 16
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()

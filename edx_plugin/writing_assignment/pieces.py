"""One piece on the grading pages (writing_assignment): finding it in the course, what the page
shows of it (rubric with the current scoring, assessments, versions, near-copies), the action a
button asks for, and two near-copies side by side."""
from __future__ import annotations

from collections.abc import Mapping

from django.db.models import Q
from django.utils.translation import gettext as _

from ..core.rubrics import rubric_rows, validate_rubric
from .access import piece_access
from .assignments import award_label, flow_label, kind_label, status_label
from .errors import WritingError
from .grading import GRADING_ACTIONS, approve, claim, grade, release_claim, send_back, set_showcase
from .judges import judge
from .models import NearCopyPair, WritingSubmission
from .near_copies import shared_runs
from .submissions import author_name

PIECE_ACTIONS = ("claim", "unclaim", *GRADING_ACTIONS, "approve", "send_back", "judge", "showcase_on",
                 "showcase_off")


def piece_in_course(course_id: str, pk: int) -> WritingSubmission | None:
    return (WritingSubmission.objects.select_related("assignment", "user", "claimed_by",
                                                     "user__party_profile__organization")
            .filter(pk=pk, course_id=course_id).first())


def near_copies_of(submission: WritingSubmission) -> list[tuple[NearCopyPair, WritingSubmission]]:
    pairs = (NearCopyPair.objects.filter(Q(first=submission) | Q(second=submission))
             .select_related("first__user", "second__user").order_by("-similarity"))
    return [(pair, pair.second if pair.first_id == submission.pk else pair.first) for pair in pairs]


def piece_details(user, submission: WritingSubmission) -> dict:
    """What the grading page shows of a piece for ``user``: the access state (``access``), the
    rubric with this user's scoring (or the proposal's), history, versions and near-copies."""
    assignment = submission.assignment
    access = piece_access(user, submission)
    mine = submission.assessments.filter(attempt=submission.attempt, assessor=user).first()
    shown = mine or access.proposal
    return {
        "access": access, "sub": submission, "assignment": assignment,
        "rubric": rubric_rows(assignment.rubric, shown.selections if shown else {}),
        "has_rubric": bool(assignment.rubric) and not validate_rubric(assignment.rubric),
        "author": author_name(submission), "status_label": status_label(submission.status),
        "kind_label": kind_label(assignment.kind), "flow_label": flow_label(assignment.flow),
        "my_comment": mine.comment if mine else "",
        "history": submission.assessments.select_related("assessor").order_by("-attempt", "-updated"),
        "versions": submission.versions.order_by("-attempt"),
        "near_copies": near_copies_of(submission), "award": award_label(submission.award),
    }


def perform(action: str, submission: WritingSubmission, user, data: Mapping[str, str]) -> None:
    """Do what a button of the grading page asks (``data``: the posted form, rubric levels as
    ``criterion-<index>``). Each rule refuses what ``user`` may not do."""
    if action not in PIECE_ACTIONS:
        raise WritingError(_("Unknown action."))
    course_id, pk = submission.course_id, submission.pk
    selections = {key[len("criterion-"):]: value for key, value in data.items() if key.startswith("criterion-")}
    comment = data.get("comment", "")
    if action == "claim":
        claim(pk, user)
    elif action == "unclaim":
        release_claim(pk, user)
    elif action in GRADING_ACTIONS:
        grade(pk, course_id, user, selections=selections, comment=comment, action=action)
    elif action == "approve":
        approve(pk, course_id, user)
    elif action == "send_back":
        send_back(pk, course_id, user, comment)
    elif action == "judge":
        judge(pk, course_id, user, selections=selections, comment=comment)
    else:
        set_showcase(pk, course_id, action == "showcase_on")


def done_message(action: str) -> str:
    """What the page says after an action succeeded ("" for none)."""
    return {
        "claim": _("You are grading this piece now."), "unclaim": _("You released the piece."),
        "grade": _("The grade was saved."), "return": _("The piece was returned for revision."),
        "approve": _("The grade was approved and released."), "send_back": _("The grade was sent back to the graders."),
        "judge": _("Your score was saved."), "showcase_on": _("The piece is in the showcase."),
        "showcase_off": _("The piece was removed from the showcase."),
    }.get(action, "")


def near_copy_pair(course_id: str, pk: int) -> NearCopyPair | None:
    return (NearCopyPair.objects.select_related("first__user__party_profile", "second__user__party_profile",
                                                "first__assignment", "second__assignment")
            .filter(pk=pk, course_id=course_id).first())


def side_by_side(pair: NearCopyPair) -> list[dict]:
    """Both pieces of a pair, each cut into runs shared / not shared with the other."""
    return [{"sub": sub, "author": author_name(sub), "runs": shared_runs(sub.text, other.text)}
            for sub, other in ((pair.first, pair.second), (pair.second, pair.first))]

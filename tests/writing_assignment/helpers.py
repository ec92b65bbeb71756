"""Shared steps of the writing assignment tests (writing_assignment)."""
from party_training.edx_plugin.writing_assignment.models import WritingSubmission
from party_training.edx_plugin.writing_assignment import grading
from tests.conftest import COURSE_ID, call_handler


def submit(usage_id, user, text, title="我的体会", choice="named"):
    status, body = call_handler(usage_id, "submit", user, {"title": title, "text": text, "showcase_choice": choice})
    assert status == 200, body
    return WritingSubmission.objects.get(usage_id=usage_id, user=user)


def claim_and_grade(sub, grader, levels=("0", "1"), comment="很好", action="grade"):
    grading.claim(sub.pk, grader)
    selections = {str(i): level for i, level in enumerate(levels)}
    return grading.grade(sub.pk, COURSE_ID, grader, selections=selections, comment=comment, action=action)

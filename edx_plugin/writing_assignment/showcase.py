"""The showcase of excellent pieces (writing_assignment): what every learner of the course may
read of a showcased piece. Choosing pieces is a grading action (``grading.set_showcase``)."""
from __future__ import annotations

from .assignments import award_label
from .models import ShowcaseChoice, WritingStatus, WritingSubmission
from .submissions import author_name


def showcase_pieces(usage_id: str) -> list[dict]:
    """Showcased pieces of a block as any learner of the course may read them: the author's
    name only if the author chose so, never a score."""
    pieces = []
    for sub in (WritingSubmission.objects.filter(usage_id=usage_id, showcase=True, status=WritingStatus.GRADED)
                .select_related("user", "user__party_profile").order_by("rank", "-released_at")):
        author = author_name(sub) if sub.showcase_choice == ShowcaseChoice.NAMED else None
        pieces.append({"id": sub.pk, "title": sub.title, "text": sub.text, "author": author,
                       "award": award_label(sub.award)})
    return pieces

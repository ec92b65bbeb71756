"""What knowledge_contest registers in core's registry: the ledger source, the learning file
section and the question banks staff tool."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from party_training.edx_plugin.knowledge_contest import titles

from party_training.edx_plugin.core.models import HourEntry, HourSource
from party_training.edx_plugin.core.registry import registry
from tests.conftest import COURSE_ID, call_handler, load_block

from .conftest import contest_olx


@pytest.fixture
def finished(make_bank, make_user):
    make_bank("bank", size=8, course_id=COURSE_ID)
    usage_id = load_block(contest_olx(url_name="reg", hours="1", hours_when="finish"))
    learners = []
    for name in ("first", "second"):
        learner = make_user(name)
        _, state = call_handler(usage_id, "start", learner, {})
        question = state["active"]["questions"][0]
        call_handler(usage_id, "answer", learner, {"attempt": state["active"]["id"], "question": question["id"],
                                                   "response": ["T"] if question["type"] == "true_false" else
                                                   (["x"] if question["type"] == "fill_blank" else ["A"])})
        call_handler(usage_id, "submit", learner, {"attempt": state["active"]["id"]})
        learners.append(learner)
    return usage_id, learners


@pytest.mark.django_db
def test_ledger_line_links_to_the_contest_unit(finished):
    usage_id, (learner, _other) = finished
    entry = HourEntry.objects.get(user=learner, source_kind=HourSource.CONTEST)
    source = registry.ledger_source(HourSource.CONTEST)
    link = source.link(entry)
    assert link.startswith(f"/courses/{COURSE_ID}/jump_to/") and "knowledge_contest" in link


@pytest.mark.django_db
def test_learning_file_section_lists_the_year_results_in_bounded_queries(finished):
    usage_id, (first, second) = finished
    section = next(s for s in registry.learning_file_sections() if s.key == "knowledge_contest")
    with CaptureQueriesContext(connection) as ctx:
        columns, rows = section.rows(second, timezone.localdate().year)
    # One for the results (contest titles joined in); one per distinct course for its title.
    assert len(ctx.captured_queries) == 2
    assert len(columns) == 5 and len(rows) == 1
    # The contest by its title, never its id (no member of staff has seen the block: a generic name).
    assert rows[0][1] == "知识竞赛" and rows[0][2] == COURSE_ID and rows[0][4] in (1, 2)
    titles.remember_title(usage_id, COURSE_ID, "党章知识竞赛")
    assert section.rows(second, timezone.localdate().year)[1][0][1] == "党章知识竞赛"
    assert section.rows(second, timezone.localdate().year - 1)[1] == []
    ranks = {section.rows(user, timezone.localdate().year)[1][0][4] for user in (first, second)}
    assert ranks in ({1, 2}, {1})  # equal score and time share a rank


@pytest.mark.django_db
def test_staff_tool_points_to_the_question_banks(finished):
    tool = next(t for t in registry.staff_tools() if t.key == "knowledge_contest_banks")
    assert tool.url(COURSE_ID) == "/party-training/contest/banks/"
    assert tool.count(COURSE_ID) == 1 and tool.count("course-v1:Other+X+1") == 0

"""Role checks do not write: asking whether the viewer is course staff records nothing; showing a
block to course staff remembers them for the plugin's own pages (grading queue, question banks),
which run outside any block."""
import pytest

from party_training.edx_plugin.core.models import CourseRole
from tests.conftest import COURSE_ID, call_handler, get_block, load_block

pytestmark = pytest.mark.django_db

BLOCKS = {
    "party_class": '<party_class url_name="pc_roles" display_name="党课"/>',
    "knowledge_contest": '<knowledge_contest url_name="kc_roles" display_name="竞赛"/>',
    "writing_assignment": '<writing_assignment url_name="wa_roles" display_name="心得"/>',
    "menu_selection": '<menu_selection url_name="ms_roles" display_name="选学"/>',
}


@pytest.mark.parametrize("block_type", sorted(BLOCKS))
def test_a_role_check_writes_nothing_and_showing_the_block_remembers_staff(block_type, make_user):
    usage_id = load_block(BLOCKS[block_type])
    staff = make_user("teacher", course_staff=True)
    block = get_block(usage_id, staff)
    assert block.is_course_staff() and not CourseRole.objects.exists()
    # A staff handler answers (its check passes) without recording anything.
    status, _ = call_handler(usage_id, "studio_submit", staff, {"values": {}})
    assert status in (200, 400) and not CourseRole.objects.exists()
    block.student_view({})
    assert CourseRole.objects.filter(user=staff, course_id=COURSE_ID).count() == 1
    learner = make_user("learner")
    get_block(usage_id, learner).student_view({})
    assert not CourseRole.objects.filter(user=learner).exists()

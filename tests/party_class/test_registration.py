"""What party classes (party_class) register at start-up: the ledger's party-class lines link to
the class's unit, and the learning file lists the classes a member signed in to that year, with
the hours they credited, in one query."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from party_training.edx_plugin.core.models import HourEntry, HourSource
from party_training.edx_plugin.core.registry import registry
from party_training.edx_plugin.party_class.models import SignInMethod
from tests.conftest import COURSE_ID, call_handler, load_block
from tests.party_class.conftest import sign_in_on_site


@pytest.mark.django_db
def test_ledger_lines_of_a_party_class_link_to_its_unit(block_id, people):
    sign_in_on_site(block_id, people["a"])
    call_handler(block_id, "content_done", people["a"])
    call_handler(block_id, "submit_reflection", people["a"], {"text": "通过学习党章，我深刻认识到做一名合格党员的标准。"})
    entry = HourEntry.objects.get(user=people["a"], source_kind=HourSource.PARTY_CLASS)
    source = registry.ledger_source(HourSource.PARTY_CLASS)
    link = source.link(entry)
    assert link.startswith(f"/courses/{COURSE_ID}/jump_to/") and "party_class" in link
    assert source.link(HourEntry(source_kind=HourSource.PARTY_CLASS)) == ""


@pytest.mark.django_db
def test_learning_file_lists_the_classes_signed_in_this_year(block_id, people):
    other = load_block('<party_class url_name="pc2" display_name="第二课" require_content="false" '
                       'online_signin="true" onsite_signin="false"/>')
    sign_in_on_site(block_id, people["a"])
    call_handler(other, "sign_in", people["a"], {"method": "online"})  # completes: 1.0 hour, titled
    [section] = [s for s in registry.learning_file_sections() if s.key == "party_class"]
    with CaptureQueriesContext(connection) as queries:
        columns, rows = section.rows(people["a"], timezone.localdate().year)
    # One query for the rows, one per distinct course for its title (the test course has none: its id).
    assert len(queries) == 2 and len(columns) == 5
    online, onsite = str(SignInMethod.ONLINE.label), str(SignInMethod.ONSITE.label)
    assert [row[1:] for row in rows] == [["", COURSE_ID, onsite, ""], ["第二课", COURSE_ID, online, "1"]]
    assert section.rows(people["a"], timezone.localdate().year - 1)[1] == []
    assert section.rows(people["b"], timezone.localdate().year)[1] == []

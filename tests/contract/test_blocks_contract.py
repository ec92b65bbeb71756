"""Every block the package registers keeps the contract the LMS and Studio rely on:
loads through its entry point, declares a role on every handler, renders for learners and
staff, offers a Studio editor, and round-trips its OLX."""
import importlib.metadata

import pytest
from lxml import etree
from xblock.core import XBlock

from demo.models import CourseUnit
from tests.conftest import COURSE_ID, call_handler, export_olx, load_block

ALLOWED_ROLES = {"learner", "staff", "public"}


def our_blocks():
    dist = importlib.metadata.distribution("openedx-party-training")
    return sorted((ep.name, ep) for ep in dist.entry_points if ep.group == "xblock.v1")


BLOCKS = our_blocks()


def handlers_of(cls):
    return {name: getattr(cls, name) for name in dir(cls) if getattr(getattr(cls, name), "_is_xblock_handler", False)}


def test_entry_points_load_xblocks():
    for name, entry_point in BLOCKS:
        cls = entry_point.load()
        assert issubclass(cls, XBlock), name
        assert XBlock.load_class(name) is cls


@pytest.mark.parametrize("name", [name for name, _ in BLOCKS])
def test_every_handler_states_its_role(name):
    cls = XBlock.load_class(name)
    for handler_name, handler in handlers_of(cls).items():
        assert getattr(handler, "required_role", None) in ALLOWED_ROLES, f"{name}.{handler_name} has no role check"


@pytest.mark.django_db
@pytest.mark.parametrize("name", [name for name, _ in BLOCKS])
def test_lower_roles_refused_by_every_handler(name, make_user):
    usage_id = load_block(f'<{name} url_name="contract"/>')
    learner = make_user("contract_learner")
    cls = XBlock.load_class(name)
    for handler_name, handler in handlers_of(cls).items():
        if handler.required_role == "staff":
            status, body = call_handler(usage_id, handler_name, learner, {})
            assert status == 403, f"{name}.{handler_name} let a learner in: {status} {body}"
        if handler.required_role in {"staff", "learner"}:
            status, _ = call_handler(usage_id, handler_name, None, {})
            assert status == 403, f"{name}.{handler_name} let an anonymous user in"


@pytest.mark.django_db
@pytest.mark.parametrize("name", [name for name, _ in BLOCKS])
def test_renders_for_learner_and_staff_and_has_studio_editor(name, make_user, client):
    usage_id = load_block(f'<{name} url_name="contract"/>')
    unit = CourseUnit.objects.get(course_id=COURSE_ID, url_name="unit1")
    assert usage_id in unit.children
    for user, view in ((make_user("r_learner"), ""), (make_user("r_staff", course_staff=True), "?view=studio")):
        client.force_login(user)
        response = client.get(f"/courses/{COURSE_ID}/unit/{unit.url_name}/{view}")
        assert response.status_code == 200, name
        assert b"Traceback" not in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("name", [name for name, _ in BLOCKS])
def test_default_block_olx_round_trips(name):
    usage_id = load_block(f'<{name} url_name="contract" display_name="合同测试"/>')
    first = export_olx(usage_id)
    node = etree.fromstring(first)
    node.set("url_name", "contract2")
    second = export_olx(load_block(etree.tostring(node, encoding="unicode")))
    assert first.replace("contract2", "contract") == second.replace("contract2", "contract")

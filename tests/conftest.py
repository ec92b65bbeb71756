"""Shared fixtures: users and organisations, blocks loaded from OLX into the demo runtime,
handler calls through the demo LMS's handler endpoint, and headless Chromium."""
from __future__ import annotations

import importlib
import json
import os
import queue
import shutil
import threading
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group
from django.db import connection
from django.test import Client
from lxml import etree
from opaque_keys.edx.locator import BlockUsageLocator, CourseLocator

from demo.models import CourseUnit
from demo.runtime import DemoRuntime
from party_training.edx_plugin.core.models import MemberCategory, MemberProfile, Organization
from party_training.edx_plugin.core.organizations import save_organization
from party_training.xblocks.olx import parse_olx

COURSE_ID = "course-v1:TestOrg+T101+2026"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def ensure_member_categories():
    """Transactional tests flush the tables, also the rows the data migration seeded: re-seed."""
    if not MemberCategory.objects.exists():
        migration = importlib.import_module("party_training.edx_plugin.migrations.0002_default_member_categories")
        migration.seed(django_apps, None)


@pytest.fixture
def make_user(db):
    """make_user("name", staff=False, course_staff=False, org=None, categories=("member",))"""
    ensure_member_categories()
    counter = {"n": 0}

    def _make(username=None, *, staff=False, course_staff=False, org=None, categories=("member",), full_name=""):
        counter["n"] += 1
        username = username or f"user{counter['n']}"
        user = get_user_model().objects.create_user(username, f"{username}@example.com", "pw", is_staff=staff)
        if course_staff:
            user.groups.add(Group.objects.get_or_create(name="course_staff")[0])
        if org is not None:
            profile = MemberProfile.objects.create(user=user, organization=org, full_name=full_name or username)
            profile.categories.set(MemberCategory.objects.filter(code__in=categories))
        return user

    return _make


@pytest.fixture
def make_org(db):
    def _make(code, name=None, kind="branch", parent=None):
        return save_organization(Organization(code=code, name=name or code, kind=kind, parent=parent))

    return _make


def load_block(olx: str, course_id: str = COURSE_ID, unit: str = "unit1") -> str:
    """Parse one block's OLX like a Studio import and place it in a demo unit; returns the usage id."""
    node = parse_olx(olx)
    course_key = CourseLocator.from_string(course_id)
    runtime = DemoRuntime(AnonymousUser(), course_key)
    usage_key = BlockUsageLocator(course_key, node.tag, node.get("url_name") or "block1")
    block = runtime.load_block_type(node.tag).parse_xml(node, runtime, runtime.scope_ids_for(usage_key))
    block.save()
    unit_row, _ = CourseUnit.objects.get_or_create(
        course_id=course_id, url_name=unit, defaults={"chapter": "T", "title": unit, "position": 1, "children": []},
    )
    if str(usage_key) not in unit_row.children:
        unit_row.children.append(str(usage_key))
        unit_row.save()
    return str(usage_key)


def get_block(usage_id: str, user=None):
    """The block as ``user`` sees it (anonymous when None), in a fresh demo runtime."""
    from opaque_keys.edx.keys import UsageKey  # pylint: disable=import-outside-toplevel
    key = UsageKey.from_string(usage_id)
    return DemoRuntime(user or AnonymousUser(), key.context_key).get_block(key)


def call_handler(usage_id: str, handler: str, user=None, data=None, method: str = "POST", suffix: str = ""):
    """Call a block handler through the demo LMS endpoint; returns (status, parsed JSON or text)."""
    client = Client()
    if user is not None:
        client.force_login(user)
    url = f"/xblock/{usage_id}/handler/{handler}" + (f"/{suffix}" if suffix else "")
    if method == "GET":
        response = client.get(url, data or {})
    else:
        body = data if isinstance(data, (str, bytes)) else json.dumps(data or {})
        response = client.post(url, body, content_type="application/json")
    try:
        return response.status_code, json.loads(response.content)
    except ValueError:
        return response.status_code, response.content.decode("utf-8", "replace")


def handler_queries(usage_id: str, handler: str, user, data=None) -> tuple[int, list[str]]:
    """POST a handler through the demo's handler URL and return (status, the SQL of the whole request):
    session, user, the runtime's field reads and writes, the block's own work and transaction control,
    all counted, as a learner's action costs the database in production."""
    from django.test.utils import CaptureQueriesContext  # pylint: disable=import-outside-toplevel
    client = Client()
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(f"/xblock/{usage_id}/handler/{handler}", json.dumps(data or {}),
                               content_type="application/json")
    return response.status_code, [q["sql"] for q in queries]


def export_olx(usage_id: str) -> str:
    block = get_block(usage_id)
    node = etree.Element(block.scope_ids.block_type)
    block.add_xml_to_node(node)
    return etree.tostring(node, encoding="unicode")


def run_together(calls, threads: int | None = None):
    """Run the callables at the same moment, for the concurrency tests: one thread each, or ``threads``
    threads taking the calls in turn (more calls than threads), each thread with its own database
    connection. Returns (results in call order, exceptions raised)."""
    count = min(threads or len(calls), len(calls))
    barrier = threading.Barrier(count)
    results, errors = [None] * len(calls), []
    todo = queue.Queue()
    for item in enumerate(calls):
        todo.put(item)

    def work():
        try:
            barrier.wait()
            while True:
                try:
                    index, call = todo.get_nowait()
                except queue.Empty:
                    return
                try:
                    results[index] = call()
                except Exception as exc:  # pylint: disable=broad-except
                    errors.append(exc)
        finally:
            connection.close()

    pool = [threading.Thread(target=work) for _ in range(count)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return results, errors


def race_handlers(calls, threads: int | None = None):
    """Handler calls ``(user, usage_id, handler, data)`` posted at the same moment, each through its own
    client (see ``run_together``); returns their (status, JSON or None for a body that is not JSON, such
    as a server error page) in call order."""
    def call(user, usage_id, handler, data):
        def post():
            client = Client()
            client.force_login(user)
            response = client.post(f"/xblock/{usage_id}/handler/{handler}", json.dumps(data),
                                   content_type="application/json")
            try:
                body = json.loads(response.content)
            except ValueError:
                body = None
            return response.status_code, body
        return post

    results, errors = run_together([call(*args) for args in calls], threads)
    assert not errors, errors
    return results


def race(target, threads: int = 8):
    """``target`` called by ``threads`` threads at once; see ``run_together``."""
    return run_together([target] * threads)


@pytest.fixture(scope="session")
def chromium_path():
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        if os.environ.get("PARTY_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is required (apt-get install chromium fonts-wqy-microhei)")
        pytest.skip("Chromium is not installed; scripts/bootstrap.sh installs it")
    return path


@pytest.fixture
def browser(chromium_path, live_server):  # pylint: disable=redefined-outer-name,unused-argument
    """A headless Chromium (Debian's) driven by Playwright; yields the Playwright browser."""
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright  # pylint: disable=import-outside-toplevel
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-quic", "--no-first-run",
        ])
        yield _DemoBrowser(chromium, live_server.url)
        chromium.close()


class _DemoBrowser:
    """The Playwright browser, whose new contexts see the demo's units inline (the test settings'
    ``DEMO_UNITS``) unless a test asks for them as the Learning MFE shows them, in iframes:
    ``new_context(units="frame")`` (cookie ``demo_units``). Everything else is the Playwright browser's own."""

    def __init__(self, browser, base_url: str):
        self._browser, self._base_url = browser, base_url

    def new_context(self, *args, units: str = "inline", **kwargs):
        context = self._browser.new_context(*args, **kwargs)
        context.add_cookies([{"name": "demo_units", "value": units, "url": self._base_url}])
        return context

    def new_page(self, *args, units: str = "inline", **kwargs):
        return self.new_context(*args, units=units, **kwargs).new_page()

    def __getattr__(self, name):
        return getattr(self._browser, name)


def login(page, base_url: str, username: str, password: str = "pw"):
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def unit_frame(page, index: int = 0):
    """A unit's component as the Learning MFE hosts it: the content frame of its render_xblock iframe
    (a Playwright Frame: fill, click, wait_for_selector, expect_navigation ... as on a page). Ask for it
    again after the page or the frame reloads."""
    element = page.locator("iframe.demo-unit-frame").nth(index).element_handle()
    frame = element.content_frame()
    frame.wait_for_load_state()
    return frame


def screenshot(page, name: str):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def pytest_collection_modifyitems(config, items):  # pylint: disable=unused-argument
    """Tests marked ``mysql`` (threads racing on real row locks) run only with DB=mysql."""
    if os.environ.get("DB") == "mysql":
        return
    skip = pytest.mark.skip(reason="runs on MariaDB/MySQL only (DB=mysql)")
    for item in items:
        if "mysql" in item.keywords:
            item.add_marker(skip)

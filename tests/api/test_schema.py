"""API v1's schema (api): served at ``schema/`` with a docs page and a root that lists the endpoints;
property-based tests (schemathesis, bounded examples) against the demo site's API with a learner's and
an admin's session: no server errors, every response matches the schema, and a learner never gets
another member's data."""
import json

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
import schemathesis
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from .conftest import API

pytestmark = pytest.mark.django_db


def test_root_lists_the_endpoints_instead_of_a_debug_404(client):
    response = client.get(API, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    body = response.json()
    assert {"organizations", "members", "my_hours", "schema", "docs"} <= set(body)
    assert body["schema"].endswith("/party-training/api/v1/schema/")


def test_browsable_api_is_chinese(client, users):
    client.force_login(users["learner"])
    html = client.get(API + "me/hours/", HTTP_ACCEPT="text/html").content.decode()
    assert "我的学时" in html and "My hours" not in html


def test_schema_and_docs(client):
    response = client.get(API + "schema/", {"format": "json"})
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert "/party-training/api/v1/members/{username}/hours/" in schema["paths"]
    hours = schema["components"]["schemas"]["HoursSummary"]["properties"]
    assert hours["total"]["format"] == "decimal" and hours["required"]["pattern"].endswith(r"\d{0,2})?$")
    html = client.get(API + "docs/").content.decode()
    assert "/party-training/api/v1/me/hours/" in html and "API v1 文档" in html


@pytest.fixture
def wsgi_app():
    """The demo site as a WSGI app; Django's connection clean-up is held off as its test client does,
    so the requests run inside the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _session_cookie(user) -> dict:
    client = Client()
    client.force_login(user)
    return {"sessionid": client.cookies["sessionid"].value}


def _usernames(value) -> set:
    """Every ``username`` in a JSON body."""
    if isinstance(value, dict):
        found = {value["username"]} if isinstance(value.get("username"), str) else set()
        for item in value.values():
            found |= _usernames(item)
        return found
    if isinstance(value, list):
        return set().union(*(_usernames(item) for item in value)) if value else set()
    return set()


@pytest.mark.parametrize("role", ["learner", "admin_g1"])
def test_property_based_against_the_schema(users, wsgi_app, role):
    schema = schemathesis.openapi.from_wsgi(API + "schema/?format=json", wsgi_app)
    cookies = _session_cookie(users[role])
    seen = set()
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(max_examples=12, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def run(case):
            response = case.call(cookies=cookies)
            case.validate_response(response, checks=[not_a_server_error, response_schema_conformance,
                                                     content_type_conformance])
            if role == "learner" and response.status_code == 200:
                body = response.json()
                # A learner sees only themselves, never an organisation.
                assert _usernames(body) <= {"learner"}, (case.path, body)
                assert "organizations" not in case.path, case.path
            seen.add(operation.label)

        run()
    assert len(seen) >= 6

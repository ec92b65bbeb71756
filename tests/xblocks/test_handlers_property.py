"""Every JSON handler of every block this package installs (found through the ``xblock.v1`` entry
points and the handlers' ``takes_json`` mark, so a block added later is covered without editing
this file), called by a learner and by course staff with arbitrary bodies: bytes that are not
JSON, JSON of any shape, values of any size. No answer is a server error, and a refused request
(any 4xx) writes nothing."""
from __future__ import annotations

import hashlib
import inspect
import json
import re
from importlib.metadata import entry_points

import pytest
from django.apps import apps
from hypothesis import HealthCheck, example, given, settings, strategies as st

from tests.conftest import call_handler, get_block, load_block

PACKAGE = "party_training."
KEY_IN_SOURCE = re.compile(r"""data(?:\.get\(|\[)\s*["'](\w+)["']""")
BIG_SIZES = [0, 1, 201, 501, 5_001, 20_001, 100_001, 1_000_000]


def _blocks() -> list[tuple[str, type]]:
    return sorted((ep.name, ep.load()) for ep in entry_points(group="xblock.v1") if ep.value.startswith(PACKAGE))


def _json_handlers() -> list[tuple[str, type, str]]:
    return [(name, cls, attr) for name, cls in _blocks() for attr in sorted(dir(cls))
            if getattr(getattr(cls, attr, None), "takes_json", False)]


def _vocabulary(cls, handler: str) -> list[str]:
    """The keys the handler reads (from its source) and the block's field names (Studio's values)."""
    source = inspect.getsource(inspect.unwrap(getattr(cls, handler)))
    return sorted(set(KEY_IN_SOURCE.findall(source)) | set(cls.fields))


def _digest() -> str:
    """Every row of the plugin's and the demo LMS's tables (block fields, events included), but the demo's
    sessions (logins, as Django's own session table was never counted)."""
    rows = [(model._meta.label, list(model.objects.order_by("pk").values_list()))
            for label in ("party_training", "demo") for model in apps.get_app_config(label).get_models()
            if model._meta.label != "demo.DemoSession"]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def _scalars():
    sizes = st.sampled_from(BIG_SIZES).map(lambda n: "长<b>" * (n // 4 + 1))
    return st.one_of(st.none(), st.booleans(), st.integers(), st.integers(-2 ** 70, 2 ** 70),
                     st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30), sizes,
                     st.sampled_from(["A", "B", "T", "hot", "publish", "answer", "hide", "merge", "1", "-1", "0",
                                      "=1+1", "2026-01-01T00:00:00", "<script>alert(1)</script>"]))


def _bodies(keys: list[str]):
    key = st.one_of(st.sampled_from(keys), st.text(max_size=10)) if keys else st.text(max_size=10)
    values = st.recursive(_scalars(), lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(key, inner, max_size=4)), max_leaves=12)
    as_json = st.dictionaries(key, values, max_size=6).map(lambda d: json.dumps(d, ensure_ascii=False))
    other_json = values.map(json.dumps)
    return st.one_of(as_json, as_json, other_json, st.binary(max_size=200))


@pytest.fixture
def users(make_user, make_org):
    branch = make_org("HYP-B1", "假设支部")
    return {"learner": make_user("hyp_learner", org=branch), "staff": make_user("hyp_staff", course_staff=True,
                                                                               org=branch)}


def test_the_blocks_of_this_package_are_found():
    names = {name for name, _cls, _handler in _json_handlers()}
    assert {"party_class", "knowledge_contest", "writing_assignment"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize(("block_type", "cls", "handler"), _json_handlers(),
                         ids=[f"{b}.{h}" for b, _c, h in _json_handlers()])
def test_a_json_handler_never_fails_and_writes_nothing_when_it_refuses(block_type, cls, handler, users):
    usage_id = load_block(f'<{block_type} url_name="hyp"/>')
    for user in users.values():
        # Handlers are called from the rendered block: showing it records course staff and syncs the
        # plugin's copy of the block's settings, which are not the handler's writes.
        block = get_block(usage_id, user)
        block.runtime.render(block, "student_view", {})

    @settings(max_examples=20, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                     HealthCheck.data_too_large])
    @given(body=_bodies(_vocabulary(cls, handler)), role=st.sampled_from(["learner", "staff"]))
    @example(body=json.dumps({key: "长" * 1_000_000 for key in _vocabulary(cls, handler)[:1]} or {"x": "长" * 1_000_000},
                             ensure_ascii=False), role="learner")  # over the 2.5 MB a request may carry
    def check(body, role):
        before = _digest()
        status, answer = call_handler(usage_id, handler, users[role], body)
        assert status < 500, (handler, role, body[:300], answer)
        if status >= 400:
            assert isinstance(answer, dict) and answer.get("error"), (handler, status, answer)
            assert _digest() == before, (handler, role, status, body[:300])

    check()

"""Bounded queries (case_discussion): a group of 2,000 analyses and a thread of 2,000 replies are
read page by page with the same number of queries on every page; a post, a like and a reply run at
most 6 queries in the demo runtime (counting the block's work, its completion event included: the
platform's session, user and role lookups and transaction control statements aside)."""
import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from party_training.edx_plugin.case_discussion.models import CaseAnalysis, CaseMember, CaseReply
from tests.conftest import call_handler
from tests.case_discussion.conftest import ANSWERS, fill_group, post

POSTS = 2000
# The platform's session and user lookups, and its user service's role lookup (the demo asks the
# "course_staff" group, the LMS its course access roles): the same for every block, not the block's work.
PLATFORM = ("django_session", 'FROM "auth_user" WHERE', "FROM `auth_user` WHERE", "auth_user_groups")
CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def page_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(queries)


@pytest.mark.django_db
def test_pages_of_2000_analyses_and_2000_replies_cost_the_same(course_block, people):
    reader = people["a"]
    post(course_block, reader)
    group = CaseMember.objects.get(usage_id=course_block, user=reader).group
    analyses = fill_group(course_block, group, POSTS, "bulk")
    target = analyses[0]
    CaseReply.objects.bulk_create([CaseReply(analysis=target, author=reader, text=f"回复{n}") for n in range(POSTS)])
    CaseAnalysis.objects.filter(pk=target.pk).update(reply_count=POSTS)
    client = Client()
    client.force_login(reader)
    base = f"/xblock/{course_block}/handler/"
    feed = [page_queries(client, f"{base}feed?page={n}") for n in (2, 50, 100, 200)]
    assert len(set(feed)) == 1 and feed[0] <= 8, feed
    first = page_queries(client, f"{base}feed?page=1")
    assert first == feed[0] + 1  # the featured analyses, on the first page only
    body = json.loads(client.get(f"{base}feed?page=200").content)
    assert body["pages"] == 200 and body["total"] == POSTS and len(body["analyses"]) == 10  # the reader's apart
    thread = [page_queries(client, f"{base}replies?analysis_id={target.pk}&page={n}") for n in (1, 50, 100)]
    assert len(set(thread)) == 1 and thread[0] <= 7, thread
    staff = Client()
    staff.force_login(people["staff"])
    pages = [page_queries(staff, f"{base}staff_posts?group_id={group.pk}&page={n}") for n in (1, 100, 201)]
    assert len(set(pages)) == 1, pages


def block_queries(usage_id, user, handler, data) -> list[str]:
    client = Client()
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(f"/xblock/{usage_id}/handler/{handler}", json.dumps(data),
                               content_type="application/json")
    assert response.status_code == 200, response.content
    return [q["sql"] for q in queries
            if not q["sql"].startswith(CONTROL) and not any(mark in q["sql"] for mark in PLATFORM)]


@pytest.mark.django_db(transaction=True)
def test_a_post_a_like_and_a_reply_run_at_most_six_queries(course_block, people):
    for person in ("a", "b"):
        call_handler(course_block, "state", people[person], method="GET")  # placed in their group
    post(course_block, people["b"])
    target = CaseAnalysis.objects.get(author=people["b"]).pk
    submit = block_queries(course_block, people["a"], "submit", {"answers": ANSWERS})  # also credits the hours
    like = block_queries(course_block, people["a"], "like", {"analysis_id": target})
    reply = block_queries(course_block, people["a"], "reply", {"analysis_id": target, "text": "学习了"})
    for name, queries in (("submit", submit), ("like", like), ("reply", reply)):
        assert len(queries) <= 6, (name, queries)

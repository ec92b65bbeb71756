"""The move into areas changed no table: a database migrated at the schema before it (0007)
migrates forward to today's, pending job rows keep their place in the queue, and the models
need no migration that is not there."""
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_THE_MOVE = ("party_training", "0007_roster_import_job")


def _executor_at(target):
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    executor.loader.build_graph()
    return executor


def test_a_database_of_the_old_schema_migrates_forward(make_user):
    user = make_user("requester")
    executor = _executor_at(BEFORE_THE_MOVE)
    old = executor.loader.project_state([BEFORE_THE_MOVE]).apps
    export = old.get_model("party_training", "ContestExport").objects.create(
        usage_id="block-v1:A+B+C+type@knowledge_contest+block@q", course_id="course-v1:A+B+C",
        requested_by_id=user.pk, status="pending")
    job = old.get_model("party_training", "WritingJob").objects.create(
        kind="archive", course_id="course-v1:A+B+C", requested_by_id=user.pk, status="pending")
    latest = executor.loader.graph.leaf_nodes("party_training")
    executor = _executor_at(latest[0])
    new = executor.loader.project_state(latest).apps
    assert new.get_model("party_training", "ContestExport").objects.get(pk=export.pk).status == "queued"
    assert new.get_model("party_training", "WritingJob").objects.get(pk=job.pk).status == "queued"


def test_the_models_need_no_new_migration():
    out = io.StringIO()
    call_command("makemigrations", "party_training", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()

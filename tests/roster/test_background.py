"""Roster files bigger than ROSTER_SYNC_ROWS are imported by a background job: the same result,
the same all-or-nothing rule, a job page with its progress, and each job seen only by its owner."""
import io

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings

from party_training.edx_plugin.core.tasks import run_job
from party_training.edx_plugin.roster import jobs as roster_jobs
from party_training.edx_plugin.core.models import Organization
from party_training.edx_plugin.roster.models import RosterImportJob
from party_training.edx_plugin.roster import imports as roster

from .conftest import MEMBER_HEADER, counts, csv_bytes, fixture_bytes, run_many
from .test_admin import IMPORT_URL, PERMISSIONS, _client, _grant, importer  # noqa: F401  pylint: disable=unused-import

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "small_threshold")]
DEMO_FILES = (("组织.csv", "demo_organizations.csv"), ("党员.csv", "demo_members.csv"))  # 16 + 320 rows


@pytest.fixture
def small_threshold(tmp_path):
    """Imports above 100 rows go to the background; uploads are stored in a scratch directory."""
    with override_settings(PARTY_TRAINING={**settings.PARTY_TRAINING, "ROSTER_SYNC_ROWS": 100},
                           MEDIA_ROOT=str(tmp_path)):
        yield tmp_path


def _upload(client, files, *, dry_run: bool, capture):
    """POST the files; the job's task runs (eagerly) when the request's transaction commits."""
    with capture(execute=True):
        return client.post(IMPORT_URL, {"files": [SimpleUploadedFile(name, data) for name, data in files],
                                        **({"dry_run": "on"} if dry_run else {})})


def _demo_files():
    return [(name, fixture_bytes(fixture)) for name, fixture in DEMO_FILES]


def _job_url(job) -> str:
    return f"{IMPORT_URL}job/{job.pk}/"


def test_a_big_import_runs_as_a_job_with_the_synchronous_result(importer, django_capture_on_commit_callbacks,
                                                                  small_threshold):
    # The synchronous import of the same files, rolled back: what the job must match.
    with transaction.atomic():
        expected = run_many(*((data, name) for name, data in _demo_files()))
        expected_counts = counts()[:4]
        transaction.set_rollback(True)
    assert expected.ok and not Organization.objects.exists()

    client = _client(importer)
    response = _upload(client, _demo_files(), dry_run=False, capture=django_capture_on_commit_callbacks)
    job = RosterImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == _job_url(job)
    assert job.status == RosterImportJob.Status.DONE and job.ok and job.requested_by == importer
    assert job.summary == expected.summary() == (
        "Import done. Organisations: 16 created, 0 updated; members: 320 created, 0 updated.")
    assert counts()[:4] == expected_counts
    assert (job.rows_read, job.rows_written, job.errors, job.errors_total) == (336, 336, [], 0)
    assert job.file_names == ["组织.csv", "党员.csv"]
    # The stored upload is gone, and so is the progress kept in the cache.
    assert not any(default_storage.exists(name) for name in job.storage_paths)
    assert not any(path.is_file() for path in small_threshold.rglob("*"))
    assert cache.get(roster_jobs.written_key(job.pk)) is None
    # A second delivery of the task changes nothing.
    run_job(RosterImportJob._meta.label_lower, job.pk)
    job.refresh_from_db()
    assert job.status == RosterImportJob.Status.DONE and job.summary == expected.summary()

    page = client.get(_job_url(job)).content.decode()
    assert expected.summary() in page and "Rows read: 336; rows written: 336." in page
    assert "<script>" not in page  # nothing left to poll
    status = client.get(_job_url(job) + "status").json()
    assert status == {"status": "done", "finished": True, "label": "Done",
                      "progress": "Rows read: 336; rows written: 336."}


def test_small_files_are_still_imported_in_the_request(importer, django_capture_on_commit_callbacks):
    rows = [[f"u{n}", f"甲{n}", "", "NOWHERE", "党员", "", ""] for n in range(100)]
    response = _upload(_client(importer), [("m.csv", csv_bytes(MEMBER_HEADER, rows))], dry_run=True,
                       capture=django_capture_on_commit_callbacks)
    assert response.status_code == 200 and "100 errors found; nothing was imported." in response.content.decode()
    assert not RosterImportJob.objects.exists()


def test_a_bad_file_ends_with_its_row_errors_and_nothing_written(importer, django_capture_on_commit_callbacks,
                                                                 monkeypatch):
    monkeypatch.setattr(roster_jobs, "ERRORS_KEPT", 2)
    before = counts()
    organizations, members = _demo_files()
    bad_rows = [["x y", "乙", "", "DEMO-B01", "党员", "", ""], ["ok", "甲", "", "NOWHERE", "党员", "", ""],
                ["ok2", "丙", "", "DEMO-B01", "<b>党员</b>", "", ""]]
    client = _client(importer)
    _upload(client, [organizations, members, ("坏.csv", csv_bytes(MEMBER_HEADER, bad_rows))], dry_run=False,
            capture=django_capture_on_commit_callbacks)
    job = RosterImportJob.objects.get()
    assert job.status == RosterImportJob.Status.DONE and not job.ok
    assert job.summary == "3 errors found; nothing was imported."
    assert job.errors_total == 3 and job.errors == [
        {"source": "坏.csv", "row": 2, "reason": "The user name x y may contain only letters, digits and the "
                                                  "characters @ . + - _"},
        {"source": "坏.csv", "row": 3, "reason": "Unknown organisation NOWHERE: it is neither in the import nor "
                                                  "on the site."},
    ]
    assert counts() == before and job.rows_written == 0
    page = client.get(_job_url(job)).content.decode()
    assert '<table id="roster-errors">' in page and "<td>坏.csv</td><td>3</td><td>Unknown organisation" in page
    assert "One more error is not shown" in page


def test_a_dry_run_job_writes_nothing(importer, django_capture_on_commit_callbacks):
    before = counts()
    _upload(_client(importer), _demo_files(), dry_run=True, capture=django_capture_on_commit_callbacks)
    job = RosterImportJob.objects.get()
    assert job.dry_run and job.status == RosterImportJob.Status.DONE and job.ok
    assert job.summary.startswith("Dry run, nothing was saved. Organisations: 16 to create")
    assert counts() == before and job.rows_written == 0
    assert not any(default_storage.exists(name) for name in job.storage_paths)


def test_a_failing_job_says_so_and_drops_its_upload(importer, django_capture_on_commit_callbacks, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(roster_jobs, "import_roster_files", broken)
    client = _client(importer)
    _upload(client, _demo_files(), dry_run=False, capture=django_capture_on_commit_callbacks)
    job = RosterImportJob.objects.get()
    assert job.status == RosterImportJob.Status.FAILED and job.finished
    assert not any(default_storage.exists(name) for name in job.storage_paths)
    assert "The import stopped because of an unexpected error" in client.get(_job_url(job)).content.decode()


def test_the_status_shows_rows_written_while_the_job_runs(importer):
    job = RosterImportJob.objects.create(requested_by=importer, language="en", status=RosterImportJob.Status.RUNNING,
                                         rows_read=5000, file_names=["big.csv"])
    cache.set(roster_jobs.written_key(job.pk), 3000)
    client = _client(importer)
    try:
        status = client.get(_job_url(job) + "status").json()
    finally:
        cache.delete(roster_jobs.written_key(job.pk))
    assert status["finished"] is False and status["progress"] == "Rows read: 5000; rows written: 3000."
    page = client.get(_job_url(job)).content.decode()
    assert "Running" in page and f'data-status-url="{_job_url(job)}status"' in page and "<script>" in page
    assert 'id="roster-errors"' not in page


def test_progress_is_reported_every_thousand_rows_not_every_row(db, demo_tree):
    members = csv_bytes(MEMBER_HEADER, [[f"p{n:05d}", f"党员{n}", "", "DEMO-B01", "党员", "", ""]
                                        for n in range(2500)])
    calls = []
    result = roster.import_roster_files([(io.BytesIO(members), "m.csv")],
                                        progress=lambda read, written: calls.append((read, written)))
    assert result.ok
    assert calls == [(1000, 0), (2000, 0), (2500, 0), (2500, 1000), (2500, 2000)]


def test_the_status_view_runs_a_bounded_number_of_queries(importer, django_assert_max_num_queries):
    client = _client(importer)
    job = RosterImportJob.objects.create(requested_by=importer, language="en", file_names=["big.csv"],
                                         errors=[{"source": "big.csv", "row": n, "reason": "x"} for n in range(500)])
    client.get(_job_url(job) + "status")  # warm up what a first request loads once (content types)
    # Session, user, the user's and the groups' permissions, the job.
    with django_assert_max_num_queries(5):
        assert client.get(_job_url(job) + "status").status_code == 200


def test_only_the_owner_or_a_superuser_sees_a_job(importer, make_user, django_capture_on_commit_callbacks):
    _upload(_client(importer), _demo_files(), dry_run=True, capture=django_capture_on_commit_callbacks)
    job = RosterImportJob.objects.get()
    other = make_user("other_importer", staff=True)
    _grant(other, PERMISSIONS)
    for url in (_job_url(job), _job_url(job) + "status"):
        assert _client(other).get(url).status_code == 404
        learner = _client(make_user())
        response = learner.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
        assert Client().get(url).status_code == 302
    superuser = make_user("root", staff=True)
    superuser.is_superuser = True
    superuser.save()
    assert _client(superuser).get(_job_url(job) + "status").json()["finished"] is True


def test_staff_without_the_import_permissions_are_refused(importer, make_user):
    job = RosterImportJob.objects.create(requested_by=importer, language="en", file_names=["big.csv"])
    partial = make_user("partial", staff=True)
    _grant(partial, [p for p in PERMISSIONS if p[1] != "add_user"])
    assert _client(partial).get(_job_url(job)).status_code == 403
    assert _client(partial).get(_job_url(job) + "status").status_code == 403

"""The compliance member export (compliance): the workbook holds every member of the subtree with the
year's hours by source, text cells as text; the background job and its download (only for the admin
who asked, while they see the organisation); the benchmark's tiny mode."""
import io

import pytest
from openpyxl import load_workbook

from party_training.edx_plugin import tasks  # noqa: F401  pylint: disable=unused-import  (registers the job task)
from party_training.edx_plugin.compliance.exports import members_workbook
from party_training.edx_plugin.compliance.models import ComplianceExport
from tests.benchmarks import bench_compliance_export

from .conftest import YEAR

pytestmark = pytest.mark.django_db


def rows_of(content):
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [row for row in sheet.iter_rows(values_only=True)]


def test_workbook_holds_the_subtree(tree):
    orgs, _people = tree
    rows = rows_of(members_workbook(YEAR, orgs["g1"]))
    header, members = rows[1], {row[0]: row for row in rows[2:]}
    assert header[:6] == ("用户名", "姓名", "党组织", "应修学时", "已修学时", "尚差学时")
    assert set(members) == {"m1", "m2", "m3", "m4"}
    assert members["m2"][3:6] == (32, 10, 22)
    assert members["m1"][header.index("党课")] == 20 and members["m1"][header.index("知识竞赛")] == 14


def test_job_and_download_roles(tree, client, django_capture_on_commit_callbacks, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    orgs, people = tree
    client.force_login(people["g1admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/party-training/compliance/export/", {"org": orgs["b1"].pk, "year": YEAR})
    assert response.status_code == 302
    job = ComplianceExport.objects.get()
    job.refresh_from_db()
    assert job.status == "done" and job.total == 2
    download = client.get(f"/party-training/compliance/export/{job.pk}/")
    assert download.status_code == 200
    assert {row[0] for row in rows_of(b"".join(download.streaming_content))[2:]} == {"m1", "m2"}
    # Another admin, a learner, and the whole tree for an organisation admin: refused.
    client.force_login(people["site"])
    assert client.get(f"/party-training/compliance/export/{job.pk}/").status_code == 404
    client.force_login(people["learner"])
    assert client.post("/party-training/compliance/export/", {"org": orgs["b1"].pk}).status_code == 403
    client.force_login(people["g1admin"])
    assert client.post("/party-training/compliance/export/", {"org": orgs["c2"].pk}).status_code == 404


def test_benchmark_tiny_mode(tree, capsys):
    orgs, _people = tree
    figures = bench_compliance_export.run(YEAR, orgs["c1"])
    assert figures["bytes"] > 0 and "peak" in capsys.readouterr().out

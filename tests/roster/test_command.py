"""manage.py import_party_roster: prints errors and the summary, exits 1 on errors, saves all or nothing."""
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections

from party_training.edx_plugin.management.commands.import_party_roster import Command
from party_training.edx_plugin.core.models import MemberProfile, Organization

from .conftest import FIXTURES, MEMBER_HEADER, counts, csv_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
ORGS, MEMBERS = str(FIXTURES / "demo_organizations.csv"), str(FIXTURES / "demo_members.csv")


@pytest.fixture(autouse=True)
def keep_connection(monkeypatch):
    """run_from_argv closes the connections when done, which would end the test's transaction."""
    monkeypatch.setattr(connections, "close_all", lambda: None)


def _exit_code(*argv: str) -> int:
    """Run the command as manage.py does, returning its exit status."""
    try:
        Command().run_from_argv(["manage.py", "import_party_roster", *argv])
    except SystemExit as exc:
        return exc.code
    return 0


def test_imports_several_files_together(capsys):
    assert _exit_code("--dry-run", ORGS, MEMBERS) == 0
    assert "Dry run, nothing was saved. Organisations: 16 to create" in capsys.readouterr().out
    assert not Organization.objects.exists()
    assert _exit_code(ORGS, MEMBERS) == 0
    out = capsys.readouterr().out
    assert "Import done. Organisations: 16 created, 0 updated; members: 320 created, 0 updated." in out
    assert MemberProfile.objects.count() == 320


def test_errors_are_printed_and_the_exit_status_is_1(tmp_path, capsys):
    call_command("import_party_roster", ORGS)
    before = counts()
    bad = tmp_path / "members.csv"
    bad.write_bytes(csv_bytes(MEMBER_HEADER, [["ok", "甲", "", "DEMO-B01", "党员", "", ""],
                                              ["x", "乙", "", "NONE", "党员", "", ""]], "gb18030"))
    assert _exit_code(str(bad)) == 1
    err = capsys.readouterr().err
    assert f"{bad}, row 3: Unknown organisation NONE: it is neither in the import nor on the site." in err
    assert "1 error found; nothing was imported." in err
    assert counts() == before


def test_members_file_with_a_bad_organisations_file_saves_neither(tmp_path):
    orgs = tmp_path / "orgs.csv"
    orgs.write_bytes((FIXTURES / "demo_organizations.csv").read_bytes() + "DEMO-X,乙,党支,DEMO\n".encode())
    with pytest.raises(CommandError, match="1 error found"):
        call_command("import_party_roster", str(orgs), MEMBERS)
    assert not Organization.objects.exists()


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(CommandError, match="Cannot open .*nothing.csv"):
        call_command("import_party_roster", str(tmp_path / "nothing.csv"))

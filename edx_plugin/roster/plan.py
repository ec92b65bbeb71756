"""The plan of a roster import (roster): the checked rows, and the existing rows they touch.

On top of the row checks, the plan reads what the import touches in the database (in batches,
never per row) and checks what needs it: parents and the kinds they may hold, cycles and depth
of the resulting organisation tree, organisations members belong to, e-mails of other users.
Then it counts what the import creates and updates, and ``write`` saves it (``writes``).
"""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from ..core.models import MemberCategory, MemberProfile, Organization, OrganizationKind
from ..core.organizations import MAX_DEPTH, ancestor_ids_from_path
from .checks import MemberRow, RowChecks
from .tables import Table
from .writes import PROFILE_FIELDS, Profile, WriteProgress, chunks, write_plan

# A party branch is the basic unit; a general branch holds branches; a committee holds any kind.
ALLOWED_CHILDREN = {
    OrganizationKind.COMMITTEE: {OrganizationKind.COMMITTEE, OrganizationKind.GENERAL_BRANCH, OrganizationKind.BRANCH},
    OrganizationKind.GENERAL_BRANCH: {OrganizationKind.BRANCH},
    OrganizationKind.BRANCH: set(),
}
# Depth given to organisations in or under a cycle (nothing is saved then).
IN_CYCLE = -1


class Plan(RowChecks):
    """The checked content of an import and the existing rows it touches, then the writes."""

    def __init__(self, tables: list[Table], progress: WriteProgress):
        super().__init__(tables, dict(MemberCategory.objects.values_list("code", "pk")))
        self.progress = progress
        # Existing rows the import touches; tuples rather than model instances for users and
        # profiles, because a hundred thousand instances cost seconds and hundreds of MB.
        self.existing: dict[str, Organization] = {}  # by code key (after writing, the new ones too)
        self.by_id: dict[int, Organization] = {}
        self.users: dict[str, tuple[int, str]] = {}  # user name key -> (pk, email)
        self.profiles: dict[int, Profile] = {}  # user pk -> profile
        self._load_organizations()
        self.depths = self._check_tree()
        self._check_members()

    def _load_organizations(self) -> None:
        """Existing organisations the import names, and all their ancestors (for the cycle check)."""
        codes = set()
        for row in self.org_rows.values():
            codes.update(filter(None, (row.code, row.parent_code)))
        codes.update(row.org_code for row in self.member_rows.values() if row.org_code)
        for chunk in chunks(sorted(codes)):
            for org in Organization.objects.filter(code__in=chunk):
                self.existing[org.code.casefold()] = org
                self.by_id[org.pk] = org
        missing = {pk for org in self.by_id.values() for pk in ancestor_ids_from_path(org.path)} - self.by_id.keys()
        for chunk in chunks(sorted(missing)):
            for org in Organization.objects.filter(pk__in=chunk):
                self.by_id[org.pk] = org
                self.existing.setdefault(org.code.casefold(), org)

    def _final_parent(self, key: str) -> str | None:
        """The parent's code key once the import is saved: the file's word, else the database's."""
        row = self.org_rows.get(key)
        if row is not None:
            return row.parent_key if row.parent_key in self.org_rows or row.parent_key in self.existing else None
        parent = self.by_id.get(self.existing[key].parent_id)
        return parent.code.casefold() if parent else None

    def _kind_of(self, key: str) -> str:
        row = self.org_rows.get(key)
        return row.kind if row is not None else self.existing[key].kind

    def _check_tree(self) -> dict[str, int]:
        """Check parents; return each imported organisation's depth in the resulting tree."""
        for row in self.org_rows.values():
            parent_key = row.parent_key
            if parent_key is None:
                continue
            if parent_key not in self.org_rows and parent_key not in self.existing:
                self._error(row.source, row.row, _(
                    "Unknown parent organisation %(code)s: it is neither in the import nor on the site."),
                    code=row.parent_code)
                continue
            parent_kind = self._kind_of(parent_key)
            if row.kind and parent_kind and row.kind not in ALLOWED_CHILDREN[parent_kind]:
                self._error(row.source, row.row, _("A %(kind)s cannot be placed under a %(parent_kind)s."),
                            kind=OrganizationKind(row.kind).label, parent_kind=OrganizationKind(parent_kind).label)
        depths: dict[str, int] = {}
        for start in self.org_rows:
            # Walk up from ``start`` until a root, a node of known depth, or a node already on the walk.
            chain: list[str] = []
            key: str | None = start
            while key is not None and key not in depths and key not in chain:
                chain.append(key)
                key = self._final_parent(key)
            if key is None:
                top = 0
            elif key in chain:
                self._cycle_errors(chain[chain.index(key):])
                top = IN_CYCLE
            else:
                top = IN_CYCLE if depths[key] == IN_CYCLE else depths[key] + 1
            for offset, node in enumerate(reversed(chain)):
                depths[node] = IN_CYCLE if top == IN_CYCLE else top + offset
        for key, row in self.org_rows.items():
            if depths[key] > MAX_DEPTH:
                self._error(row.source, row.row, _("The organisation tree cannot be deeper than %(levels)d levels."),
                            levels=MAX_DEPTH + 1)
        return depths

    def _cycle_errors(self, cycle: list[str]) -> None:
        codes = [self.org_rows[k].code if k in self.org_rows else self.existing[k].code for k in cycle]
        for index, key in enumerate(cycle):
            row = self.org_rows.get(key)
            if row is not None:
                # Shown from the row's own code round to it again.
                around = codes[index:] + codes[:index + 1]
                self._error(row.source, row.row, _(
                    "The parent codes form a cycle (%(cycle)s): an organisation cannot be placed under itself."),
                    cycle=" → ".join(around))

    def _check_members(self) -> None:
        known = self.org_rows.keys() | self.existing.keys()
        for row in self.member_rows.values():
            if row.org_code and row.org_code.casefold() not in known:
                self._error(row.source, row.row, _(
                    "Unknown organisation %(code)s: it is neither in the import nor on the site."), code=row.org_code)
        User = get_user_model()
        for chunk in chunks(sorted(self.member_rows)):
            users = User.objects.filter(username__in=[self.member_rows[k].username for k in chunk])
            for pk, username, email in users.values_list("pk", "username", "email"):
                self.users[username.casefold()] = (pk, email)
        emails: dict[str, set[str]] = {}
        wanted = sorted({row.email.casefold(): row.email for row in self.member_rows.values() if row.email}.values())
        for chunk in chunks(wanted):
            for username, email in User.objects.filter(email__in=chunk).values_list("username", "email"):
                emails.setdefault(email.casefold(), set()).add(username)
        seen_emails: dict[str, MemberRow] = {}
        for row in self.member_rows.values():
            if not row.email:
                continue
            first = seen_emails.setdefault(row.email.casefold(), row)
            if first is not row:
                self._error(row.source, row.row, _("The email %(email)s is already used in %(source)s, row %(row)d."),
                            email=row.email, source=first.source, row=first.row)
            others = sorted(name for name in emails.get(row.email.casefold(), ()) if name.casefold() != row.key)
            if others:
                self._error(row.source, row.row, _("The email %(email)s belongs to another user (%(username)s)."),
                            email=row.email, username=others[0])
        for chunk in chunks(sorted(pk for pk, _email in self.users.values())):
            for user_id, *values in MemberProfile.objects.filter(user_id__in=chunk).values_list(
                    "user_id", "pk", *PROFILE_FIELDS):
                self.profiles[user_id] = Profile(*values)

    def organization_counts(self) -> tuple[int, int]:
        updated = sum(1 for key in self.org_rows if key in self.existing)
        return len(self.org_rows) - updated, updated

    def member_counts(self) -> tuple[int, int]:
        updated = sum(1 for key in self.member_rows if key in self.users and self.users[key][0] in self.profiles)
        return len(self.member_rows) - updated, updated

    def write(self) -> None:
        """Save the plan (only when it has no errors); see ``writes.write_plan``."""
        write_plan(self)

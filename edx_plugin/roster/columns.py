"""The vocabulary of roster files (roster): sheets, columns, kind and category labels.

The column headers, the kind and category labels and the template's example rows are the
vocabulary of the files Chinese training centres fill in: they are data, not interface text,
so they stay Chinese whatever the language of the page (English aliases are accepted too).
Reading (``tables``), checking (``checks``) and the templates (``templates``) share them.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ..core.models import MemberCategoryCode, OrganizationKind

ORGANIZATIONS, MEMBERS = "organizations", "members"
# Several categories in one cell.
CATEGORY_SEPARATORS = "；;、，,"
# How a join date may be written (besides a date cell).
DATE_EXAMPLES = "2015-07-01, 2015/7/1, 2015年7月1日"


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the Chinese header of the template
    aliases: tuple[str, ...]  # English headers accepted too (compared case-insensitively)
    required: bool
    help: Promise
    example: str


ORGANIZATION_COLUMNS = (
    Column("code", "组织编码", ("code", "organization_code", "organisation_code", "org_code"), True,
           _("Unique code of the organisation; a re-import updates the organisation with this code."), "SW001"),
    Column("name", "组织名称", ("name", "organization_name", "organisation_name", "org_name"), True,
           _("Full name of the organisation."), "示例市委机关党委"),
    Column("kind", "组织类型", ("kind", "type"), True,
           _("One of %(labels)s (or the codes %(codes)s)."), "党委"),
    Column("parent", "上级组织编码", ("parent", "parent_code"), False,
           _("Code of the parent organisation, in this file or already imported; blank for a root."), ""),
)
MEMBER_COLUMNS = (
    Column("username", "用户名", ("username", "user"), True,
           _("Login name of the member; a re-import updates the member with this user name."), "zhangsan"),
    Column("full_name", "姓名", ("full_name", "name"), True, _("Full name of the member."), "张三"),
    Column("email", "邮箱", ("email", "e_mail"), False, _("Email address (optional)."), "zhangsan@example.com"),
    Column("organization", "所属组织编码", ("organization", "organisation", "organization_code",
                                        "organisation_code", "org_code"), True,
           _("Code of the member's organisation, in this import or already imported."), "SW001"),
    Column("categories", "党员类别", ("categories", "category"), True,
           _("One or more of %(labels)s, separated by %(separator)s"), "党员；青年党员"),
    Column("join_date", "入党日期", ("join_date",), False,
           _("Date of joining the party, written as one of %(examples)s (blank for activists)."), "2015-07-01"),
    Column("position", "职务", ("position", "title"), False, _("Position (optional)."), "科员"),
)
COLUMNS = {ORGANIZATIONS: ORGANIZATION_COLUMNS, MEMBERS: MEMBER_COLUMNS}
SHEET_NAMES = {ORGANIZATIONS: ("组织", "organizations", "organisations"), MEMBERS: ("党员", "members")}
# Column key -> its Chinese header, as row errors name a column.
HEADERS = {column.key: column.header for columns in COLUMNS.values() for column in columns}

# Labels accepted for kinds and categories, the first one of each code being the one the template shows.
KIND_LABELS = {"党委": OrganizationKind.COMMITTEE, "党总支": OrganizationKind.GENERAL_BRANCH,
               "党支部": OrganizationKind.BRANCH}
CATEGORY_LABELS = {
    "领导干部": MemberCategoryCode.LEADING_CADRE, "县处级以上领导干部": MemberCategoryCode.LEADING_CADRE,
    "一般干部": MemberCategoryCode.GENERAL_CADRE, "县处级以下干部": MemberCategoryCode.GENERAL_CADRE,
    "党员": MemberCategoryCode.MEMBER, "普通党员": MemberCategoryCode.MEMBER,
    "新党员": MemberCategoryCode.NEW_MEMBER, "新发展党员": MemberCategoryCode.NEW_MEMBER,
    "青年党员": MemberCategoryCode.YOUNG_MEMBER,
    "农村党员": MemberCategoryCode.RURAL_MEMBER,
    "离退休党员": MemberCategoryCode.RETIRED_MEMBER, "退休党员": MemberCategoryCode.RETIRED_MEMBER,
    "基层党组织书记": MemberCategoryCode.BRANCH_SECRETARY, "支部书记": MemberCategoryCode.BRANCH_SECRETARY,
    "党支部书记": MemberCategoryCode.BRANCH_SECRETARY,
    "入党积极分子": MemberCategoryCode.ACTIVIST, "积极分子": MemberCategoryCode.ACTIVIST,
}


# Rosters from Hong Kong, Macao or Taiwan offices (often Big5 files) write the same vocabulary in
# traditional characters (黨員類別, 組織編碼, 支部書記). Only our own closed vocabulary is compared, so a
# table of the traditional characters it uses is enough; a general converter (OpenCC) would bring a
# dictionary of tens of thousands of entries for thirty characters.
_TRADITIONAL = str.maketrans(
    "組織編碼稱類級戶郵屬黨員別職務總領導幹縣處發農離層書記積極",
    "组织编码称类级户邮属党员别职务总领导干县处发农离层书记积极")


def simplified(text: str) -> str:
    """``text`` with the traditional characters of the roster vocabulary written simplified."""
    return text.translate(_TRADITIONAL)


def kind_for(label: str) -> str | None:
    """The organisation kind a kind cell names (simplified or traditional label), or None."""
    return KIND_LABELS.get(simplified(label))


def category_for(label: str) -> str | None:
    """The member category a category label names (simplified or traditional), or None."""
    return CATEGORY_LABELS.get(simplified(label))


def canonical_labels(labels: dict[str, str]) -> list[str]:
    """The first label of each code, in the order of the mapping."""
    seen: dict[str, str] = {}
    for label, code in labels.items():
        seen.setdefault(code, label)
    return list(seen.values())


def column_help(column: Column) -> str:
    """The column's description for the template's notes, with the labels it accepts filled in."""
    params = {}
    if column.key == "kind":
        params = {"labels": "、".join(canonical_labels(KIND_LABELS)), "codes": ", ".join(OrganizationKind.values)}
    elif column.key == "categories":
        params = {"labels": "、".join(canonical_labels(CATEGORY_LABELS)), "separator": CATEGORY_SEPARATORS[0]}
    elif column.key == "join_date":
        params = {"examples": DATE_EXAMPLES}
    return str(column.help) % params

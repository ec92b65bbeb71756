"""The shared Studio row editor's server checks (issue 14, defect 12): every error names the field, the
row and the column, in the author's language, and nothing is saved while one is wrong."""
import pytest
from django.utils import translation

from party_training.xblocks import studio_rows
from tests.conftest import call_handler, get_block, load_block
from tests.writing_assignment.conftest import writing_olx

pytestmark = pytest.mark.django_db

MENU = {"columns": [
    {"key": "id", "label": "id", "kind": "id"},
    {"key": "title", "label": "Title", "kind": "text", "required": True, "max": 5},
    {"key": "topic", "label": "Topic", "kind": "choice", "choices": [("theory", "Theory")], "other": "Other"},
    {"key": "level", "label": "Level", "kind": "choice", "choices": [("a", "A"), ("b", "B")]},
    {"key": "hours", "label": "Hours", "kind": "number", "required": True, "min": 0, "max": 100},
    {"key": "capacity", "label": "Capacity", "kind": "int", "min": 1, "max": 10},
    {"key": "starts", "label": "Starts", "kind": "datetime"},
    {"key": "required", "label": "Required", "kind": "bool"},
    {"key": "for", "label": "For", "kind": "multi", "choices": [("member", "Member")]},
    {"key": "url", "label": "Address", "kind": "url"},
]}


def test_a_good_row_passes_and_numbers_typed_as_text_count():
    row = {"id": "x", "title": "甲", "topic": "自定", "level": "a", "hours": "1.5", "capacity": "3",
           "starts": "2026-05-01T09:00", "required": True, "for": ["member"], "url": "https://a.cn/x"}
    assert studio_rows.row_problems("Options", MENU, [row, {"title": "乙", "level": "b", "hours": 0}]) == []


@pytest.mark.parametrize("cell, value, message", [
    ("title", "", "“Options”, row 2: “Title” is required."),
    ("title", "abcdef", "“Options”, row 2: “Title” is longer than 5 characters."),
    ("level", "c", "“Options”, row 2: “Level”: “c” is not listed; choose one of the listed values."),
    ("hours", "many", "“Options”, row 2: “Hours” must be a number from 0 to 100."),
    ("hours", 101, "“Options”, row 2: “Hours” must be a number from 0 to 100."),
    ("capacity", 2.5, "“Options”, row 2: “Capacity” must be a whole number from 1 to 10."),
    ("starts", "tomorrow", "“Options”, row 2: “Starts” must be a date and time."),
    ("required", "yes", "“Options”, row 2: “Required” is not valid."),
    ("for", ["admin"], "“Options”, row 2: “For”: choose among the listed values."),
    ("url", "javascript:alert(1)", "“Options”, row 2: “Address” must be an address starting with http:// or https://."),
])
def test_each_problem_names_field_row_and_column(cell, value, message):
    good = {"title": "甲", "level": "a", "hours": 1}
    with translation.override("en"):
        assert studio_rows.row_problems("Options", MENU, [good, {**good, cell: value}]) == [message]


def test_messages_are_translated_and_nested_rows_name_their_outer_row():
    rubric = [{"name": "观点", "levels": [{"name": "好", "points": 10}, {"name": "差", "points": 0}]},
              {"name": "", "levels": [{"name": "好", "points": "十"}]}]
    with translation.override("zh-hans"):
        problems = studio_rows.row_problems("评分标准", studio_rows.translated(studio_rows.RUBRIC_ROWS), rubric)
    assert problems == ["“评分标准”第 2 行：请填写“评分项”。",
                        "“评分标准”第 2 行的“等级”第 1 行：“分值”须为 0 到 1000 之间的整数。"]


def test_each_problem_has_the_place_the_editor_marks():
    """[row, column, nested row, nested column], rows from 0: what core.js follows to the very input."""
    rubric = [{"name": "观点", "levels": [{"name": "好", "points": 10}]},
              {"name": "", "levels": [{"name": "好", "points": 5}, {"name": "差", "points": "十"}]}]
    spots: list = []
    studio_rows.row_problems("Rubric", studio_rows.translated(studio_rows.RUBRIC_ROWS), rubric, spots=spots)
    assert spots == [[1, "name"], [1, "levels", 1, "points"]]
    spots = []
    tiers = {"keys": [{"key": "first", "label": "First", "kind": "int", "required": True, "min": 0, "max": 9},
                      {"key": "second", "label": "Second", "kind": "int", "required": True, "min": 0, "max": 9}]}
    studio_rows.keyed_problems("Prizes", tiers, {"first": 1, "second": 10}, spots)
    assert spots == [["second"]]


def test_not_a_list_and_keyed_objects():
    tiers = {"keys": [{"key": "first", "label": "First prize", "kind": "int", "required": True, "min": 0, "max": 9}]}
    with translation.override("en"):
        assert studio_rows.row_problems("Points", MENU, {"a": 1}) == ["“Points” must be a list of rows."]
        assert studio_rows.keyed_problems("Prizes", tiers, {"first": 2}) == []
        assert studio_rows.keyed_problems("Prizes", tiers, {"first": -1}) == [
            "“Prizes”: “First prize” must be a whole number from 0 to 9."]
        assert studio_rows.keyed_problems("Prizes", tiers, {"first": 1, "fourth": 1}) == ["“Prizes” is not valid."]


def test_writing_award_tiers_are_checked_per_prize_and_nothing_is_saved(make_user):
    usage_id = load_block(writing_olx("tiers"))
    staff = make_user("tiers_author", course_staff=True)
    status, body = call_handler(usage_id, "studio_submit", staff, {"values": {
        "display_name": "新", "award_tiers": {"first": 1, "second": "两", "third": 3, "honourable": 5}}})
    assert status == 400
    assert body["fields"]["award_tiers"] == "“奖项设置（征文）”：“二等奖”须为 0 到 1000 之间的整数。"
    assert get_block(usage_id).display_name != "新"
    status, body = call_handler(usage_id, "studio_submit", staff, {"values": {
        "award_tiers": {"first": 2, "second": 0, "third": 4, "honourable": 6}}})
    assert status == 200, body
    assert get_block(usage_id).award_tiers == {"first": 2, "second": 0, "third": 4, "honourable": 6}


def test_case_discussion_materials_name_the_row(make_user):
    usage_id = load_block('<case_discussion url_name="cdrows"><question>为什么？</question></case_discussion>')
    staff = make_user("cd_author", course_staff=True)
    status, body = call_handler(usage_id, "studio_submit", staff, {"values": {"materials": [
        {"title": "甲", "url": "https://a.cn"}, {"title": "<b>乙</b>", "url": "javascript:alert(1)"}]}})
    assert status == 400
    assert body["fields"]["materials"] == "“学习资料”第 2 行：“地址（http 或 https）”须为以 http:// 或 https:// 开头的地址。"


@pytest.mark.parametrize("olx", [
    '<party_class url_name="j1"/>', '<knowledge_contest url_name="j2"/>', '<case_discussion url_name="j3"/>',
    '<menu_selection url_name="j4"/>', writing_olx("j5"),
])
def test_no_block_editor_shows_raw_json(olx, make_user):
    """Every list and object an author edits is rows or one input per key (defect 12)."""
    usage_id = load_block(olx)
    block = get_block(usage_id, make_user("json_author", course_staff=True))
    kinds = {name: block._editor_field(name)["kind"] for name in block.editable_fields}  # pylint: disable=protected-access
    assert "json" not in kinds.values(), kinds
    # Authored HTML (class text, case background, menu intro, writing prompt) gets the formatting toolbar;
    # the contest's introduction is plain text.
    rich = {"party_class": "body", "case_discussion": "background", "menu_selection": "intro",
            "writing_assignment": "prompt"}.get(block.scope_ids.block_type)
    assert rich is None or kinds[rich] == "html", kinds
    assert 'rows="8"' not in block.studio_view().body_html()

"""The learner's own learning file: this year's hours by source against the requirement."""
import datetime
import re

import pytest

from party_training.edx_plugin.core.registry import registry

from party_training.edx_plugin.core.ledger import credit_hours, reverse_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(make_user, make_org):
    committee = make_org("C", "机关党委", kind="committee")
    branch = make_org("B1", "第一党支部", parent=make_org("G", "第一党总支", kind="general_branch", parent=committee))
    return make_user("zhang", org=branch, categories=("member",), full_name="张三")


def test_requires_login(client):
    response = client.get("/party-training/my/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_shows_hours_by_source_in_chinese(client, member):
    year = datetime.date.today().year
    credit_hours(member, 8, "party_class", "pc1", date=datetime.date(year, 3, 1))
    wrong, _ = credit_hours(member, 5, "self_study", "s1", date=datetime.date(year, 3, 2))
    reverse_entry(wrong)
    credit_hours(member, 30, "course", "last-year", date=datetime.date(year - 1, 6, 1))
    client.force_login(member)
    html = client.get("/party-training/my/").content.decode()
    assert "我的学习档案" in html and "张三" in html and "机关党委 › 第一党总支 › 第一党支部" in html
    assert "已完成 8.00 学时，应修 32.00 学时" in html
    assert "本年度还差 24.00 学时" in html
    assert 'aria-valuenow="25"' in html
    assert "党课" in html
    by_source = html[html.index("学时来源明细"):html.index(f"{year} 年度学时记录")]
    ledger = html[html.index(f"{year} 年度学时记录"):html.index('id="party-self-study"')]
    # The reversed self-study nets to zero and last year's course is not this year's.
    assert not re.search(r"自学</td><td[^>]*>5", by_source) and "课程结业" not in html
    # The ledger shows the line and its correction (named as the line it corrects).
    assert re.search(r"<td>自学</td>\s*<td>—</td>\s*<td class=\"num\">5.00</td>", ledger)
    assert re.search(r"<td>自学（更正）</td>\s*<td>—</td>\s*<td class=\"num\">-5.00</td>", ledger)


def test_english_when_chosen(client, member):
    client.force_login(member)
    client.cookies["django_language"] = "en"
    html = client.get("/party-training/my/").content.decode()
    assert "My learning file" in html and "8 of" not in html and "No hours recorded this year yet." in html


def test_only_own_data_and_bounded_queries(client, member, make_user, make_org, django_assert_max_num_queries):
    other = make_user("li", org=make_org("B2"), full_name="李四")
    credit_hours(other, 12, "contest", "c1")
    client.force_login(member)
    # Session, user, profile, categories, summary, ledger, the self-study log, whether the user is an
    # organisation admin (a link to compliance)… and one query per area's section.
    with django_assert_max_num_queries(10 + len(registry.learning_file_sections())):
        html = client.get("/party-training/my/").content.decode()
    # Neither the other member nor their contest line (a ledger or by-source cell) is shown.
    assert "李四" not in html and "<td>知识竞赛" not in html


def test_user_text_is_escaped(client, make_user, make_org):
    payload = '<script>alert("x")</script>'
    user = make_user("xss", org=make_org("B3", payload), full_name=payload)
    client.force_login(user)
    html = client.get("/party-training/my/").content.decode()
    assert payload not in html and "&lt;script&gt;" in html


def test_the_self_study_line_links_to_the_log_on_the_page_that_lists_it():
    """An admin reading a member's file follows the line to that member's log, not their own."""
    from types import SimpleNamespace  # pylint: disable=import-outside-toplevel

    from party_training.edx_plugin.learning_file.registration import self_study_link  # pylint: disable=import-outside-toplevel
    assert self_study_link(SimpleNamespace(source_ref="self_study_log:7", year=2026)) == "?year=2026#party-self-study"
    assert self_study_link(SimpleNamespace(source_ref="other", year=2026)) == ""

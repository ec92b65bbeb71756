"""Case discussion (case_discussion) in Chromium, the issue's scenario: two learners post; the second
sees the first only after posting, and replies; the instructor grades with the rubric and features
an analysis; everyone meets the block in its Learning MFE frame (render_xblock); desktop and 390 px
phone screenshots."""
import pytest

from party_training.edx_plugin.case_discussion.models import CaseAnalysis, CaseGrade
from tests.conftest import COURSE_ID, load_block, login, screenshot, unit_frame

from .conftest import graded_olx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST = ["村规民约修订走了过场，群众参与不足，根子在于形式主义。", "我们支部要把征求意见落到每一户。"]
SECOND = ["问题在于干部包办代替，没有发挥党员带头作用。", "要建立党员联系户制度，让群众说话。"]
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


def write_and_post(page, block, answers):
    for number, text in enumerate(answers):
        block.fill(f"textarea[data-answer='{number}']", text)
    with page.expect_response(lambda r: r.url.endswith("/submit") and r.request.method == "POST") as posted:
        block.click("button[data-action=submit]")
    assert posted.value.ok
    block.wait_for_selector(".party-case__posted:not([hidden])")


def test_post_first_reply_grade_and_feature(browser, live_server, make_user, make_org):
    usage = load_block(graded_olx("cd_browser"), unit="case_unit")
    branch = make_org("CB-B1", "第一支部", "branch")
    make_user("learner_one", org=branch, full_name="李红")
    make_user("learner_two", org=branch, full_name="王强")
    make_user("teacher_cd", course_staff=True, full_name="赵老师")
    unit_url = f"{live_server.url}/courses/{COURSE_ID}/unit/case_unit/"

    first = browser.new_context(viewport={"width": 1200, "height": 900}, units="frame").new_page()
    login(first, live_server.url, "learner_one")
    first.goto(unit_url)
    first_block = unit_frame(first)
    first_block.wait_for_selector(".party-case__editor:not([hidden])")
    assert first_block.is_visible(".party-case__locked")
    write_and_post(first, first_block, FIRST)

    second = browser.new_context(**PHONE, units="frame").new_page()
    login(second, live_server.url, "learner_two")
    second.goto(unit_url)
    second_block = unit_frame(second)
    second_block.wait_for_selector(".party-case__editor:not([hidden])")
    assert second_block.is_visible(".party-case__locked")
    assert FIRST[0] not in second_block.content()  # not before posting
    screenshot(second, "case_discussion_learner_before_posting_phone")
    write_and_post(second, second_block, SECOND)
    second_block.wait_for_selector(f"article.party-case__card:has-text('{FIRST[0]}')")
    card = second_block.locator("article.party-case__card", has_text=FIRST[0])
    card.locator("button.party-case__like").click()
    second_block.wait_for_selector("button.party-case__like[aria-pressed=true]")
    card.locator("button[aria-expanded]").click()
    card.locator(".party-case__reply-form textarea").fill("赞同！联系户制度可以试点。")
    card.locator(".party-case__reply-form button[type=submit]").click()
    second_block.wait_for_selector(".party-case__reply:has-text('联系户制度可以试点')")
    screenshot(second, "case_discussion_learner_phone")
    first_post = CaseAnalysis.objects.get(usage_id=usage, author__username="learner_one")
    assert first_post.like_count == 1 and first_post.reply_count == 1

    teacher = browser.new_context(viewport={"width": 1280, "height": 900}, units="frame").new_page()
    login(teacher, live_server.url, "teacher_cd")
    teacher.goto(unit_url)
    teacher_block = unit_frame(teacher)
    teacher_block.wait_for_selector(".party-case__staff table")
    teacher_block.click(".party-case__staff button:has-text('查看分析'), .party-case__staff button:has-text('Show posts')")
    staff_card = teacher_block.locator(".party-case__staff-posts article", has_text=FIRST[0])
    staff_card.wait_for()
    staff_card.locator("input[type=radio][data-criterion='0'][value='0']").check()
    staff_card.locator("input[type=radio][data-criterion='1'][value='1']").check()
    staff_card.locator(".party-case__grade-form textarea").fill("分析深入，建议更具体。")
    staff_card.locator(".party-case__grade-form button[type=submit]").click()
    teacher_block.wait_for_selector(".party-case__staff-posts .party-message--success")
    assert CaseGrade.objects.get(usage_id=usage, user__username="learner_one").score == 80
    staff_card.locator("button:has-text('设为优秀'), button:has-text('Feature')").first.click()
    teacher_block.wait_for_selector(".party-case__staff-posts article.is-featured")
    screenshot(teacher, "case_discussion_staff_desktop")

    first.reload()
    first_block = unit_frame(first)
    first_block.wait_for_selector(".party-case__grade:not([hidden])")
    assert "80" in first_block.text_content(".party-case__score")
    first_block.wait_for_selector(".party-case__featured:not([hidden])")
    assert SECOND[0] in first_block.content()
    screenshot(first, "case_discussion_learner_desktop")

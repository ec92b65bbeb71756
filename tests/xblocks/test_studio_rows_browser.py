"""Studio editors as authors use them (issue 14, defect 12): a party class's key points and materials
and a writing rubric are rows to add, remove and reorder, the class text has a formatting toolbar,
and a wrong value is named by its field. No JSON to type."""
import pytest

from tests.conftest import COURSE_ID, get_block, load_block, login, screenshot
from tests.writing_assignment.conftest import writing_olx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLASS = ('<party_class url_name="rows" display_name="党课" onsite_signin="true">'
         '<body><p>正文</p></body><key_point>第一点</key_point><key_point>第二点</key_point>'
         '<material url="https://www.12371.cn/a.pdf">党章全文</material></party_class>')


def _editor(browser, live_server, make_user, unit):
    make_user("author", course_staff=True)
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, live_server.url, "author")
    page.goto(f"{live_server.url}/courses/{COURSE_ID}/unit/{unit}/?view=studio")
    page.wait_for_selector(".party-rows__row")
    return context, page, errors


def test_party_class_key_points_materials_and_text(browser, live_server, make_user):
    usage_id = load_block(CLASS, unit="rows_unit")
    context, page, errors = _editor(browser, live_server, make_user, "rows_unit")
    points = page.locator('[data-field="key_points"]')
    assert [points.locator("input").nth(i).input_value() for i in range(2)] == ["第一点", "第二点"]
    points.get_by_role("button", name="添加一行").click()
    points.locator("input").nth(2).fill("第三点")
    points.locator(".party-rows__row").nth(2).get_by_role("button", name="上移").click()  # third before second
    points.locator(".party-rows__row").nth(0).get_by_role("button", name="删除").click()  # the first goes
    materials = page.locator('[data-field="materials"]')
    materials.get_by_role("button", name="添加一行").click()
    materials.locator(".party-rows__row").nth(1).locator("input").nth(0).fill("学习辅导")
    materials.locator(".party-rows__row").nth(1).locator("input").nth(1).fill("javascript:alert(1)")
    text = page.locator('[data-field="body"]')
    text.click()
    page.keyboard.press("End")
    page.keyboard.type("新增内容")
    page.click(".party-studio-form button[type=submit]")
    error = page.locator('[data-error-for="materials"]')
    error.wait_for()
    page.wait_for_function("document.querySelector('[data-error-for=\"materials\"]').textContent.length > 0")
    assert "链接" in error.inner_text() or "地址" in error.inner_text() or "url" in error.inner_text()
    assert get_block(usage_id).key_points == ["第一点", "第二点"], "nothing saved while a field is wrong"
    materials.locator(".party-rows__row").nth(1).locator("input").nth(1).fill("https://www.12371.cn/b.pdf")
    page.click(".party-studio-form button[type=submit]")
    page.wait_for_function("document.querySelector('.party-studio-form .party-message--success') !== null")
    block = get_block(usage_id)
    assert block.key_points == ["第三点", "第二点"]
    assert block.materials == [{"title": "党章全文", "url": "https://www.12371.cn/a.pdf"},
                               {"title": "学习辅导", "url": "https://www.12371.cn/b.pdf"}]
    assert "新增内容" in block.body and "<p>" in block.body
    screenshot(page, "studio_party_class_rows")
    context.close()
    assert not errors, errors


def test_writing_rubric_criteria_with_levels(browser, live_server, make_user):
    usage_id = load_block(writing_olx("rubric_rows"), unit="rubric_unit")
    context, page, errors = _editor(browser, live_server, make_user, "rubric_unit")
    rubric = page.locator('[data-field="rubric"]')
    criteria = rubric.locator(":scope > ol > li")
    assert criteria.count() == 2
    rubric.locator(":scope > button", has_text="添加一行").click()
    new = criteria.nth(2)
    new.locator("input").first.fill("联系实际")
    levels = new.locator(".party-rows--nested")
    for name, points in (("紧密", "30"), ("一般", "-5")):
        levels.get_by_role("button", name="添加一行").click()
        row = levels.locator(".party-rows__row").last
        row.locator("input").nth(0).fill(name)
        row.locator("input").nth(1).fill(points)
    page.click(".party-studio-form button[type=submit]")
    page.wait_for_function("document.querySelector('[data-error-for=\"rubric\"]').textContent.length > 0")
    assert "3" in page.inner_text('[data-error-for="rubric"]')  # names the criterion
    levels.locator(".party-rows__row").last.locator("input").nth(1).fill("10")
    page.click(".party-studio-form button[type=submit]")
    page.wait_for_function("document.querySelector('.party-studio-form .party-message--success') !== null")
    block = get_block(usage_id)
    assert block.rubric[2] == {"name": "联系实际", "levels": [{"name": "紧密", "points": 30}, {"name": "一般", "points": 10}]}
    assert block.max_score() == 40 + 60 + 30
    context.close()
    assert not errors, errors

"""Studio editors as authors use them (issue 14, defect 12): every block's lists are the one shared row
editor (core.js PartyTraining.rows) and its fixed-key objects one input per key: add, reorder, remove,
save, reload shows the result; a wrong value is named by its field and row; author text stays text."""
from pathlib import Path

import pytest

from party_training.edx_plugin.knowledge_contest.bank_files import load_bank_fixtures
from tests.case_discussion.conftest import graded_olx
from tests.conftest import COURSE_ID, get_block, load_block, login, screenshot
from tests.menu_selection.conftest import load_menu, option_olx
from tests.writing_assignment.conftest import writing_olx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

XSS = '<img src=x onerror="window.__xss=1">'
CLASS = ('<party_class url_name="rows" display_name="党课" onsite_signin="true">'
         '<body><p>正文</p></body><key_point>第一点</key_point><key_point>第二点</key_point>'
         '<material url="https://www.12371.cn/a.pdf">党章全文</material></party_class>')
CONTEST = ('<knowledge_contest url_name="rows_contest" display_name="党章知识竞赛">'
           '<draw bank="party-constitution" count="2"/></knowledge_contest>')


def _editor(browser, live_server, make_user, unit, username="author"):
    make_user(username, course_staff=True)
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda dialog: dialog.accept())  # "remove this option?" is confirmed
    login(page, live_server.url, username)
    page.goto(f"{live_server.url}/courses/{COURSE_ID}/unit/{unit}/?view=studio")
    page.wait_for_selector(".party-studio-form .party-rows")
    return context, page, errors


def rows(page, field):
    return page.locator(f'[data-field="{field}"] > ol > li')


def add_row(page, field):
    page.locator(f'[data-field="{field}"] > button').click()
    return rows(page, field).last


def tool(row, name):
    """A row's own button (上移 / 下移 / 删除), by its accessible name, which also names the row."""
    return row.locator(":scope > .party-rows__actions").get_by_role("button", name=name)


def save(page):
    page.evaluate("document.querySelectorAll('.party-field-error').forEach(n => n.textContent = '')")
    with page.expect_response(lambda r: "studio_submit" in r.url) as response:
        page.click(".party-studio-form > .party-actions button[type=submit]")
    return response.value


def error_of(page, field):
    page.wait_for_function(f"document.querySelector('[data-error-for=\"{field}\"]').textContent.length > 0")
    return page.inner_text(f'[data-error-for="{field}"]')


def _finish(context, page, errors):
    assert page.evaluate("window.__xss") is None, "author text must stay text"
    context.close()
    assert not errors, errors


def test_party_class_key_points_materials_and_text(browser, live_server, make_user):
    usage_id = load_block(CLASS, unit="rows_unit")
    context, page, errors = _editor(browser, live_server, make_user, "rows_unit")
    points = rows(page, "key_points")
    assert [points.nth(i).locator("input").input_value() for i in range(2)] == ["第一点", "第二点"]
    assert tool(points.nth(0), "上移").is_disabled() and tool(points.nth(1), "下移").is_disabled()
    add_row(page, "key_points").locator("input").fill(XSS)
    tool(points.nth(2), "上移").click()  # third before second
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "上移：第 2 行"  # focus follows
    page.keyboard.press("Tab")  # keyboard only: move down the row just moved up, then back
    page.keyboard.press("Enter")
    assert points.nth(2).locator("input").input_value() == XSS
    tool(points.nth(2), "上移").click()
    tool(points.nth(0), "删除").click()  # the first goes
    material = add_row(page, "materials")
    material.locator("input").nth(0).fill("学习辅导")
    material.locator("input").nth(1).fill("javascript:alert(1)")
    text = page.locator('[data-field="body"]')
    text.click()
    page.keyboard.press("End")
    page.keyboard.type("新增内容")
    assert save(page).status == 400
    assert error_of(page, "materials") == ("“学习资料”第 2 行：“地址（http 或 https）”须为以 http:// 或 https:// "
                                           "开头的地址。")
    # The very cell is marked and focused, not only the field.
    assert material.locator("input").nth(1).get_attribute("aria-invalid") == "true"
    assert page.evaluate("document.activeElement.getAttribute('aria-invalid')") == "true"
    assert page.locator('[data-field="materials"] [aria-invalid]').count() == 1
    assert get_block(usage_id).key_points == ["第一点", "第二点"], "nothing saved while a field is wrong"
    material.locator("input").nth(1).fill("https://www.12371.cn/b.pdf")
    assert save(page).ok
    block = get_block(usage_id)
    assert block.key_points == [XSS, "第二点"]
    assert block.materials == [{"title": "党章全文", "url": "https://www.12371.cn/a.pdf"},
                               {"title": "学习辅导", "url": "https://www.12371.cn/b.pdf"}]
    assert "新增内容" in block.body and "<p>" in block.body
    page.reload()
    page.wait_for_selector(".party-rows__row")
    assert [points.nth(i).locator("input").input_value() for i in range(2)] == [XSS, "第二点"]
    screenshot(page, "studio_party_class_rows")
    _finish(context, page, errors)


def test_writing_rubric_criteria_with_levels_and_award_tiers(browser, live_server, make_user):
    usage_id = load_block(writing_olx("rubric_rows"), unit="rubric_unit")
    context, page, errors = _editor(browser, live_server, make_user, "rubric_unit")
    criteria = rows(page, "rubric")
    assert criteria.count() == 2
    new = add_row(page, "rubric")
    new.locator("input").first.fill("联系实际")
    levels = new.locator(".party-rows--nested")
    for name, points in (("紧密", "30"), ("一般", "-5")):
        levels.get_by_role("button", name="添加一行").click()
        row = levels.locator(".party-rows__row").last
        row.locator("input").nth(0).fill(name)
        row.locator("input").nth(1).fill(points)
    tiers = page.locator('[data-field="award_tiers"]')
    tiers.get_by_label("二等奖").fill("")
    assert save(page).status == 400
    assert error_of(page, "rubric") == "“评分标准”第 3 行的“等级”第 2 行：“分值”须为 0 到 1000 之间的整数。"
    assert error_of(page, "award_tiers") == "“奖项设置（征文）”：请填写“二等奖”。"
    # The nested cell (third criterion, second level, its points) and the tier's input are marked.
    assert levels.locator(".party-rows__row").last.locator("input").nth(1).get_attribute("aria-invalid") == "true"
    assert tiers.get_by_label("二等奖").get_attribute("aria-invalid") == "true"
    assert page.locator(".party-studio-form [aria-invalid]").count() == 2
    screenshot(page, "studio_writing_rows_errors")
    levels.locator(".party-rows__row").last.locator("input").nth(1).fill("10")
    tool(criteria.nth(2), "上移").click()  # the new criterion second
    tiers.get_by_label("二等奖").fill("4")
    assert save(page).ok
    block = get_block(usage_id)
    assert block.rubric[1] == {"name": "联系实际", "levels": [{"name": "紧密", "points": 30}, {"name": "一般", "points": 10}]}
    assert block.max_score() == 40 + 60 + 30 and block.award_tiers["second"] == 4
    page.reload()
    page.wait_for_selector(".party-rows__row")
    assert criteria.nth(1).locator("input").first.input_value() == "联系实际"
    assert page.locator('[data-field="award_tiers"]').get_by_label("二等奖").input_value() == "4"
    _finish(context, page, errors)


def test_contest_draw_rules_and_points(browser, live_server, make_user):
    load_bank_fixtures(Path(__file__).resolve().parents[2] / "fixtures" / "question_banks")
    usage_id = load_block(CONTEST, unit="contest_rows")
    context, page, errors = _editor(browser, live_server, make_user, "contest_rows")
    rules = rows(page, "draw_rules")
    assert rules.count() == 1 and rules.nth(0).locator("select").first.input_value() == "party-constitution"
    rule = add_row(page, "draw_rules")
    rule.get_by_label("题数").fill("0")
    rule.get_by_label("分类（留空：不限）").fill(XSS)
    page.locator('[data-field="points"]').get_by_label("多选题").fill("300")
    assert save(page).status == 400
    problems = error_of(page, "draw_rules")
    assert "“抽题规则”第 2 行：请填写“题库”。" in problems and "“抽题规则”第 2 行：“题数”须为 1 到 200 之间的整数。" in problems
    assert error_of(page, "points") == "“各题型分值”：“多选题”须为 0 到 100 之间的数字。"
    screenshot(page, "studio_knowledge_contest_rows_errors")
    rule.locator("select").first.select_option("party-constitution")
    rule.get_by_label("题数").fill("1")
    rule.get_by_label("分类（留空：不限）").fill("")  # a category no question has draws nothing: refused
    tool(rule, "上移").click()
    page.locator('[data-field="points"]').get_by_label("多选题").fill("3")
    assert save(page).ok
    assert page.locator(".party-studio-form [aria-invalid]").count() == 0, "a save clears the marks"
    block = get_block(usage_id)
    assert [r["count"] for r in block.draw_rules] == [1, 2] and block.points["multiple"] == 3
    page.reload()
    page.wait_for_selector(".party-rows__row")
    tool(rows(page, "draw_rules").nth(0), "删除").click()
    assert save(page).ok
    assert [r["count"] for r in get_block(usage_id).draw_rules] == [2]
    _finish(context, page, errors)


def test_case_discussion_questions_materials_and_rubric(browser, live_server, make_user):
    usage_id = load_block(graded_olx("cd_studio"), unit="case_studio")
    context, page, errors = _editor(browser, live_server, make_user, "case_studio")
    background = page.locator('[data-field="background"][contenteditable=true]')  # no raw HTML to type
    background.click()
    page.keyboard.press("End")
    page.keyboard.type("补充背景")
    questions = rows(page, "questions")
    assert questions.count() == 2
    add_row(page, "questions").locator("input").fill("第三个问题：如何整改？")
    tool(questions.nth(2), "上移").click()
    tool(questions.nth(0), "删除").click()
    criterion = add_row(page, "rubric")
    criterion.locator("input").first.fill("文字表达")
    levels = criterion.locator(".party-rows--nested")
    for name, points in (("流畅", "10"), ("一般", "5")):
        levels.get_by_role("button", name="添加一行").click()
        row = levels.locator(".party-rows__row").last
        row.locator("input").nth(0).fill(name)
        row.locator("input").nth(1).fill(points)
    material = add_row(page, "materials")
    material.locator("input").nth(0).fill(XSS)
    material.locator("input").nth(1).fill("ftp://example.com/a.docx")
    assert save(page).status == 400
    assert "“学习资料”第 2 行：“地址（http 或 https）”须为以 http" in error_of(page, "materials")
    material.locator("input").nth(1).fill("https://example.com/a.docx")
    screenshot(page, "case_discussion_studio_desktop")
    assert save(page).ok
    block = get_block(usage_id)
    assert block.questions == ["第三个问题：如何整改？", "对本支部有何启示？"]
    assert block.rubric[2] == {"name": "文字表达", "levels": [{"name": "流畅", "points": 10}, {"name": "一般", "points": 5}]}
    assert block.materials[-1] == {"title": XSS, "url": "https://example.com/a.docx"}
    assert "补充背景" in block.background and "<p>" in block.background
    page.reload()
    page.wait_for_selector(".party-rows__row")
    assert questions.nth(0).locator("input").input_value() == "第三个问题：如何整改？"
    _finish(context, page, errors)


def test_menu_selection_options(browser, live_server, make_user):
    usage_id = load_menu(option_olx("a", "理论学习") + option_olx("b", "政策解读"), url_name="menu_rows")
    context, page, errors = _editor(browser, live_server, make_user, "unit1")
    assert page.locator('[data-field="intro"][contenteditable=true]').count() == 1  # no raw HTML to type
    options = rows(page, "options")
    assert options.count() == 2
    option = add_row(page, "options")
    option.get_by_label("标题").fill("基层治理案例")
    option.get_by_label("学时").fill("500")
    option.locator("fieldset", has_text="推荐给").get_by_label("党员", exact=True).check()
    assert save(page).status == 400
    assert error_of(page, "options") == "“选项”第 3 行：“学时”须为 0 到 100 之间的数字。"
    option.get_by_label("学时").fill("1.5")
    tool(option, "上移").click()
    tool(options.nth(0), "删除").click()  # confirmed (the dialog handler)
    screenshot(page, "menu_selection_studio_desktop")
    assert save(page).ok
    block = get_block(usage_id)
    assert [o["title"] for o in block.options] == ["基层治理案例", "政策解读"]
    assert block.options[0]["hours"] == 1.5 and block.options[0]["recommended_for"] == ["member"]
    page.reload()
    page.wait_for_selector(".party-rows__row")
    assert options.nth(0).get_by_label("标题").input_value() == "基层治理案例"
    _finish(context, page, errors)

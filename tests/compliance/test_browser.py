"""The compliance pages (compliance) and the learning file (learning_file) in headless Chromium, desktop
and phone: as an organisation admin the tree, a drill-down, the charts drawn by ECharts, a member's file
and the export; as a learner the file, the self-study log and the print preview. Chinese throughout,
nothing wider than a 390 px phone, no script errors; screenshots in test-artifacts/."""
import datetime
import re

import pytest

from party_training.edx_plugin.core.ledger import credit_hours
from party_training.edx_plugin.core.models import OrganizationAdmin
from tests.conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
VIEWPORTS = (("desktop", {"width": 1280, "height": 900}), ("phone", {"width": 390, "height": 844}))
ALLOWED_LATIN = {"XLSX", "ECharts", "SVG"}


def latin_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[A-Za-z]{3,}", text) if w not in ALLOWED_LATIN}


@pytest.fixture
def site(make_org, make_user):
    year = datetime.date.today().year
    committee = make_org("DEMO", "演示党委", kind="committee")
    general = make_org("DEMO-G1", "机关党总支", kind="general_branch", parent=committee)
    branches = [make_org(f"DEMO-B{n}", f"第{n}党支部", parent=general) for n in range(1, 4)]
    people = []
    for n in range(12):
        user = make_user(f"member{n}", org=branches[n % 3], full_name=f"党员{n}",
                         categories=("member", "branch_secretary") if n == 0 else ("member",))
        for k, source in enumerate(("party_class", "contest", "writing")[: n % 4]):
            credit_hours(user, 6 + n, source, f"s{k}", date=datetime.date(year, 3, 1), note=f"活动{k}")
        people.append(user)
    admin = make_user("orgadmin")
    OrganizationAdmin.objects.create(user=admin, organization=committee)
    return {"general": general, "branch": branches[0], "learner": people[1]}


def _check(page, viewport, errors):
    body = page.inner_text("body")
    assert not latin_words(body), latin_words(body)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert not errors, errors


def test_orgadmin_tree_drill_down_charts_file_export(browser, live_server, site, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)  # the export job's file
    for name, viewport in VIEWPORTS:
        context = browser.new_context(viewport=viewport, accept_downloads=True)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        login(page, live_server.url, "orgadmin")
        page.goto(f"{live_server.url}/party-training/compliance/")
        assert "演示党委" in page.inner_text("h1")
        page.click("#compliance-rows a:has-text('机关党总支')")
        page.wait_for_load_state("networkidle")
        assert "机关党总支" in page.inner_text("h1") and "演示党委" in page.inner_text(".party-breadcrumbs")
        # ECharts drew the three charts (SVG renderer).
        for chart in ("coverage", "histogram", "sources"):
            page.wait_for_selector(f"#party-chart-{chart}[data-drawn='1'] svg")
        _check(page, viewport, errors)
        screenshot(page, f"compliance_tree_{name}")
        page.click("#compliance-rows a:has-text('第1党支部')")
        page.wait_for_load_state("networkidle")
        page.click("section[aria-labelledby=compliance-members] tbody a >> nth=0")
        page.wait_for_load_state("networkidle")
        assert "的学习档案" in page.inner_text("h1")
        _check(page, viewport, errors)
        screenshot(page, f"compliance_member_file_{name}")
        page.go_back()
        page.click("section[aria-labelledby=compliance-export] button[type=submit]")
        page.wait_for_load_state("networkidle")
        with page.expect_download() as download:
            page.click("section[aria-labelledby=compliance-export] a.party-button")
        assert download.value.suggested_filename.endswith(".xlsx")
        context.close()


def test_learner_file_log_and_print(browser, live_server, site):
    for name, viewport in VIEWPORTS:
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        login(page, live_server.url, site["learner"].username)
        page.goto(f"{live_server.url}/party-training/my/")
        label = {"desktop": "桌面", "phone": "手机"}[name]
        page.fill("input[name=topic]", f"学习党章（{label}）")
        page.fill("input[name=minutes]", "45")
        page.click("text=加入记录")
        page.wait_for_load_state("networkidle")
        assert f"学习党章（{label}）" in page.inner_text("#party-self-study-log")
        _check(page, viewport, errors)
        screenshot(page, f"learning_file_log_{name}")
        page.click("text=学时证明（打印）")
        page.wait_for_load_state("networkidle")
        page.emulate_media(media="print")
        assert not page.locator(".party-page-header").is_visible()
        assert "书记签字" in page.inner_text("body")
        screenshot(page, f"learning_file_print_{name}")
        page.emulate_media(media="screen")
        context.close()

"""The walk of issue 14's "Done when": the demo as `make demo` sets it up, every role on desktop and on
a 390 px phone, through the home page, the course outline, every unit a learner may open, the
learning file, the staff dashboard and every tool it links to, the compliance page and the admin.
Each page fails the test on an English word in the Chinese page, a raw course or block id shown to
the user, raw Python data, horizontal overflow on the phone, a page error, and an accessibility
violation of impact "serious" or "critical" (axe-core, bundled by axe-playwright-python: no network).
Learners and staff see units as the Learning MFE shows them: each component in an iframe of the
render_xblock view; the walk checks inside every frame too, that the frame has grown to its content
(no scroll bar inside) and that links inside it leave the frame."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from django.core.management import call_command

from demo.models import CourseUnit
from tests.conftest import ensure_member_categories, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# Latin that belongs in a Chinese page: file formats, product names, and the language switch's own name.
ALLOWED_LATIN = {"English", "XLSX", "CSV", "JSON", "QR", "PDF", "HTML", "Studio", "Open", "edX", "URL", "ECharts",
                 "Django", "DEMO", "demo", "learner", "instructor", "orgadmin", "admin", "http", "https", "www"}
RAW_ID = re.compile(r"(course|block)-v1:|\{'[a-z_]+':")
SERIOUS = {"serious", "critical"}
WAIVED: list = []  # (path pattern, kinds of problem) a page may have until fixed: none
# Text of the page as a reader sees it, without identifiers shown as code (question-bank codes).
VISIBLE_TEXT = """() => { const body = document.body.cloneNode(true);
  body.querySelectorAll("code, kbd, script, style, template, [hidden]").forEach(n => n.remove());
  return body.innerText || body.textContent; }"""


def english_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[A-Za-z]{3,}", text) if w not in ALLOWED_LATIN}


class Walker:
    """Opens pages as one user on one screen and collects every problem found."""

    def __init__(self, browser, base: str, viewport: dict, axe: Axe, units: str = "inline"):
        self.context = browser.new_context(viewport=viewport, locale="zh-CN", units=units)
        self.page = self.context.new_page()
        self.base, self.viewport, self.axe = base, viewport, axe
        self.problems: list[str] = []
        self.frames = 0  # components checked inside their frames
        self.page.on("pageerror", lambda exc: self.problems.append(f"{self.page.url}: page error {exc}"))

    def visit(self, url: str, name: str = "") -> None:
        response = self.page.goto(url if url.startswith("http") else self.base + url)
        where = urlsplit(self.page.url).path
        if response is None or response.status >= 400:
            self.problems.append(f"{where}: HTTP {response.status if response else '?'}")
            return
        self.page.wait_for_load_state("networkidle")
        self.check(where)
        for number, frame in enumerate(self.page.locator("iframe.demo-unit-frame").element_handles(), start=1):
            self.check_frame(f"{where} (frame {number})", frame)
        if name:
            screenshot(self.page, name)

    def check_frame(self, where: str, element) -> None:
        """A component in its frame: its own page checked like any page, the frame as tall as its content
        (the resize message arrived), and every link inside leaving the frame (_top or _blank)."""
        self.frames += 1
        frame = element.content_frame()
        frame.wait_for_load_state("networkidle")
        try:
            self.page.wait_for_function(
                "f => f.contentDocument && Math.abs(f.getBoundingClientRect().height"
                " - f.contentDocument.documentElement.scrollHeight) <= 2", arg=element, timeout=5000)
        except PlaywrightTimeout:
            inner = frame.evaluate("document.documentElement.scrollHeight")
            self.problem(where, "frame", f"frame {element.bounding_box()['height']:.0f} px high, content {inner} px")
        stay = frame.evaluate("""() => Array.from(document.querySelectorAll('a[href]'))
            .filter(a => !['_top', '_blank'].includes(a.target || (document.querySelector('base') || {}).target))
            .map(a => a.getAttribute('href'))""")
        if stay:
            self.problem(where, "frame", f"links that would open inside the frame: {stay[:3]}")
        self.check(where, frame)

    def problem(self, where: str, kind: str, text: str) -> None:
        for pattern, kinds in WAIVED:
            if pattern.match(where) and kind in kinds:
                return
        self.problems.append(f"{where}: {text}")

    def check(self, where: str, page=None) -> None:
        """The checks of one page, or of one frame's page (a Playwright Frame evaluates like a Page)."""
        page = page or self.page
        body = page.evaluate(VISIBLE_TEXT)
        words = english_words(body)
        if words:
            self.problem(where, "english", f"English words {sorted(words)[:12]}")
        if RAW_ID.search(body):
            self.problem(where, "raw-id", f"raw id or data shown: {RAW_ID.search(body).group(0)}")
        width = page.evaluate("document.documentElement.scrollWidth")
        room = self.viewport["width"] if page is self.page else page.evaluate("window.innerWidth")
        if width > room:
            self.problem(where, "overflow", f"{width} px wide in {room} px")
        # Link-styled buttons look like the other buttons: no underline, the same height.
        buttons = page.evaluate("""() => Array.from(document.querySelectorAll('.party-button'))
            .filter(b => b.offsetParent !== null)
            .map(b => ({tag: b.tagName, height: b.getBoundingClientRect().height,
                        underline: getComputedStyle(b).textDecorationLine.includes('underline')}))""")
        if any(b["underline"] for b in buttons):
            self.problem(where, "buttons", "an underlined link button")
        heights = {tag: min(b["height"] for b in buttons if b["tag"] == tag) for tag in ("A", "BUTTON")
                   if any(b["tag"] == tag for b in buttons)}
        if len(heights) == 2 and abs(heights["A"] - heights["BUTTON"]) > 2:
            self.problem(where, "buttons", f"link buttons {heights['A']:.0f} px, buttons {heights['BUTTON']:.0f} px high")
        results = self.axe.run(page)
        for violation in results.response["violations"]:
            if violation["impact"] in SERIOUS:
                targets = [node["target"] for node in violation["nodes"]][:3]
                self.problem(where, "axe", f"axe {violation['impact']} {violation['id']} {targets}")

    def close(self) -> list[str]:
        self.context.close()
        return self.problems


def _units(course_id: str) -> list[CourseUnit]:
    return [u for u in CourseUnit.objects.filter(course_id=course_id) if not u.group_access]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_walk_every_role(browser, live_server, viewport):
    ensure_member_categories()
    call_command("demo_setup", verbosity=0)
    course_id = CourseUnit.objects.first().course_id
    screen = "phone" if viewport is PHONE else "desktop"
    axe = Axe()
    problems: list[str] = []

    visitor = Walker(browser, live_server.url, viewport, axe)
    visitor.visit("/", f"walk_home_visitor_{screen}")
    visitor.visit("/login/")
    problems += visitor.close()

    learner = Walker(browser, live_server.url, viewport, axe, units="frame")
    login(learner.page, live_server.url, "learner", "demo1234")
    learner.visit("/", f"walk_home_learner_{screen}")
    learner.visit(f"/courses/{course_id}/", f"walk_outline_{screen}")
    for unit in _units(course_id):
        learner.visit(f"/courses/{course_id}/unit/{unit.url_name}/")
    learner.visit("/party-training/my/")
    assert learner.frames >= len(_units(course_id)), "every unit's components seen in their frames"
    problems += learner.close()

    staff = Walker(browser, live_server.url, viewport, axe, units="frame")
    login(staff.page, live_server.url, "instructor", "demo1234")
    staff.visit("/", f"walk_home_staff_{screen}")
    staff.visit(f"/courses/{course_id}/")
    staff.visit(f"/party-training/course/{course_id}/staff/", f"walk_dashboard_{screen}")
    tools = staff.page.eval_on_selector_all(".party-tool a", "links => links.map(a => a.href)")
    assert len(tools) >= 6, tools
    for url in dict.fromkeys(tools):
        if not url.endswith(".xlsx"):
            staff.visit(url)
    for unit in _units(course_id)[:3]:
        staff.visit(f"/courses/{course_id}/unit/{unit.url_name}/")
    problems += staff.close()

    org_admin = Walker(browser, live_server.url, viewport, axe)
    login(org_admin.page, live_server.url, "orgadmin", "demo1234")
    org_admin.visit("/", f"walk_home_orgadmin_{screen}")
    org_admin.visit("/party-training/compliance/", f"walk_compliance_{screen}")
    problems += org_admin.close()

    site_admin = Walker(browser, live_server.url, viewport, axe)
    login(site_admin.page, live_server.url, "admin", "demo1234")
    site_admin.visit("/", f"walk_home_admin_{screen}")
    site_admin.visit("/admin/", f"walk_admin_{screen}")
    problems += site_admin.close()

    assert not problems, "\n".join(problems)

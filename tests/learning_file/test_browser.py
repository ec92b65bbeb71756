"""A learner signs in to the demo site in headless Chromium and opens the learning file:
no error, Chinese throughout (no untranslated English left), usable on a phone."""
import datetime
import re

import pytest

from party_training.edx_plugin.core.ledger import credit_hours
from tests.conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Words that may legitimately stay in Latin letters on a Chinese page.
ALLOWED_LATIN = {"English", "XLSX"}


def untranslated_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[A-Za-z]{3,}", text) if w not in ALLOWED_LATIN}


def test_learner_opens_learning_file(browser, live_server, make_user, make_org):
    committee = make_org("C1", "演示党委", kind="committee")
    branch = make_org("C1-B1", "第一党支部", parent=committee)
    learner = make_user("learner", org=branch, categories=("member",), full_name="张学员")
    year = datetime.date.today().year
    credit_hours(learner, 6, "course", "opening", date=datetime.date(year, 3, 1))
    credit_hours(learner, 4, "party_class", "pc-1", date=datetime.date(year, 4, 1))

    errors = []
    for name, viewport in (("learning_file_desktop", {"width": 1280, "height": 900}),
                           ("learning_file_phone", {"width": 375, "height": 740})):
        context = browser.new_context(viewport=viewport, locale="en-US")
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        login(page, live_server.url, "learner")
        response = page.goto(f"{live_server.url}/party-training/my/")
        assert response.status == 200
        body = page.inner_text("body")
        assert "我的学习档案" in body and "已完成 10.00 学时，应修 32.00 学时" in body
        assert "党课" in body and "课程结业" in body
        assert not untranslated_words(body), untranslated_words(body)
        bar = page.locator(".party-progress__bar").bounding_box()
        assert bar and bar["width"] > 0
        # Nothing wider than the screen on a phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        screenshot(page, name)
        context.close()
    assert not errors

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_anonymous_visitor_is_sent_to_sign_in(app):
    app.goto("/")
    expect(app.page).to_have_url(re.compile(r"/masuk/\?next=/"))
    expect(app.page.get_by_role("heading", name="Masuk")).to_be_visible()


@pytest.mark.parametrize("username", ["pk1.tng", "kasi.tng", "kasubsi.tng", "admin", "kabapas.tng", "kanwil"])
def test_each_demo_login_lands_on_its_home(app, username):
    app.login(username)
    expect(app.page).to_have_url(app.url("/"))
    expect(app.page.locator("#user-menu")).to_be_visible()

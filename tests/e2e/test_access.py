"""What a browser gets where it may not go: another office's client is "not found", and an anonymous visitor
is sent to sign in and then back to the page asked for."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def a_tangerang_client_url(app):
    page = app.login("pk1.tng")
    page.goto(app.url("/klien/"))
    link = page.locator("main table tbody tr a").first
    name = link.inner_text()
    path = link.get_attribute("href")
    assert re.fullmatch(r"/klien/\d+/", path)
    page.context.clear_cookies()
    return path, name


def test_pk_of_another_office_gets_not_found_for_a_client_url(app):
    path, name = a_tangerang_client_url(app)
    page = app.login("pk1.bpn")
    response = page.goto(app.url(path))
    assert response.status == 404
    expect(page.get_by_role("heading", name="Tidak ditemukan")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(name)
    expect(page.get_by_role("link", name="Kembali ke beranda")).to_be_visible()


def test_anonymous_visitor_is_sent_to_sign_in_and_back_to_the_client(app):
    path, name = a_tangerang_client_url(app)
    response = app.goto(path)
    page = app.page
    expect(page).to_have_url(re.compile(rf"/masuk/\?next={re.escape(path)}$"))
    assert response.status == 200  # the sign-in page, after the redirect
    expect(page.locator("main")).not_to_contain_text(name)

    page.locator("#id_username").fill("pk1.tng")
    page.locator("#id_password").fill("demo-bapas-2026")
    page.get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(app.url(path))
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()

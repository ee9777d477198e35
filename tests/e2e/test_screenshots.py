"""The README's screenshots of the real app over the demo data: run with E2E_SCREENSHOTS=1.

E2E_SCREENSHOTS=1 .venv/bin/python -m pytest tests/e2e/test_screenshots.py
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not os.environ.get("E2E_SCREENSHOTS"), reason="set E2E_SCREENSHOTS=1 to refresh docs/screenshots"
    ),
]

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SIZE = {"width": 1280, "height": 900}


def shoot(page, name):
    OUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUT / f"{name}.png"), full_page=False)
    assert (OUT / f"{name}.png").stat().st_size > 10_000


def test_screenshots(app):
    page = app.page
    page.set_viewport_size(SIZE)
    app.login("pk1.tng")
    expect(page.locator("#overdue")).to_be_visible()
    shoot(page, "worklist")

    app.login("kasubsi.tng")
    page.goto(app.url("/pelatihan/"))
    page.get_by_role("link", name="Teknik Penyajian Kopi (Barista)").first.click()
    page.locator("a[href*='/kehadiran/']").first.click()
    expect(page.locator("table.attendance-table tbody tr")).to_have_count(20)
    shoot(page, "attendance")

    app.login("kasi.tng")
    expect(page.locator("#participation-pdf")).to_be_visible()
    shoot(page, "dashboard")

    page.set_viewport_size({"width": 390, "height": 844})  # a PK's phone at a home visit
    app.login("pk1.tng")
    expect(page.locator("#overdue")).to_be_visible()
    page.locator("#due-today").scroll_into_view_if_needed()
    shoot(page, "worklist-phone")

"""axe-core (vendored, tests/e2e/vendor/) on the main pages: no serious or critical violation.

The Content Security Policy forbids inline scripts, so axe is evaluated through the DevTools protocol
(``page.evaluate``), which the page's CSP does not govern; the app's own headers stay as they are.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
BLOCKING = {"serious", "critical"}


def axe_violations(page):
    page.evaluate(AXE)
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ["violations"]});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                           targets: v.nodes.slice(0, 5).map(n => n.target.join(" "))}));
        }"""
    )
    return [v for v in result if v["impact"] in BLOCKING]


def assert_accessible(page, what):
    expect(page.locator("main")).to_be_visible()
    # Contrast is only checked when the style sheets really loaded (Bootstrap's bg-body-tertiary).
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(248, 249, 250)"
    violations = axe_violations(page)
    assert not violations, f"{what} ({page.url}):\n" + "\n".join(
        f"  {v['impact']} {v['id']}: {v['help']} at {v['targets']}" for v in violations
    )


def test_sign_in_page(app):
    app.goto("/masuk/")
    assert_accessible(app.page, "sign-in")


def test_pk_pages_worklist_and_client(app):
    page = app.login("pk1.tng")
    assert_accessible(page, "worklist")
    page.locator("#due-today tr[data-client] a, #overdue tr[data-client] a").first.click()
    expect(page).to_have_url(re.compile(r"/klien/\d+/$"))
    assert_accessible(page, "client page")


def test_kasi_pages_dashboard_and_report(app):
    page = app.login("kasi.tng")
    assert_accessible(page, "office dashboard")
    page.goto(app.url("/laporan/participation/?period=year&year=2023"))
    assert_accessible(page, "participation report")


def test_kasubsi_attendance_page(app):
    page = app.login("kasubsi.tng")
    page.goto(app.url("/pelatihan/"))
    page.get_by_role("link", name="Teknik Penyajian Kopi (Barista)").first.click()  # 20 participants
    attendance = page.locator("a[href*='/kehadiran/']").first
    expect(attendance).to_be_visible()
    attendance.click()
    expect(page.locator("table.attendance-table")).to_be_visible()
    assert_accessible(page, "attendance")


def test_admin_partner_list(app):
    page = app.login("admin")
    page.goto(app.url("/mitra/daftar/"))
    assert_accessible(page, "partner list")

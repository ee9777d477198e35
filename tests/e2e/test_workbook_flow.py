"""The admin imports a workbook: the preview shows the one bad row and writes nothing; the corrected file
imports, and its records are in the app."""

import io

import openpyxl
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def workbook(kind_of_second_partner):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Mitra"
    sheet.append(["kode", "nama", "jenis", "alamat", "telepon"])
    sheet.append(["WB-E2E-1", "Bengkel Las Mandiri E2E", "SWASTA", "Jl. Imam Bonjol 7, Tangerang", "021-555-0101"])
    sheet.append(["WB-E2E-2", "Pesantren Al-Ikhlas E2E", kind_of_second_partner, "Cikokol, Tangerang", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(page, name, content):
    page.locator("input[type=file]").set_input_files(
        files=[
            {
                "name": name,
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": content,
            }
        ]
    )
    page.get_by_role("button", name="Unggah dan lihat pratinjau").click()


def test_admin_imports_a_workbook_after_fixing_the_error_the_preview_shows(app):
    page = app.login("admin")
    app.nav_link("workbook:import_upload").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Impor workbook")

    upload(page, "mitra-salah.xlsx", workbook("RELIGIUS"))
    issues = page.locator("ul.workbook-issues li")
    expect(issues).to_have_count(1)
    expect(issues.first).to_contain_text("Mitra!3")
    expect(issues.first).to_contain_text("jenis")
    expect(page.get_by_role("button", name="Konfirmasi impor")).to_have_count(0)  # nothing can be written

    page.get_by_role("link", name="Unggah workbook yang sudah diperbaiki").click()
    upload(page, "mitra-benar.xlsx", workbook("KEAGAMAAN"))
    expect(page.locator("ul.workbook-issues li")).to_have_count(0)
    summary = page.locator("table.workbook-summary tbody tr", has_text="Mitra")
    expect(summary.locator("td").nth(1)).to_have_text("2")  # two new partners
    page.get_by_role("button", name="Konfirmasi impor").click()

    expect(page.locator("main")).to_contain_text("Workbook berhasil diimpor.")
    page.goto(app.url("/mitra/daftar/?q=E2E"))
    main = page.locator("main")
    expect(main).to_contain_text("Bengkel Las Mandiri E2E")
    expect(main).to_contain_text("Pesantren Al-Ikhlas E2E")

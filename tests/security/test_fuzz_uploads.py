"""Hostile uploads: agreement scans (create, edit, renewal/addendum), follow-up photos, workbooks.

Random bytes, content of the wrong kind (HTML with script, SVG, ZIP, text in Latin-1, a PDF without
its end marker), hostile file names (NUL, markup, path traversal, RTL override, 10k characters) and
files over the limit. Never a server error; a refused upload leaves no row and no file behind; an
accepted one is stored under a name the server chose, inside the private store.
"""

import io
import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from pokmaslipas.models import Agreement
from pokmaslipas.validators import MAX_DOCUMENT_BYTES
from tests.security import fuzz_support as fz
from tests.security.test_fuzz_forms import CASES_BY_ID, FUZZ, PNG, starting_payload, submit, world  # noqa: F401
from tests.security.test_permission_matrix import PDF
from trainings.forms import PHOTO_MAX_BYTES
from trainings.models import FollowUp

pytestmark = pytest.mark.django_db

SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
CONTENTS = [
    b"",
    PDF,
    PNG,
    PDF[:-6],  # no %%EOF
    b"%PDF-1.4\n" + HTML + b"\n%%EOF\n",  # a "PDF" that is HTML inside: passes the magic check, served as PDF
    HTML,
    SVG,
    b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
    b"PK\x03\x04\x14\x00\x00\x00broken zip",
    "Nama;Alamat\nBudi;Jl. Mawar é ü".encode("latin-1"),
    "\ufeffteks".encode("utf-16"),
    b"\xff\xfe\xfd\x00\x80\x81",
    b"\x00" * 64,
]
NAMES = [
    "pks.pdf",
    "a\x00b.pdf",
    fz.SCRIPT + ".pdf",
    fz.IMG + ".png",
    "../../../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "gpj.exe\u202e.pdf",
    "x" * 10_000 + ".pdf",
    "😀.png",
    ".pdf",
    "noext",
    "bukti.svg",
    "data.xls",
]
content = st.one_of(st.sampled_from(CONTENTS), st.binary(max_size=2048))
# A name whose last path part is empty (e.g. "/") cannot reach a view: browsers send none and
# Django's multipart parser drops it; the test client refuses to build such a file at all.
filename = st.one_of(
    st.sampled_from(NAMES),
    st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40).filter(
        lambda n: os.path.basename(n.replace("\\", "/")) not in ("", ".", "..")
    ),
)


def stored_files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def check_upload(w, case, name, data, filename_, payload_extra=None):
    target, payload, _kinds = starting_payload(w, case)
    payload.update(payload_extra or {})
    root = Path(w["storage"])
    before = stored_files(root)
    upload = SimpleUploadedFile(filename_, data)
    result = submit(w, case, target, payload, {name: upload})
    assert result["status"] < 500, f"{case.id}: {result['status']} for {filename_!r}"
    assert not result["raw"], f"{case.id}: unescaped probe for the file name {filename_!r}"
    new_files = stored_files(root) - before
    if result["status"] in (200, 400):
        assert not result["changed"], f"{case.id}: refused upload wrote {result['changed']}"
        assert not new_files, f"{case.id}: refused upload left {new_files}"
        return "refused"
    assert result["status"] == 302
    for stored in new_files:
        path = (root / stored).resolve()
        assert str(path).startswith(str(root.resolve()) + os.sep), f"{stored} outside the private store"
        assert fz.SCRIPT not in stored and "\x00" not in stored and ".." not in Path(stored).parts
    return "accepted"


@pytest.fixture
def storage(world, settings):  # noqa: F811  (the fixture imported from test_fuzz_forms)
    world["storage"] = settings.STORAGES["default"]["OPTIONS"]["location"]
    return world


@pytest.mark.parametrize("case_id", ["agreement_create", "agreement_edit", "agreement_renew_addendum"])
def test_agreement_scans_are_judged_by_content(storage, case_id):
    case = CASES_BY_ID[case_id]
    outcomes = []

    @FUZZ
    @given(data=content, name=filename)
    def run(data, name):
        outcomes.append(check_upload(storage, case, "document", data, name))

    run()
    assert "refused" in outcomes


def test_agreement_scan_content_rules(storage):
    """Only a PDF (by content) is kept, whatever its name; the name is the server's."""
    case = CASES_BY_ID["agreement_create"]
    for data, name in ((PNG, "pks.pdf"), (HTML, "pks.pdf"), (PDF[:-6], "pks.pdf"), (b"", "pks.pdf")):
        assert check_upload(storage, case, "document", data, name) == "refused", (data[:10], name)
    for name in (fz.SCRIPT + ".pdf", "../../x.pdf", "a\x00b.pdf", "noext"):
        assert check_upload(storage, case, "document", PDF, name) == "accepted", name


def test_agreement_scan_over_the_limit_is_refused(storage):
    case = CASES_BY_ID["agreement_create"]
    big = PDF[:9] + b"0" * (MAX_DOCUMENT_BYTES + 1 - len(PDF)) + PDF[9:]
    assert len(big) == MAX_DOCUMENT_BYTES + 1
    assert check_upload(storage, case, "document", big, "besar.pdf") == "refused"
    assert not Agreement.objects.filter(number="W29.FUZZ-0001").exists()


def test_follow_up_photos_are_judged_by_content(storage):
    case = CASES_BY_ID["followup_create"]
    outcomes = []

    @FUZZ
    @given(data=content, name=filename)
    def run(data, name):
        outcomes.append(check_upload(storage, case, "photo", data, name))

    run()
    assert "refused" in outcomes
    # an SVG (script inside) or HTML named .png is no photo; a real PNG under any name is
    for data in (SVG, HTML, PDF):
        assert check_upload(storage, case, "photo", data, "bukti.png") == "refused"
    assert check_upload(storage, case, "photo", PNG, fz.IMG + ".png") == "accepted"
    assert check_upload(storage, case, "photo", PNG, "a\x00b.png") in ("accepted", "refused")


def test_follow_up_photo_over_the_limit_is_refused(storage):
    from PIL import Image

    case = CASES_BY_ID["followup_create"]
    out = io.BytesIO()
    Image.new("RGB", (2, 2)).save(out, format="PNG")
    big = out.getvalue() + b"\x00" * (PHOTO_MAX_BYTES + 1 - len(out.getvalue()))
    assert check_upload(storage, case, "photo", big, "besar.png") == "refused"
    assert not FollowUp.objects.filter(notes="Usaha jalan").exists()


# --- workbook import ---------------------------------------------------------------------------


def _upload_workbook(w, data, name):
    from workbook.models import ImportJob

    client = w["clients"]["kasi_a"]
    root = Path(w["storage"])
    before, jobs = stored_files(root), ImportJob.objects.count()
    counts = {k: v for k, v in fz.snapshot().items() if not k.startswith("workbook.")}
    response = client.post(reverse("workbook:import_upload"), {"file": SimpleUploadedFile(name, data)})
    body = response.content.decode("utf-8", "replace")
    assert response.status_code < 500, f"{response.status_code} for {name!r}"
    assert not fz.raw_probes_in(body, [name]), f"unescaped file name {name!r}"
    # nothing is imported before the preview is confirmed
    assert {k: v for k, v in fz.snapshot().items() if not k.startswith("workbook.")} == counts
    if response.status_code == 400:
        assert ImportJob.objects.count() == jobs
        assert stored_files(root) == before
    return response


def test_workbook_upload_of_random_or_non_utf8_bytes(storage):
    outcomes = []

    @FUZZ
    @given(data=content, name=st.one_of(filename, filename.map(lambda n: n + ".xlsx")))
    def run(data, name):
        outcomes.append(_upload_workbook(storage, data, name).status_code)

    run()
    assert 400 in outcomes
    for name in ("a\x00b.xlsx", fz.SCRIPT + ".xlsx", "x" * 10_000 + ".xlsx"):
        _upload_workbook(storage, b"PK\x03\x04 not a workbook", name)


def test_workbook_with_hostile_cells_is_previewed_escaped(storage):
    """A real XLSX whose cells hold hostile text: the preview shows them escaped and writes nothing."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    from tests.workbook.conftest import full_workbook, make_xlsx

    client = storage["clients"]["kasi_a"]
    cell_text = fz.HOSTILE.map(lambda s: ILLEGAL_CHARACTERS_RE.sub("", s)[:500])

    @FUZZ
    @given(values=st.lists(cell_text, min_size=1, max_size=6), where=st.lists(st.integers(0, 50), min_size=6))
    def run(values, where):
        book = full_workbook()
        cells = [
            (sheet, r, c) for sheet, rows in book.items() for r in range(1, len(rows)) for c in range(len(rows[r]))
        ]
        for value, index in zip(values, where, strict=False):
            sheet, r, c = cells[index % len(cells)]
            book[sheet][r][c] = value
        response = _upload_workbook(storage, make_xlsx(book), "data.xlsx")
        if response.status_code == 302:
            page = client.get(response["Location"])
            assert page.status_code < 500
            assert not fz.raw_probes_in(page.content.decode(), values)

    run()


def test_workbook_over_the_limit_is_refused(storage, monkeypatch):
    from workbook import forms as workbook_forms
    from workbook import reader
    from workbook import views as workbook_views

    for module in (workbook_forms, reader, workbook_views):
        monkeypatch.setattr(module, "MAX_UPLOAD_BYTES", 1024)
    response = _upload_workbook(storage, b"PK\x03\x04" + b"\x00" * 200_000, "besar.xlsx")
    assert response.status_code == 400


def test_excuse_evidence_is_judged_by_content(storage):
    """An izin's evidence: a PDF or a picture by its bytes; script or HTML under any name is refused."""
    case = CASES_BY_ID["excuse_create"]
    for data, name in ((SVG, "surat.png"), (HTML, "surat.pdf"), (b"", "kosong.pdf")):
        assert check_upload(storage, case, "evidence", data, name) == "refused", name
    assert check_upload(storage, case, "evidence", PDF, "surat-dokter.exe") == "accepted"

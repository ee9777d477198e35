"""Property-based tests: random and broken rows never raise and never leave a partial write."""

import io
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from clients.models import Client, ReportingVisit, ReportingWarning
from pokmaslipas.models import Agreement, Partner
from tests.workbook.conftest import full_workbook, make_xlsx, run_import
from trainings.models import Attendance, Enrolment, FollowUp, TrainingSession
from workbook import schema
from workbook.reader import read_workbook

MODELS = (
    Partner,
    Agreement,
    Client,
    TrainingSession,
    Enrolment,
    Attendance,
    FollowUp,
    ReportingVisit,
    ReportingWarning,
)
ALL_CODES = sorted({code for sheet in schema.SHEETS for column in sheet.columns for code in column.choices})
TRICKY = [
    "",
    " ",
    "=1+1",
    "=SUM(A1:A3)",
    "#N/A",
    "31/02/2024",
    "2024-13-01",
    "2024-01-01 25:61",
    "0000000000000000",
    "3671010101900001",
    "36710101019000011",
    "-1",
    "1.500.000",
    "1,5",
    "Rp 2.000",
    "YA",
    "tidak",
    "REG-1",
    "P-1",
    "GBI",
    "N-1",
    "alice",
    "bob",
    "x" * 400,
    "1e9",
    "NaN",
    "2024-02-29",
    "29/02/2023",
    "12/31/2024",
]

text = st.text(alphabet=string.printable + "éàüß‘’“”ą", max_size=40).map(lambda s: ILLEGAL_CHARACTERS_RE.sub("", s))
cell = st.one_of(
    st.none(),
    text,
    st.sampled_from(TRICKY),
    st.sampled_from(ALL_CODES),
    st.integers(min_value=-(10**18), max_value=10**18),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.dates(),
    st.datetimes(),
)
HYPOTHESIS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


def snapshot():
    return {model.__name__: (model.objects.count(), model.history.count()) for model in MODELS}


@HYPOTHESIS
@given(
    sheet=st.sampled_from([s.name for s in schema.SHEETS]),
    rows=st.lists(st.lists(cell, min_size=0, max_size=14), min_size=1, max_size=6),
    keep_header=st.booleans(),
)
def test_random_rows_never_raise_and_never_write_partially(workbook_office, sheet, rows, keep_header):
    book = full_workbook()
    book.setdefault(sheet, [schema.SHEETS_BY_NAME[sheet].headers])  # an extension sheet full_workbook lacks
    header = schema.SHEETS_BY_NAME[sheet].headers if keep_header else book[sheet][0]
    book[sheet] = [header, *book[sheet][1:], *rows]
    before = snapshot()
    result = run_import(make_xlsx(book), workbook_office)
    if result.ok:
        assert result.applied
    else:
        assert not result.applied
        assert snapshot() == before
        assert all(isinstance(issue, str) and issue for issue in result.issues)


@HYPOTHESIS
@given(
    sheets=st.dictionaries(
        st.sampled_from([s.name for s in schema.SHEETS] + ["Lain"]),
        st.lists(st.lists(cell, max_size=8), max_size=5),
        min_size=1,
        max_size=4,
    )
)
def test_random_workbooks_never_raise(workbook_office, sheets):
    before = snapshot()
    result = run_import(make_xlsx(sheets), workbook_office, dry_run=True)
    assert snapshot() == before
    assert not result.applied


@HYPOTHESIS
@given(data=st.binary(max_size=4000), cut=st.integers(min_value=0, max_value=5000))
def test_random_and_truncated_bytes_never_raise(workbook_office, data, cut):
    assert read_workbook(io.BytesIO(data)).issues
    valid = make_xlsx(full_workbook())
    truncated = read_workbook(io.BytesIO(valid[:cut] + data))
    assert truncated.issues or truncated.sheets is not None

"""Importing a workbook into one office (docs/INTERFACES.md section 2).

All or nothing: the whole import runs in one transaction, sheet after sheet in the contract's
order, and is rolled back when any row has an error (or for a dry run, which is how the preview
is computed: the same code path, so the preview cannot promise what the import does not do).

Bulk-friendly: each sheet loads the office's existing records in one query keyed by natural key,
compares every row with the stored record (the exporter's ``*_values`` functions) and writes only
new and changed rows, in bulk, with their history rows (who, when, ``import <file name>``).
"""

from workbook.importer.base import Change, ImportBase, ImportResult, SheetResult
from workbook.importer.clients import ClientSheets
from workbook.importer.excuses import ExcuseSheets
from workbook.importer.partners import PartnerSheets
from workbook.importer.tpp import TPPSheets
from workbook.importer.trainings import TrainingSheets
from workbook.reader import WorkbookData

__all__ = ["Change", "ImportResult", "SheetResult", "WorkbookImport", "import_workbook"]


class WorkbookImport(PartnerSheets, ClientSheets, ExcuseSheets, TPPSheets, TrainingSheets, ImportBase):
    """One import into one office; ``run`` applies the sheet steps in the contract's order."""


def import_workbook(
    data: WorkbookData, *, office, user=None, filename: str, dry_run: bool, progress=None, ip_address=None
):
    """Validate (and unless ``dry_run`` apply) a read workbook; returns an ImportResult."""
    return WorkbookImport(office=office, user=user, filename=filename, progress=progress, ip_address=ip_address).run(
        data, dry_run=dry_run
    )

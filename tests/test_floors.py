"""The floors are code: the import-linter contracts of pyproject.toml hold, and the pages moved up a
floor keep their paths."""

from pathlib import Path

from django.urls import reverse
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_hold(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True) == 0


def test_pages_made_of_several_apps_keep_their_paths():
    assert reverse("worklist") == "/klien/tugas/"
    assert reverse("certificates_pdf", args=[7]) == "/pelatihan/7/sertifikat.pdf"

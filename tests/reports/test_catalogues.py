"""The Indonesian catalogues of reports, trainings and clients: complete, compiled, and used on the pages."""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

APPS = ["reports", "trainings", "clients"]


def catalogue(app):
    return Path(settings.BASE_DIR) / app / "locale" / "id" / "LC_MESSAGES"


@pytest.mark.parametrize("app", APPS)
def test_catalogue_has_no_untranslated_or_fuzzy_entry(app):
    po = polib.pofile(str(catalogue(app) / "django.po"))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert untranslated == [] and fuzzy == []


@pytest.mark.parametrize("app", APPS)
def test_compiled_catalogue_matches_the_po(app):
    """bin/messages compiles after every change: the .mo holds exactly the .po's translations."""
    po = polib.pofile(str(catalogue(app) / "django.po"))
    mo = polib.mofile(str(catalogue(app) / "django.mo"))

    def table(entries):
        return {
            (e.msgctxt, e.msgid): e.msgstr or tuple(sorted(e.msgstr_plural.items()))
            for e in entries
            if e.msgid and not e.obsolete
        }

    compiled = table(mo)
    assert len(compiled) > 100 and compiled == table(po.translated_entries())


@pytest.mark.django_db
def test_office_dashboard_sentence_in_indonesian(login, kasi_a):
    body = login(kasi_a).get(reverse("reports:dashboard_office")).content.decode()
    assert "Pelatihan tahun" in body and "tahun sebelumnya" in body
    assert "Trainings in" not in body and "last year" not in body

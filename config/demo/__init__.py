"""The demo data: offices and staff, then each floor's synthetic records, in dependency order.

Each module exposes ``load(context)``; the context carries offices, users and what earlier
modules created. ``load_demo`` runs them in one transaction (see docs/INTERFACES.md).
"""

from config.demo import clients, national, offices, partners, supervision, trainings, transfers

STAFF = offices.STAFF
# Every demo login's password unless load_demo is given another; the scale data's logins use it too.
DEFAULT_PASSWORD = "demo-bapas-2026"


def load(password: str) -> dict:
    context = offices.load(password)
    for module in (partners, clients, supervision, trainings, national, transfers):
        module.load(context)
    return context

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bapas.models import Role

P, S, K, H, A, R = Role.PK, Role.KASUBSI, Role.KASI, Role.KABAPAS, Role.ADMIN, Role.REGIONAL

# (url name, label, roles that see it).
NAVIGATION = [
    ("home", _("Home"), (P, S, K, H, A, R)),
    ("clients:list", _("Clients"), (P, S, K, H, A)),
    ("clients:compliance", _("Compliance"), (K, H)),
    ("pokmaslipas:partner_list", _("Partners"), (P, S, K, H, A)),
    ("pokmaslipas:agreement_list", _("Agreements (PKS)"), (P, S, K, H, A)),
    ("trainings:session_list", _("Trainings"), (P, S, K, H, A)),
    ("reports:index", _("Reports"), (P, S, K, H, A, R)),
    ("workbook:import_upload", _("Import"), (K, A)),
    ("bapas:staff_list", _("Staff"), (A,)),
    ("bapas:access_log", _("Access log"), (K, H)),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = []
    for name, label, roles in NAVIGATION:
        if user.role not in roles:
            continue
        url = reverse(name)
        active = request.path == url if name == "home" else request.path.startswith(url)
        items.append({"name": name, "label": label, "url": url, "active": active})
    return {"nav_items": items}

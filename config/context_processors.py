from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bapas.models import Role

P, S, K, H, A, R = Role.PK, Role.KASUBSI, Role.KASI, Role.KABAPAS, Role.ADMIN, Role.REGIONAL
N = Role.NATIONAL

# (url name, label, roles that see it, menu it is grouped in or "").
NAVIGATION = [
    ("home", _("Home"), (P, S, K, H, A, R, N), ""),
    ("reports:dashboard_regional", _("Offices"), (N,), ""),
    ("clients:list", _("Clients"), (P, S, K, H, A), "clients"),
    ("clients:compliance", _("Compliance"), (K, H), "clients"),
    ("pokmaslipas:partner_list", _("Partners"), (P, S, K, H, A), "partners"),
    ("pokmaslipas:agreement_list", _("Agreements (PKS)"), (P, S, K, H, A), "partners"),
    ("trainings:session_list", _("Trainings"), (P, S, K, H, A), ""),
    ("reports:index", _("Reports"), (P, S, K, H, A, R, N), ""),
    ("reports:monthly_list", _("Monthly returns"), (K, H, R, N), ""),
    ("workbook:import_upload", _("Import"), (K, A), "office"),
    ("bapas:staff_list", _("Staff"), (A,), "office"),
    ("bapas:access_log", _("Access log"), (K, H), "office"),
]
# Menus of the navigation bar: with two or more items a group is a dropdown, so the bar fits one line.
NAV_GROUPS = {"clients": _("Clients"), "partners": _("Partners"), "office": _("Office")}


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items, menus = [], []
    for name, label, roles, group in NAVIGATION:
        if user.role not in roles:
            continue
        url = reverse(name)
        active = request.path == url if name == "home" else request.path.startswith(url)
        item = {"name": name, "label": label, "url": url, "active": active}
        items.append(item)
        if group and menus and menus[-1]["group"] == group:
            menus[-1]["items"].append(item)
        else:
            menus.append({"group": group, "label": NAV_GROUPS.get(group, label), "items": [item]})
    for menu in menus:
        menu["active"] = any(item["active"] for item in menu["items"])
    return {"nav_items": items, "nav_menus": menus}

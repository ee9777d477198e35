from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bapas.access import LEAD_ROLES, OFFICE_ROLES
from bapas.models import Role
from bapas.staff_access import STAFF_ROLES
from clients.access import COMPLIANCE_ROLES, TPP_READ_ROLES, TRANSFER_LIST_ROLES
from pokmaslipas.access import READ_ROLES as PARTNER_ROLES
from reports.access import EVIDENCE_ROLES, MONTHLY_READ_ROLES, REPORT_ROLES
from trainings.access import READ_ROLES as TRAINING_ROLES
from workbook.access import WORKBOOK_ROLES

# (url name, label, roles that see it, menu it is grouped in or ""): the roles come from each app's
# access module.
NAVIGATION = [
    ("home", _("Home"), Role.values, ""),
    ("reports:dashboard_regional", _("Offices"), (Role.NATIONAL,), ""),
    ("clients:list", _("Clients"), OFFICE_ROLES, "clients"),
    ("clients:compliance", _("Compliance"), COMPLIANCE_ROLES, "clients"),
    ("clients:tpp_list", _("Warning ladder and TPP"), TPP_READ_ROLES, "clients"),
    ("clients:transfer_list", _("Transfers"), TRANSFER_LIST_ROLES, "clients"),
    ("pokmaslipas:partner_list", _("Partners"), PARTNER_ROLES, "partners"),
    ("pokmaslipas:agreement_list", _("Agreements (PKS)"), PARTNER_ROLES, "partners"),
    ("trainings:session_list", _("Trainings"), TRAINING_ROLES, ""),
    ("reports:index", _("Reports"), REPORT_ROLES, "reports"),
    ("reports:evidence", _("Findings (Temuan)"), EVIDENCE_ROLES, "reports"),
    ("reports:monthly_list", _("Monthly returns"), MONTHLY_READ_ROLES, "reports"),
    ("workbook:import_upload", _("Import"), WORKBOOK_ROLES, "office"),
    ("bapas:staff_list", _("Staff"), STAFF_ROLES, "office"),
    ("bapas:access_log", _("Access log"), LEAD_ROLES, "office"),
]
# Menus of the navigation bar: with two or more items a group is a dropdown, so the bar fits one line.
NAV_GROUPS = {"clients": _("Clients"), "partners": _("Partners"), "reports": _("Reports"), "office": _("Office")}


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

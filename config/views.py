"""The role home pages: "/" renders the home view of the app that owns the role's first page."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from bapas.models import Role
from pokmaslipas.views import admin_home
from reports.views import dashboard_kasubsi, dashboard_national, dashboard_office, dashboard_regional, worklist

HOME_VIEWS = {
    Role.PK: worklist,
    Role.KASUBSI: dashboard_kasubsi,
    Role.KASI: dashboard_office,
    Role.KABAPAS: dashboard_office,
    Role.ADMIN: admin_home,
    Role.REGIONAL: dashboard_regional,
    Role.NATIONAL: dashboard_national,
    Role.REGIONAL_ADMIN: admin_home,  # the regional or national partners and agreements they keep
    Role.NATIONAL_ADMIN: admin_home,
}


@require_GET
def home(request):
    view = HOME_VIEWS.get(request.user.role)
    if view is None:  # an account without a role (a superuser made with createsuperuser)
        return render(request, "bapas/home.html", {})
    return view(request)

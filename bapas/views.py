from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils.module_loading import import_string
from django.views.decorators.http import require_GET

from bapas.models import Role

# The home page of each role is a view of the app that owns it; "/" renders it directly.
HOME_VIEWS = {
    Role.PK: "clients.views.worklist",
    Role.KASUBSI: "reports.views.dashboard_kasubsi",
    Role.KASI: "reports.views.dashboard_office",
    Role.KABAPAS: "reports.views.dashboard_office",
    Role.ADMIN: "pokmaslipas.views.admin_home",
    Role.REGIONAL: "reports.views.dashboard_regional",
}


@require_GET
def home(request):
    try:
        view = import_string(HOME_VIEWS[request.user.role])
    except (ImportError, KeyError):
        return render(request, "bapas/home.html", {})
    return view(request)


@login_not_required
def healthz(request):
    from django.db import connection
    from django.http import JsonResponse

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


__all__ = ["healthz", "home", "messages"]

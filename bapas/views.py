import datetime as dt
import sys

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import DatabaseError, InterfaceError, OperationalError, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from bapas import otp, services
from bapas.access import access_log_visible_to, user_office_id
from bapas.audit import history_rows
from bapas.forms import AccessLogFilterForm, StaffCreateForm, StaffEditForm, StaffPasswordResetForm, TokenForm
from bapas.idempotency import SubmissionRejected, submit_once
from bapas.models import Role, User
from bapas.staff_access import ASSIGNABLE_ROLES, get_staff_for_user, staff_visible_to


@login_not_required
@require_safe
def healthz(request):
    """Load balancers and the benchmarks ask whether the app and its database answer (GET or HEAD)."""
    from django.db import connection
    from django.http import JsonResponse

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


# --- errors -----------------------------------------------------------------------------------

DATABASE_ERRORS = (OperationalError, InterfaceError)


@requires_csrf_token
def server_error(request, template_name="500.html"):
    """The error page, rendered without the database: it must work while the database is down.

    A lost database answers 503 with Retry-After so that clients and proxies know to try again.
    """
    exc = sys.exc_info()[1]
    outage = isinstance(exc, DATABASE_ERRORS) or (isinstance(exc, DatabaseError) and "connection" in str(exc).lower())
    try:
        body = loader.get_template(template_name).render()
    except Exception:  # a broken template must not hide the error page
        body = "<h1>Terjadi gangguan pada server</h1><p>Silakan coba lagi dalam beberapa saat.</p>"
    if outage:
        response = HttpResponse(body, status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponseServerError(body)


# --- staff management (Admin of the office) ---------------------------------------------------


@require_GET
def staff_list(request):
    staff = staff_visible_to(request.user)
    query = (request.GET.get("q") or "").strip()[:100]
    role = request.GET.get("role") or ""
    status = request.GET.get("status") or "active"
    if query:
        staff = staff.filter(
            Q(username__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(nip__icontains=query)
        )
    if role in Role.values:
        staff = staff.filter(role=role)
    if status == "active":
        staff = staff.filter(is_active=True)
    elif status == "inactive":
        staff = staff.filter(is_active=False)
    staff = staff.annotate(
        active_caseload=Count("caseload", filter=Q(caseload__status="AKTIF"), distinct=True),
        has_two_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
    ).order_by("-is_active", "role", "first_name", "username")
    page = Paginator(staff, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "bapas/staff_list.html",
        {
            "page": page,
            "query": query,
            "role": role,
            "status": status,
            "roles": [(value, label) for value, label in Role.choices if value in ASSIGNABLE_ROLES],
        },
    )


@require_http_methods(["GET", "POST"])
def staff_create(request):
    staff_visible_to(request.user)  # access: admins of an office only
    instance = User(office_id=user_office_id(request.user))
    form = StaffCreateForm(request.POST if request.method == "POST" else None, instance=instance)
    if request.method == "POST":
        try:
            with submit_once(request) as submission:
                if form.is_valid():
                    with transaction.atomic():  # the account and its audit row, or neither
                        staff = form.save()
                    submission.success_url = reverse("bapas:staff_edit", args=[staff.pk])
        except SubmissionRejected as rejected:
            if rejected.success_url:
                messages.info(request, rejected.message)
                return redirect(rejected.success_url)
            form.is_valid()  # add_error needs the cleaned data
            form.add_error(None, rejected.message)
        else:
            if submission.success_url:
                messages.success(
                    request,
                    _("Account %(username)s was created. Give the temporary password to the staff member in person.")
                    % {"username": staff.username},
                )
                return redirect("bapas:staff_list")
    return render(request, "bapas/staff_form.html", {"form": form, "creating": True})


@require_http_methods(["GET", "POST"])
def staff_edit(request, pk):
    staff = get_staff_for_user(request.user, pk, write=request.method == "POST")
    form = StaffEditForm(request.POST or None, instance=staff, actor=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
        messages.success(request, _("The changes to %(name)s were saved.") % {"name": staff})
        return redirect("bapas:staff_list")
    can_write = not (staff.is_superuser or staff.is_staff)
    return render(
        request,
        "bapas/staff_form.html",
        {
            "form": form,
            "staff": staff,
            "creating": False,
            "can_write": can_write,
            "active_caseload": staff.caseload.filter(status="AKTIF").count(),
            "has_two_factor": otp.confirmed_devices(staff).exists(),
            # Staff accounts are the admin's records: the admin sees their history (read-only).
            "history": history_rows(staff, limit=20),
        },
    )


@require_POST
def staff_deactivate(request, pk):
    staff = get_staff_for_user(request.user, pk, write=True)
    try:
        services.staff_deactivate(actor=request.user, staff=staff)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("bapas:staff_edit", pk=staff.pk)
    caseload = staff.caseload.filter(status="AKTIF").count()
    messages.success(request, _("%(name)s can no longer sign in.") % {"name": staff})
    if caseload:
        messages.warning(
            request,
            _("%(count)s active clients are still assigned to this PK. Ask the Kasi BKD to reassign them.")
            % {"count": caseload},
        )
    return redirect("bapas:staff_list")


@require_http_methods(["GET", "POST"])
def staff_password_reset(request, pk):
    staff = get_staff_for_user(request.user, pk, write=True)
    form = StaffPasswordResetForm(staff, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.staff_password_reset(
            actor=request.user,
            staff=staff,
            password=form.cleaned_data["password1"],
            remove_two_factor=form.cleaned_data["remove_two_factor"],
        )
        messages.success(
            request,
            _(
                "The password of %(name)s was reset and the account unlocked. Give the temporary password "
                "in person and ask them to change it after signing in."
            )
            % {"name": staff},
        )
        return redirect("bapas:staff_list")
    return render(request, "bapas/staff_password_reset.html", {"form": form, "staff": staff})


# --- access log (Kasi BKD and Kepala Bapas) ---------------------------------------------------


def _action_labels() -> dict:
    """Readable names of the actions other apps record with bapas.access.log_access."""
    return {
        "client_view": _("Opened client record"),
        "client_card": _("Client card"),
        "report_download": _("Downloaded report"),
        "generated_download": _("Downloaded generated file"),
        "attendance_sheet": _("Attendance sheet"),
        "workbook_export": _("Exported office workbook"),
        "list_export": _("Exported list"),
    }


def _object_names(entries, office_id) -> dict:
    """Names of the records in the log (one query per kind), limited to the viewer's office."""
    from django.apps import apps

    wanted: dict = {}
    for entry in entries:
        if entry.object_type and entry.object_id:
            wanted.setdefault(entry.object_type, set()).add(entry.object_id)
    names = {}
    for label, ids in wanted.items():
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        queryset = model._base_manager.filter(pk__in=[i for i in ids if i.isdigit()])
        if any(f.name == "office" for f in model._meta.get_fields()):
            queryset = queryset.filter(office_id=office_id)
        for obj in queryset:
            names[(label, str(obj.pk))] = str(obj)
    return names


@require_GET
def access_log(request):
    entries = access_log_visible_to(request.user)
    staff = User.objects.filter(office_id=request.user.office_id).order_by("first_name", "username")
    form = AccessLogFilterForm(request.GET or None, staff=staff)
    if form.is_valid():
        data = form.cleaned_data
        if data["user"]:
            entries = entries.filter(user=data["user"])
        zone = timezone.get_current_timezone()
        if data["date_from"]:
            entries = entries.filter(at__gte=dt.datetime.combine(data["date_from"], dt.time.min, tzinfo=zone))
        if data["date_to"]:
            entries = entries.filter(
                at__lt=dt.datetime.combine(data["date_to"] + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
            )
    page = Paginator(entries.order_by("-at", "-pk"), 50).get_page(request.GET.get("page"))
    names = _object_names(page.object_list, request.user.office_id)
    labels = _action_labels()
    rows = [
        {
            "entry": e,
            "action": labels.get(e.action, e.action),
            "object_name": names.get((e.object_type, e.object_id), ""),
        }
        for e in page.object_list
    ]
    return render(request, "bapas/access_log.html", {"page": page, "rows": rows, "form": form})


# --- own password ----------------------------------------------------------------------------

# Stored untranslated in the history; bapas.audit translates it when it shows it.
REASON_PASSWORD_CHANGED = gettext_noop("Password changed by the staff member")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change (old password, validators, session kept by update_session_auth_hash).

    It also clears ``must_change_password`` (set by an admin's reset or a new account), in the same
    save as the new password, with a reason in the staff member's history.
    """

    @transaction.atomic
    def form_valid(self, form):
        form.user.must_change_password = False
        form.user._change_reason = REASON_PASSWORD_CHANGED
        return super().form_valid(form)


# --- two-factor sign-in -----------------------------------------------------------------------


def _next_url(request, default="home"):
    """A local path to go on to, or the ``default`` page.

    Only paths: ``redirect()`` would read a bare word as a view name and fail on an unknown one.
    """
    candidate = request.POST.get("next") or request.GET.get("next")
    if (
        candidate
        and candidate.startswith("/")
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return candidate
    return reverse(default)


def _token_error(device, token) -> str | None:
    """None when ``token`` is the device's current code, else the message to show (wrong or throttled)."""
    allowed, detail = device.verify_is_allowed()
    if not allowed:
        locked_until = (detail or {}).get("locked_until")
        wait = max(1, int((locked_until - timezone.now()).total_seconds())) if locked_until else 60
        return _("Too many wrong codes. Wait %(seconds)s seconds and try again.") % {"seconds": wait}
    if device.verify_token(token):
        return None
    return _("The code is wrong or has expired. Check the time on your phone and try again.")


@require_http_methods(["GET", "POST"])
def otp_setup(request):
    user = request.user
    if otp.confirmed_devices(user).exists():
        # The middleware sends unverified users to otp_verify before this point.
        return render(
            request,
            "bapas/otp_setup.html",
            {
                "enabled": True,
                "required": otp.otp_required_for(user),
                "form": TokenForm(submit_label=_("Switch off two-factor sign-in")),
            },
        )
    device = get_object_or_404(TOTPDevice, user=user, confirmed=False) if request.method == "POST" else None
    device = device or otp.pending_device(user)
    form = TokenForm(request.POST or None, submit_label=_("Confirm"))
    if request.method == "POST" and form.is_valid():
        error = _token_error(device, form.cleaned_data["token"])
        if error is None:
            services.otp_device_confirm(user=user, device=device)
            otp_login(request, device)
            request.session[otp.HAS_DEVICE_KEY] = True
            messages.success(request, _("Two-factor sign-in is on. From now on you enter a code after your password."))
            return redirect(_next_url(request))
        form.add_error("token", error)
    return render(
        request,
        "bapas/otp_setup.html",
        {
            "enabled": False,
            "required": otp.otp_required_for(user),
            "form": form,
            "qr_svg": otp.qr_svg(device),
            "secret": otp.secret_for_display(device),
            "next": _next_url(request),
        },
    )


@require_http_methods(["GET", "POST"])
def otp_verify(request):
    user = request.user
    devices = list(otp.confirmed_devices(user))
    if not devices:
        request.session[otp.HAS_DEVICE_KEY] = False
        return redirect(_next_url(request))
    if user.is_verified():
        return redirect(_next_url(request))
    form = TokenForm(request.POST or None, submit_label=_("Verify"))
    if request.method == "POST" and form.is_valid():
        errors = [_token_error(device, form.cleaned_data["token"]) for device in devices]
        verified = [device for device, error in zip(devices, errors, strict=True) if error is None]
        if verified:
            otp_login(request, verified[0])
            return redirect(_next_url(request))
        form.add_error("token", errors[0])
    return render(request, "bapas/otp_verify.html", {"form": form, "next": _next_url(request)})


@require_POST
def otp_disable(request):
    user = request.user
    if not user.is_verified():
        return redirect("bapas:otp_verify")
    if otp.otp_required_for(user):
        messages.error(request, _("Two-factor sign-in is required for your role and cannot be switched off."))
        return redirect("bapas:otp_setup")
    form = TokenForm(request.POST)
    device = user.otp_device
    if form.is_valid() and device.verify_token(form.cleaned_data["token"]):
        services.otp_devices_remove(user=user)
        request.session.pop(DEVICE_ID_SESSION_KEY, None)
        request.session[otp.HAS_DEVICE_KEY] = False
        messages.success(request, _("Two-factor sign-in is off."))
    else:
        messages.error(request, _("The code is wrong or has expired. Two-factor sign-in stays on."))
    return redirect("bapas:otp_setup")

"""Training pages. The first line of every view asks trainings/access.py for the object."""

import datetime as dt
import mimetypes

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bapas.data_version import bump_offices
from bapas.formtools import apply_errors, filter_values
from bapas.navigation import safe_next
from clients.access import caseload_officer, display_name
from clients.models import Client
from pokmaslipas.access import get_partner_for_user
from trainings import access, selectors, services
from trainings.forms import (
    AttendanceForm,
    CancelForm,
    EnrolForm,
    FollowUpForm,
    PartnerTrainingTypesForm,
    SessionFilterForm,
    SessionForm,
    TrainingTypeForm,
    WithdrawForm,
)
from trainings.models import Attendance, Enrolment, FollowUp, TrainingSession


def _errors(request, exc: ValidationError, form=None):
    """Show a service's ValidationError on the form (field errors) or as messages."""
    if form is not None and hasattr(exc, "error_dict"):
        apply_errors(form, exc)
        return
    for message in exc.messages:
        messages.error(request, message)


def _warn(request, warnings):
    for warning in warnings:
        messages.warning(request, warning)


def _count_subquery(qs):
    return Coalesce(
        Subquery(qs.order_by().values("session").annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()),
        Value(0),
    )


# --- sessions ---------------------------------------------------------------------------------
@require_http_methods(["GET"])
def session_list(request):
    sessions = access.sessions_visible_to(request.user)
    years = sorted({d.year for d in sessions.dates("start_date", "year")}, reverse=True)
    filters = filter_values(SessionFilterForm(request.GET))
    sessions = selectors.filter_sessions(sessions, **filters)
    counted = selectors.counted_enrolments(Enrolment.objects.filter(session=OuterRef("pk")))
    sessions = sessions.select_related("training_type", "partner").annotate(
        enrolled=_count_subquery(counted),
        participant_count=_count_subquery(selectors.participants(Enrolment.objects.filter(session=OuterRef("pk")))),
    )
    page = Paginator(sessions.order_by("-start_date", "-id"), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "trainings/session_list.html",
        {
            "page": page,
            "years": years,
            "year": str(filters.get("year", "")),
            "status": filters.get("status", ""),
            "query": filters.get("q", ""),
            "statuses": TrainingSession.Status.choices,
            "can_write": access.can_write_sessions(request.user),
        },
    )


def _attendance_days(session):
    """Each day of the session with how many rows are saved and how many attended."""
    saved = {
        row["date"]: row
        for row in Attendance.objects.filter(enrolment__session=session)
        .values("date")
        .annotate(n=Count("pk"), attended=Count("pk", filter=Q(status__in=Attendance.ATTENDED)))
    }
    today = timezone.localdate()
    return [
        {
            "date": day,
            "saved": saved.get(day, {}).get("n", 0),
            "attended": saved.get(day, {}).get("attended", 0),
            "future": day > today,
        }
        for day in session.dates()
    ]


@require_http_methods(["GET"])
def session_detail(request, pk):
    session = access.get_session_for_user(request.user, pk)
    rows = list(selectors.roster(Enrolment.objects.filter(session=session)).order_by("client__name", "pk"))
    statuses = []
    for row in rows:
        row.session = session
        row.counted = row.status in Enrolment.COUNTED
        row.percent = services.attendance_percent(row.days_attended, session)
        row.eligible = services.is_certificate_eligible(row, row.days_attended)
        row.show_outcome = access.can_see_follow_up_of(request.user, row.client)
        row.latest_label = FollowUp.Status(row.latest_status).label if row.latest_status else ""
        row.can_follow_up = row.is_participant and access.can_record_follow_up_of(request.user, row.client)
        row.can_withdraw = row.counted and not row.certificate_number and access.can_write_enrolment(request.user, row)
        if row.counted and row.is_participant:
            statuses.append(row.latest_status)
    summary = selectors.summarise_statuses(statuses)
    return render(
        request,
        "trainings/session_detail.html",
        {
            "session": session,
            "rows": rows,
            "enrolled": sum(1 for row in rows if row.counted),
            "summary": summary,
            "days": _attendance_days(session),
            "agreement_valid": session.agreement.is_valid_between(session.start_date, session.end_date)
            if session.agreement
            else None,
            "can_write": access.can_write_sessions(request.user),
            "can_enrol": access.can_enrol(request.user) and session.status != TrainingSession.Status.CANCELLED,
            "can_attend": access.can_take_attendance(request.user),
            "eligible_without_number": sum(1 for row in rows if row.eligible and not row.certificate_number),
            "issued": sum(1 for row in rows if row.certificate_number and row.counted),
            "today": timezone.localdate(),
        },
    )


def _session_form_page(request, form, *, title, session=None, repeat_of=None):
    context = {"form": form, "title": title, "session": session, "repeat_of": repeat_of, "back": safe_next(request)}
    return render(request, "trainings/session_form.html", context)


@require_http_methods(["GET", "POST"])
def session_create(request):
    access.require_session_write(request.user)
    form = SessionForm(request.POST or None, office=request.user.office)
    if request.method == "POST" and form.is_valid():
        try:
            session, warnings = services.session_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc, form)
        else:
            messages.success(request, _("Training %(code)s planned.") % {"code": session.code})
            _warn(request, warnings)
            return redirect(safe_next(request) or reverse("trainings:session_detail", args=[session.pk]))
    return _session_form_page(request, form, title=_("Plan a training"))


@require_http_methods(["GET", "POST"])
def session_repeat(request, pk):
    """A new session pre-filled from an earlier one: the user only picks the dates."""
    original = access.get_session_for_user(request.user, pk, write=True)
    form = SessionForm(
        request.POST or None, office=request.user.office, initial=services.session_repeat_initial(original)
    )
    if request.method == "POST" and form.is_valid():
        try:
            session, warnings = services.session_create(user=request.user, repeat_of=original, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc, form)
        else:
            messages.success(request, _("Training %(code)s planned.") % {"code": session.code})
            _warn(request, warnings)
            return redirect("trainings:session_detail", pk=session.pk)
    return _session_form_page(request, form, title=_("Repeat a training"), repeat_of=original)


@require_http_methods(["GET", "POST"])
def session_edit(request, pk):
    session = access.get_session_for_user(request.user, pk, write=True)
    form = SessionForm(request.POST or None, instance=session, office=session.office)
    if request.method == "POST" and form.is_valid():
        try:
            warnings = services.session_update(session=session, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc, form)
        else:
            messages.success(request, _("Training saved."))
            _warn(request, warnings)
            return redirect("trainings:session_detail", pk=session.pk)
    return _session_form_page(request, form, title=_("Edit training"), session=session)


@require_http_methods(["GET", "POST"])
def session_cancel(request, pk):
    session = access.get_session_for_user(request.user, pk, write=True)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_cancel(session=session, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _errors(request, exc, form)
        else:
            messages.success(request, _("The training was cancelled."))
            return redirect("trainings:session_detail", pk=session.pk)
    return render(request, "trainings/session_cancel.html", {"session": session, "form": form})


@require_http_methods(["POST"])
def session_mark_held(request, pk):
    session = access.get_session_for_user(request.user, pk, write=True)
    try:
        services.session_mark_held(session=session, user=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The training is marked as held."))
    return redirect("trainings:session_detail", pk=session.pk)


# --- enrolment --------------------------------------------------------------------------------
def _enrollable_clients(user, session):
    clients = access.enrollable_clients(user, session).filter(status=Client.Status.ACTIVE)
    return clients.exclude(enrolments__session=session, enrolments__status__in=Enrolment.COUNTED).order_by("name")


@require_http_methods(["GET", "POST"])
def enrol(request, pk):
    session = access.get_session_for_user(request.user, pk, write=True, action="enrol")
    if request.method == "GET":
        form = EnrolForm(clients=_enrollable_clients(request.user, session), user=request.user)
        return render(request, "trainings/enrol_form.html", {"session": session, "form": form})
    # Any client of the office is accepted by the form so that a client of another PK, or one who is
    # no longer active, gets the service's clear refusal; clients of other offices are invalid choices.
    form = EnrolForm(request.POST, clients=Client.objects.filter(office_id=session.office_id), user=request.user)
    if form.is_valid():
        enrolled = refused = 0
        for client in form.cleaned_data["clients"]:
            try:
                _enrolment, warnings = services.enrolment_create(
                    session=session,
                    client=client,
                    user=request.user,
                    motivation=form.cleaned_data["motivation"],
                    status=form.cleaned_data["status"],
                )
            except ValidationError as exc:
                refused += 1
                _errors(request, exc)
            else:
                enrolled += 1
                _warn(request, warnings)
        if enrolled:
            messages.success(request, _("%(count)s client(s) enrolled.") % {"count": enrolled})
        if not refused:
            return redirect("trainings:session_detail", pk=session.pk)
        form = EnrolForm(clients=_enrollable_clients(request.user, session), user=request.user)
    else:
        form.fields["clients"].queryset = _enrollable_clients(request.user, session)
    return render(request, "trainings/enrol_form.html", {"session": session, "form": form})


@require_http_methods(["GET"])
def suggestions(request, pk):
    session = access.get_session_for_user(request.user, pk, write=True, action="enrol")
    rows = selectors.suggested_clients(session, officer=caseload_officer(request.user))
    return render(request, "trainings/suggestions_list.html", {"session": session, "rows": rows})


@require_http_methods(["GET", "POST"])
def enrolment_withdraw(request, pk):
    enrolment = access.get_enrolment_for_user(request.user, pk, write=True)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.enrolment_withdraw(
                enrolment=enrolment,
                user=request.user,
                reason=form.cleaned_data["reason"],
                status=form.cleaned_data["status"],
            )
        except ValidationError as exc:
            _errors(request, exc, form)
        else:
            messages.success(
                request, _("%(name)s was withdrawn.") % {"name": display_name(request.user, enrolment.client)}
            )
            return redirect("trainings:session_detail", pk=enrolment.session_id)
    return render(request, "trainings/enrolment_withdraw.html", {"enrolment": enrolment, "form": form})


# --- attendance -------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def attendance(request, pk, date):
    session = access.get_session_for_user(request.user, pk, write=request.method == "POST", action="attendance")
    try:
        day = dt.date.fromisoformat(date)
    except ValueError:
        raise Http404 from None
    try:
        services.check_attendance_date(session, day)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("trainings:session_detail", pk=session.pk)
    enrolments = list(
        selectors.counted_enrolments(Enrolment.objects.filter(session=session))
        .select_related("client", "client__officer")
        .order_by("client__name", "pk")
    )
    existing = {a.enrolment_id: a for a in Attendance.objects.filter(enrolment__session=session, date=day)}
    saved = bool(existing)
    may_save = access.can_take_attendance(request.user) and (not saved or access.can_correct_attendance(request.user))
    if request.method == "POST" and not may_save:
        raise PermissionDenied
    form = AttendanceForm(
        request.POST or None,
        enrolments=enrolments,
        existing=existing,
        default_transport=session.transport_per_day or 0,
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = services.attendance_record(
                session=session,
                date=day,
                rows=form.row_data(),
                user=request.user,
                counts_as_report=form.cleaned_data["counts_as_report"],
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            if saved:
                messages.success(request, _("Attendance corrected: %(n)s change(s).") % {"n": result["changed"]})
            else:
                messages.success(request, _("Attendance saved for %(n)s participant(s).") % {"n": result["created"]})
            return redirect("trainings:session_detail", pk=session.pk)
    return render(
        request,
        "trainings/attendance_form.html",
        {
            "session": session,
            "day": day,
            "form": form,
            "saved": saved,
            "may_save": may_save,
            "days": session.dates(),
        },
    )


# --- certificates -----------------------------------------------------------------------------
@require_http_methods(["POST"])
def certificates_issue(request, pk):
    session = access.get_session_for_user(request.user, pk, write=True)
    try:
        issued = services.certificates_issue_all(session=session, user=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        if issued:
            messages.success(request, _("%(n)s certificate(s) issued.") % {"n": len(issued)})
        else:
            messages.info(request, _("No participant is waiting for a certificate."))
    return redirect("trainings:session_detail", pk=session.pk)


@require_http_methods(["POST"])
def certificate_issue(request, pk):
    enrolment = access.get_enrolment_for_user(request.user, pk, write=True, action="certificate")
    try:
        number = services.certificate_issue(enrolment=enrolment, user=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Certificate %(number)s issued.") % {"number": number})
    return redirect("trainings:session_detail", pk=enrolment.session_id)


# --- follow-ups -------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def followup_create(request, pk):
    enrolment = access.get_enrolment_for_follow_up(request.user, pk, write=True)
    form = FollowUpForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.follow_up_record(
                enrolment=enrolment,
                user=request.user,
                date=data["date"],
                status=data["status"],
                income=data["income"],
                reason=data["reason"],
                notes=data["notes"],
                photo=data["photo"] or None,
            )
        except ValidationError as exc:
            _errors(request, exc, form)
        else:
            messages.success(request, _("Follow-up saved."))
            return redirect(_safe_next(request) or reverse("trainings:session_detail", args=[enrolment.session_id]))
    history = enrolment.follow_ups.all()
    return render(
        request,
        "trainings/followup_form.html",
        {"enrolment": enrolment, "form": form, "history": history, "next": _safe_next(request)},
    )


# Served inline only when the content is one of these images (judged by Pillow, never by file name).
INLINE_IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}


def image_type(handle) -> str | None:
    """The image type found in the file's content, or None for anything that is not such an image."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(handle) as image:
            found = INLINE_IMAGE_FORMATS.get(image.format or "")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        found = None
    handle.seek(0)
    return found


def _safe_next(request):
    return safe_next(request)


@require_http_methods(["GET"])
def followup_photo(request, pk):
    follow_up = access.get_follow_up_for_user(request.user, pk)
    if not follow_up.photo:
        raise Http404
    try:
        handle = follow_up.photo.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = image_type(handle)
    inline = content_type is not None
    response = FileResponse(
        handle,
        content_type=content_type or "application/octet-stream",
        as_attachment=not inline,
        filename=f"tindak-lanjut-{follow_up.pk}{(mimetypes.guess_extension(content_type) or '') if inline else ''}",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- training types ---------------------------------------------------------------------------
@require_http_methods(["GET"])
def type_list(request):
    types = access.training_types_visible_to(request.user).annotate(
        session_count=Count("sessions", distinct=True), partner_count=Count("partners", distinct=True)
    )
    return render(
        request,
        "trainings/type_list.html",
        {"types": types.order_by("name"), "can_write": access.can_write_sessions(request.user)},
    )


@require_http_methods(["GET", "POST"])
def type_create(request):
    access.require_session_write(request.user)
    form = TrainingTypeForm(request.POST or None, office=request.user.office)
    if request.method == "POST" and form.is_valid():
        training_type = form.save(commit=False)
        training_type.office = request.user.office
        with transaction.atomic():
            training_type.save()
            bump_offices([training_type.office_id])
        messages.success(request, _("Training type %(name)s added.") % {"name": training_type.name})
        return redirect("trainings:type_list")
    return render(request, "trainings/type_form.html", {"form": form})


# --- the training types a partner can deliver (shown and edited on the partner page) -------------


@require_http_methods(["GET", "POST"])
def partner_training_types(request, pk):
    partner = get_partner_for_user(request.user, pk, write=True)
    if partner.office_id is None:  # training types are an office's; a regional or national partner has none
        raise Http404
    form = PartnerTrainingTypesForm(request.POST or None, partner=partner)
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_training_types_set(
                partner=partner, training_types=list(form.cleaned_data["training_types"]), user=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Training types of %(name)s saved.") % {"name": partner.name})
            return redirect("pokmaslipas:partner_detail", pk=partner.pk)
    return render(request, "trainings/partner_types_form.html", {"form": form, "partner": partner})

"""The one definition of the counts in CONTRACTS.md section 3, as query pieces every app reuses.

- An enrolment counts unless withdrawn or cancelled.
- A participant is a counted enrolment with at least one day HADIR or TERLAMBAT.
- The latest follow-up (by date, then id) decides the outcome; implemented means USAHA_SAMPINGAN,
  BEKERJA_DI_BIDANG or USAHA_SENDIRI. Follow-ups of non-participants are ignored.
"""

from datetime import date

from django.db.models import Exists, OuterRef, QuerySet, Subquery

from trainings.models import Attendance, Enrolment, FollowUp, TrainingSession


def attended_days_exist():
    return Exists(Attendance.objects.filter(enrolment=OuterRef("pk"), status__in=Attendance.ATTENDED))


def latest_follow_up_status():
    return Subquery(FollowUp.objects.filter(enrolment=OuterRef("pk")).order_by("-date", "-id").values("status")[:1])


def counted_enrolments(qs: QuerySet | None = None) -> QuerySet:
    qs = Enrolment.objects.all() if qs is None else qs
    return qs.filter(status__in=Enrolment.COUNTED)


def participants(qs: QuerySet | None = None) -> QuerySet:
    """Counted enrolments with at least one day present or late, annotated with the latest outcome."""
    return (
        counted_enrolments(qs)
        .annotate(is_participant=attended_days_exist())
        .filter(is_participant=True)
        .annotate(latest_status=latest_follow_up_status())
    )


def is_implemented(status: str | None) -> bool:
    return status in FollowUp.IMPLEMENTED


def sessions_in_period(qs: QuerySet | None, date_from: date, date_to: date) -> QuerySet:
    qs = TrainingSession.objects.all() if qs is None else qs
    return qs.filter(start_date__gte=date_from, start_date__lte=date_to)

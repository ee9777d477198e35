"""The SidangTPP sheet (an extension beyond the contract): TPP sessions and their minutes, one row per case.

Applied after Peringatan. Key: the date and the client (a client is not heard twice on one day); the
rows of one date and place are one session. A session is planned while no row has a recommendation
and held when every row has one. The rules are the pages' (``clients.supervision.tpp_schedule_errors``
and ``tpp_minutes_errors``). An import creates sessions (planned, or held with their minutes) and
records the minutes of a planned session already in the application; it never changes a schedule
(members, cases) nor the minutes of a held session, as the pages do not.
"""

from collections import defaultdict

from django.utils.translation import gettext as _

from bapas.models import User
from clients.models import TPPCase, TPPSession
from clients.supervision import tpp_minutes_errors, tpp_schedule_errors
from workbook import exporter
from workbook.reader import SheetData

SESSION_COLUMNS = ("anggota", "hadir", "catatan_sidang")  # the same on every row of a session
MINUTES_COLUMNS = ("hadir", "temuan", "catatan", "catatan_sidang")  # filled in with the minutes
CASE_COLUMNS = ("temuan", "rekomendasi", "catatan")


def _names(text: str) -> list[str]:
    return [name.strip() for name in (text or "").split(",") if name.strip()]


def _text(row, column: str) -> str:
    return (row.values.get(column) or "").strip()


class TPPSheets:
    def _sidang_tpp(self, sheet: SheetData, result) -> None:
        name = sheet.spec.name
        groups: dict[tuple, list] = defaultdict(list)  # (date, place) -> [(row, client)]
        seen: dict = {}
        for row in self._parse(sheet):
            self._tick()
            key = (row.values.get("tanggal"), row.values.get("no_register"))
            if row.ok and self._duplicate(seen, name, row, key, "no_register"):
                row.ok = False
            _session, client = self._session_and_client(name, row)
            if row.ok:
                groups[(key[0], _text(row, "tempat"))].append((row, client))
        if not groups:
            return
        sessions = TPPSession.objects.filter(office=self.office, date__in={day for day, _place in groups})
        existing: dict[tuple, list] = defaultdict(list)
        heard: dict[tuple, TPPSession] = {}  # (date, client id) -> its session in the application
        for session in sessions.prefetch_related("members", "attendees", "cases"):
            existing[(session.date, session.place)].append(session)
            for case in session.cases.all():
                heard[(session.date, case.client_id)] = session
        wanted = {n for group in groups.values() for row, _c in group for c in ("anggota", "hadir")
                  for n in _names(row.values.get(c))}  # fmt: skip
        self.tpp_users = {u.username: u for u in User.objects.filter(username__in=wanted)}
        for (day, place), group in groups.items():
            if not self._tpp_group_ok(name, group, day, place, heard):
                continue
            found = existing.get((day, place), [])
            if len(found) > 1:
                self.error(name, group[0][0].number, "tempat", _(
                    "%(count)d TPP sessions in the application share this date and place; the workbook cannot "
                    "tell them apart."
                ) % {"count": len(found)})  # fmt: skip
            elif found:
                self._tpp_existing(name, group, found[0], result)
            else:
                self._tpp_new(name, group, day, place, result)

    def _tpp_group_ok(self, name: str, group: list, day, place: str, heard: dict) -> bool:
        """The rows of one session agree, are all planned or all held, and name known users."""
        ok = True
        first = group[0][0]
        for row, client in group:
            other = heard.get((day, client.pk))
            if other is not None and other.place != place:
                self.error(name, row.number, "no_register", _(
                    "the client's case is heard on that day in the TPP session at “%(place)s”; a client is not "
                    "heard twice on one day."
                ) % {"place": other.place})  # fmt: skip
                ok = False
            for column in SESSION_COLUMNS:
                if _text(row, column) != _text(first, column):
                    self.error(name, row.number, column, _(
                        "differs from row %(row)d of the same session (same date and place): every row of a "
                        "session gives the same value."
                    ) % {"row": first.number})  # fmt: skip
                    ok = False
        with_code = [row.number for row, _c in group if row.values.get("rekomendasi")]
        without = [row.number for row, _c in group if not row.values.get("rekomendasi")]
        if with_code and without:
            self.error(name, without[0], "rekomendasi", _(
                "rows %(with)s of this session have a recommendation and rows %(without)s do not: a planned session "
                "has none, a held one has one on every row."
            ) % {"with": ", ".join(map(str, with_code)), "without": ", ".join(map(str, without))})  # fmt: skip
            return False
        if not with_code:
            for row, _c in group:
                for column in MINUTES_COLUMNS:
                    if _text(row, column):
                        self.error(name, row.number, column, _(
                            "is recorded with the minutes: give the recommendation on every row of the session, or "
                            "leave this empty while the session is planned."
                        ))  # fmt: skip
                        ok = False
        for column in ("anggota", "hadir"):
            for username in _names(first.values.get(column)):
                if username not in self.tpp_users:
                    self.error(name, first.number, column, _("no user “%(username)s”.") % {"username": username})
                    ok = False
        return ok

    def _tpp_people(self, row, column: str) -> list:
        return [self.tpp_users[username] for username in _names(row.values.get(column))]

    def _tpp_minutes_ok(self, name: str, group: list, day, member_ids: set) -> bool:
        first = group[0][0]
        errors = tpp_minutes_errors(
            office=self.office,
            date=day,
            attendees=self._tpp_people(first, "hadir"),
            member_ids=member_ids,
            cases=[(row.number, client, {"findings": _text(row, "temuan"), "recommendation": row.values["rekomendasi"]})
                   for row, client in group],
        )  # fmt: skip
        for key, message in errors.items():
            field_name, _sep, number = key.partition("_")
            column = {"date": "tanggal", "attendees": "hadir", "recommendation": "rekomendasi", "findings": "temuan"}
            self.error(name, int(number) if number else first.number, column[field_name], message)
        return not errors

    def _tpp_new(self, name: str, group: list, day, place: str, result) -> None:
        first = group[0][0]
        members = self._tpp_people(first, "anggota")
        errors = tpp_schedule_errors(office=self.office, date=day, members=members, clients=[c for _r, c in group])
        for key, message in errors.items():
            self.error(name, first.number, {"members": "anggota", "clients": "no_register", "date": "tanggal"}[key],
                       message)  # fmt: skip
        held = bool(first.values.get("rekomendasi"))
        if errors or (held and not self._tpp_minutes_ok(name, group, day, {m.pk for m in members})):
            return
        session = TPPSession(office=self.office, date=day, place=place, scheduled_by=self.user)
        cases = [TPPCase(session=session, client=client) for _row, client in group]
        if held:
            self._tpp_fill_minutes(session, group, cases)
        if not self._field_errors(name, first.number, session, {"place": "tempat", "notes": "catatan_sidang"},
                                  ["office", "scheduled_by", "minutes_by"]):  # fmt: skip
            return
        self._mark(session)
        session.save()
        session.members.set(members)
        if held:
            session.attendees.set(self._tpp_people(first, "hadir"))
        for case in cases:
            case.session = session
        self._bulk_create(TPPCase, cases)
        result.created += len(group)

    def _tpp_fill_minutes(self, session: TPPSession, group: list, cases: list) -> None:
        session.state = TPPSession.State.HELD
        session.notes = _text(group[0][0], "catatan_sidang")
        session.minutes_by = self.user
        for (row, _client), case in zip(group, cases, strict=True):
            case.findings = _text(row, "temuan")
            case.recommendation = row.values["rekomendasi"]
            case.note = _text(row, "catatan")

    def _tpp_existing(self, name: str, group: list, session: TPPSession, result) -> None:
        """Unchanged, or the minutes of a planned session; a schedule or held minutes are never changed."""
        first = group[0][0]
        cases = {case.client_id: case for case in session.cases.all()}
        ok = True
        if {m.pk for m in self._tpp_people(first, "anggota")} != {m.pk for m in session.members.all()}:
            self.error(name, first.number, "anggota", _(
                "differs from the members of the TPP session of that day in the application; an import does not "
                "change a session's schedule."
            ))  # fmt: skip
            ok = False
        for row, client in group:
            if client.pk not in cases:
                self.error(name, row.number, "no_register", _(
                    "is not a case of the TPP session of that day in the application; an import does not add cases "
                    "to a session."
                ))  # fmt: skip
                ok = False
        listed = {client.pk for _row, client in group}
        missing = sorted(c.client.register_number for c in cases.values() if c.client_id not in listed)
        if missing:
            self.error(name, first.number, "no_register", _(
                "the TPP session of that day also hears %(registers)s: give a row for every case of the session."
            ) % {"registers": ", ".join(missing)})  # fmt: skip
            ok = False
        if not ok:
            return
        if session.state == TPPSession.State.HELD:
            self._tpp_held_unchanged(name, group, session, result)
        elif not first.values.get("rekomendasi"):
            result.unchanged += len(group)
        elif self._tpp_minutes_ok(name, group, session.date, {m.pk for m in session.members.all()}):
            self._tpp_record_minutes(group, session, [cases[client.pk] for _row, client in group], result)

    def _tpp_held_unchanged(self, name: str, group: list, session: TPPSession, result) -> None:
        for row, client in group:
            case = next(c for c in session.cases.all() if c.client_id == client.pk)
            current = exporter.tpp_case_values(case, session, row.values["no_register"])
            for column in ("anggota", "hadir", *CASE_COLUMNS, "catatan_sidang"):
                if column in ("anggota", "hadir"):
                    differs = set(_names(row.values.get(column))) != set(_names(current[column]))
                else:
                    differs = _text(row, column) != current[column]
                if differs:
                    self.error(name, row.number, column, _(
                        "differs from the minutes of the held TPP session of that day; an import does not change "
                        "the minutes of a held session."
                    ))  # fmt: skip
                    break
            else:
                result.unchanged += 1

    def _tpp_record_minutes(self, group: list, session: TPPSession, cases: list, result) -> None:
        self._tpp_fill_minutes(session, group, cases)
        self._mark(session)
        session.save()
        session.attendees.set(self._tpp_people(group[0][0], "hadir"))
        self._bulk_update(TPPCase, cases, {"findings", "recommendation", "note"})
        for (row, _client), case in zip(group, cases, strict=True):
            result.updated += 1
            result.add_change(row.number, (session.date, row.values["no_register"]), [
                ("rekomendasi", "", case.recommendation), ("temuan", "", case.findings)
            ])  # fmt: skip

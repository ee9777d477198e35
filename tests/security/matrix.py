"""The expected access matrix as data, keyed by URL name and method.

Users: the PK who owns the client (pk_owner_a), another PK of office A (pk_other_a), the
Kasubsi, Kasi, Kepala Bapas and Admin of office A, the same roles of office B, the regional
viewer of office A's region (regional), the regional viewer of office B's region (regional_b), the
national viewer (national) and anonymous. Unless an entry says otherwise the three viewers get the
same outcome: pages without an office show each viewer its own scope. URLs are resolved with objects of office A (tests/security/
test_permission_matrix.py builds them).

Outcomes: OK (200, or a 302 to a page other than sign-in: an allowed POST that redirects, or a
200/400 with form errors: access passed, the empty body did not), LOGIN (302 to sign-in), 403, 404, or an exact status (400).

A new URL name must get an entry here, or the matrix test fails naming it.
"""

OK = "ok"
LOGIN = "login"
FORBIDDEN = 403
NOT_FOUND = 404

A_USERS = ("pk_owner_a", "pk_other_a", "kasubsi_a", "kasi_a", "kabapas_a", "admin_a")
B_USERS = ("pk_b", "kasubsi_b", "kasi_b", "kabapas_b", "admin_b")
VIEWERS = ("regional", "regional_b", "national")
# the Admin Kanwil of office A's region and the Admin Ditjenpas: regional and national partners and
# agreements only, no office's records (404) and no client data
SCOPE_ADMINS = ("regional_admin", "national_admin")
USERS = (*A_USERS, *B_USERS, *VIEWERS, *SCOPE_ADMINS, "anonymous")
# office B's counterpart of each office-A user, for pages without an object (their own office)
B_OF = {
    "pk_owner_a": "pk_b",
    "kasubsi_a": "kasubsi_b",
    "kasi_a": "kasi_b",
    "kabapas_a": "kabapas_b",
    "admin_a": "admin_b",
}


def obj(owner, other_pk, kasubsi, kasi, kabapas, admin, regional=NOT_FOUND, scope_admin=None):
    """A record of office A: office B sees nothing (404), anonymous goes to sign-in. The Admin Kanwil and
    Admin Ditjenpas (``scope_admin``) are refused like the viewers when the role decides (403), and find
    no office's record otherwise (404)."""
    if scope_admin is None:
        scope_admin = FORBIDDEN if regional == FORBIDDEN else NOT_FOUND
    row = dict(zip(A_USERS, (owner, other_pk, kasubsi, kasi, kabapas, admin), strict=True))
    row.update(dict.fromkeys(B_USERS, NOT_FOUND))
    row.update(dict.fromkeys(VIEWERS, regional), anonymous=LOGIN)
    row.update(dict.fromkeys(SCOPE_ADMINS, scope_admin))
    return row


def page(pk, kasubsi, kasi, kabapas, admin, regional=NOT_FOUND, national=None, scope_admin=None):
    """A page without an object: each office's staff see their own office, so B mirrors A; each
    regional viewer its own region (``national``: the national viewer when it differs). The Admin
    Kanwil and Admin Ditjenpas (``scope_admin``) find no office (404) where the viewers do not, and are
    refused by role (403) where the viewers pass or are refused by role."""
    if scope_admin is None:
        scope_admin = NOT_FOUND if regional == NOT_FOUND else FORBIDDEN
    row = dict(zip(A_USERS, (pk, pk, kasubsi, kasi, kabapas, admin), strict=True))
    row.update({B_OF[a]: row[a] for a in B_OF})
    row.update(dict.fromkeys(VIEWERS, regional), anonymous=LOGIN)
    row.update(dict.fromkeys(SCOPE_ADMINS, scope_admin))
    if national is not None:
        row["national"] = national
    return row


def everyone(outcome, anonymous=LOGIN):
    """Every signed-in user gets ``outcome``."""
    row = dict.fromkeys(USERS, outcome)
    row["anonymous"] = anonymous
    return row


def public(outcome=OK):
    return dict.fromkeys(USERS, outcome)


N, F = NOT_FOUND, FORBIDDEN


def above(a, b, regional_admin, national_admin):
    """A regional or national record: office A's and office B's staff (``a``, ``b``), the two scope
    admins; the viewers get 404, anonymous goes to sign-in."""
    row = {**dict.fromkeys(A_USERS, a), **dict.fromkeys(B_USERS, b), **dict.fromkeys(VIEWERS, N)}
    return {**row, "regional_admin": regional_admin, "national_admin": national_admin, "anonymous": LOGIN}


# the national record: every office reads it, the Admin Kanwil reads it, the Admin Ditjenpas writes it
NATIONAL_READ, NATIONAL_WRITE = above(OK, OK, OK, OK), above(F, F, F, OK)
# Kanwil Banten's record (office A's region): office A reads it, its Admin Kanwil writes it
REGIONAL_READ, REGIONAL_WRITE = above(OK, N, OK, N), above(F, N, OK, N)
# Kanwil Kalimantan Timur's record (office B's region): 404 for office A and for the Admin Kanwil Banten
OTHER_REGION_READ, OTHER_REGION_WRITE = above(N, OK, N, N), above(N, F, N, N)


def above_variants(kind: str, method_entry) -> list:
    """The national, regional and other region's partner or agreement, each with its expected outcomes."""
    return [
        ({"pk": f"national_{kind}"}, method_entry(NATIONAL_READ, NATIONAL_WRITE)),
        ({"pk": f"regional_{kind}"}, method_entry(REGIONAL_READ, REGIONAL_WRITE)),
        ({"pk": f"other_region_{kind}"}, method_entry(OTHER_REGION_READ, OTHER_REGION_WRITE)),
    ]


def _reads(read, _write):
    return {"GET": read}


def _writes(_read, write):
    return {"GET": write, "POST": write}


def _posts(_read, write):
    return {"POST": write}


def _office_only_writes(_read, write):
    """A page about an office's own data (a partner's training types): the scope admin who may change
    the record finds nothing of the kind there (404); the others as for any change."""
    row = {who: (N if outcome == OK else outcome) for who, outcome in write.items()}
    return {"GET": row, "POST": row}


OFFICE_READ = page(OK, OK, OK, OK, OK)
STAFF_OBJECT = {**obj(F, F, F, F, F, OK, regional=F), **dict.fromkeys(B_USERS, F), "admin_b": N}
LEADS_ONLY = page(F, OK, OK, OK, F)
SCOPED_READ, SCOPED_WRITE = page(OK, OK, OK, OK, OK, scope_admin=OK), page(F, F, F, F, OK, scope_admin=OK)

EXPECTED = {
    # --- foundation, sign-in, staff, two-factor -------------------------------------------------
    # staff management is for the office Admin: every other role is refused by role (403) before
    # any office check, so non-admins of office B get 403 too; admin_b gets 404 for A's staff.
    "home": {"GET": everyone(OK)},
    "healthz": {"GET": public()},
    "login": {"GET": public(), "POST": public()},
    "logout": {"POST": everyone(LOGIN)},  # LOGOUT_REDIRECT_URL is the sign-in page
    "password_change": {"GET": everyone(OK), "POST": everyone(OK)},
    "password_change_done": {"GET": everyone(OK)},
    "bapas:staff_list": {"GET": page(F, F, F, F, OK, regional=F)},
    "bapas:staff_create": {"GET": page(F, F, F, F, OK, regional=F), "POST": page(F, F, F, F, OK, regional=F)},
    "bapas:staff_edit": {"GET": STAFF_OBJECT, "POST": STAFF_OBJECT},
    "bapas:staff_deactivate": {"POST": STAFF_OBJECT},
    "bapas:staff_password_reset": {"GET": STAFF_OBJECT, "POST": STAFF_OBJECT},
    "bapas:access_log": {"GET": page(F, F, OK, OK, F, regional=F)},  # Kasi and Kepala Bapas
    # POST confirms a set-up in progress; none was started here, so there is nothing to confirm (404)
    "bapas:otp_setup": {"GET": everyone(OK), "POST": everyone(N)},
    "bapas:otp_verify": {"GET": everyone(OK), "POST": everyone(OK)},
    "bapas:otp_disable": {"POST": everyone(OK)},
    # --- clients: PK own caseload read/write; Kasubsi basic read; Kasi read + reassign; Kepala read;
    #     Admin registers, edits identity and assigns the PK; regional nothing ----------------------
    "clients:list": {"GET": OFFICE_READ},
    "worklist": {"GET": OFFICE_READ},
    "clients:compliance": {"GET": page(F, F, OK, OK, F, regional=F)},  # wajib lapor: Kasi, Kepala Bapas
    # a PK registers new clients of its caseload as the Admin does (clients/access.py CREATE_ROLES)
    "clients:create": {"GET": page(OK, F, F, F, OK, regional=F), "POST": page(OK, F, F, F, OK, regional=F)},
    "clients:detail": {"GET": obj(OK, N, OK, OK, OK, OK)},
    "clients:edit": {"GET": obj(OK, N, F, F, F, OK), "POST": obj(OK, N, F, F, F, OK)},
    "clients:visit_create": {"GET": obj(OK, N, F, F, F, F), "POST": obj(OK, N, F, F, F, F)},
    "clients:excuse_create": {"GET": obj(OK, N, F, F, F, F), "POST": obj(OK, N, F, F, F, F)},
    # the evidence of an izin (a doctor's letter is health data): own PK, Kasi, Kepala Bapas
    "clients:excuse_evidence": {"GET": obj(OK, N, F, OK, OK, F)},
    # withdrawing an izin recorded by mistake: whoever records them (the client's PK)
    "clients:excuse_withdraw": {"GET": obj(OK, N, F, F, F, F), "POST": obj(OK, N, F, F, F, F)},
    # the ladder overview and the TPP: Kasi schedules and records minutes, Kepala Bapas reads
    "clients:tpp_list": {"GET": page(F, F, OK, OK, F, regional=F)},
    "clients:tpp_create": {"GET": page(F, F, OK, F, F, regional=F), "POST": page(F, F, OK, F, F, regional=F)},
    "clients:tpp_detail": {"GET": obj(F, F, F, OK, OK, F)},
    "clients:tpp_minutes": {"GET": obj(F, F, F, OK, F, F), "POST": obj(F, F, F, OK, F, F)},
    # suspension: the Kepala Bapas; the Kanwil's decision: the Admin
    "clients:suspend": {"GET": obj(F, N, F, F, OK, F), "POST": obj(F, N, F, F, OK, F)},
    "clients:revocation_decide": {"GET": obj(F, F, F, F, F, OK), "POST": obj(F, F, F, F, F, OK)},
    "reports:tpp_minutes_pdf": {"GET": obj(F, F, F, OK, OK, F)},
    "reports:revocation_proposal": {"GET": obj(F, F, F, OK, OK, OK)},
    "clients:warning_create": {"GET": obj(OK, N, F, F, F, F), "POST": obj(OK, N, F, F, F, F)},
    "clients:status_change": {"GET": obj(OK, N, F, F, F, F), "POST": obj(OK, N, F, F, F, F)},
    "clients:reassign": {"GET": obj(F, N, F, OK, F, OK), "POST": obj(F, N, F, OK, F, OK)},
    "clients:archive": {"POST": obj(OK, N, F, F, F, OK)},  # an "edit" of the client: own PK or Admin
    # transfers: the client's PK, the Kasi and the Admin propose and withdraw; the receiving office's
    # Kasi and Admin decide (the matrix's transfer to decide comes from office B into office A)
    "clients:transfer_create": {"GET": obj(OK, N, F, OK, F, OK), "POST": obj(OK, N, F, OK, F, OK)},
    "clients:transfer_list": {"GET": page(F, F, OK, OK, OK, regional=F)},
    "clients:transfer_decide": {"GET": obj(F, F, F, OK, F, OK), "POST": obj(F, F, F, OK, F, OK)},
    "clients:transfer_cancel": {"POST": obj(OK, N, F, OK, F, OK)},
    # --- pokmaslipas: every office role reads, the Admin writes ----------------------------------
    # ... and the Admin Kanwil and Admin Ditjenpas list and register their region's or the national ones
    # (their records' pages: VARIANTS)
    "pokmaslipas:partner_list": {"GET": SCOPED_READ},
    "pokmaslipas:partner_create": {"GET": SCOPED_WRITE, "POST": SCOPED_WRITE},
    "pokmaslipas:partner_detail": {"GET": obj(OK, OK, OK, OK, OK, OK)},
    "pokmaslipas:partner_edit": {"GET": obj(F, F, F, F, F, OK), "POST": obj(F, F, F, F, F, OK)},
    "trainings:partner_training_types": {"GET": obj(F, F, F, F, F, OK), "POST": obj(F, F, F, F, F, OK)},
    "pokmaslipas:agreement_list": {"GET": SCOPED_READ},
    "pokmaslipas:agreement_create": {"GET": SCOPED_WRITE, "POST": SCOPED_WRITE},
    "pokmaslipas:agreement_detail": {"GET": obj(OK, OK, OK, OK, OK, OK)},
    "pokmaslipas:agreement_document": {"GET": obj(OK, OK, OK, OK, OK, OK)},
    "pokmaslipas:agreement_edit": {"GET": obj(F, F, F, F, F, OK), "POST": obj(F, F, F, F, F, OK)},
    "pokmaslipas:agreement_terminate": {"POST": obj(F, F, F, F, F, OK)},
    "pokmaslipas:agreement_renew": {"GET": obj(F, F, F, F, F, OK), "POST": obj(F, F, F, F, F, OK)},
    # --- trainings: office roles read; Kasubsi and Kasi write; PK enrols own clients and takes
    #     attendance; follow-ups: PK own caseload writes, Kasubsi/Kasi/Kepala read, Admin nothing --
    "trainings:session_list": {"GET": OFFICE_READ},
    "trainings:session_create": {"GET": page(F, OK, OK, F, F), "POST": page(F, OK, OK, F, F)},
    "trainings:session_detail": {"GET": obj(OK, OK, OK, OK, OK, OK)},
    "trainings:session_edit": {"GET": obj(F, F, OK, OK, F, F), "POST": obj(F, F, OK, OK, F, F)},
    "trainings:session_repeat": {"GET": obj(F, F, OK, OK, F, F), "POST": obj(F, F, OK, OK, F, F)},
    "trainings:session_cancel": {"GET": obj(F, F, OK, OK, F, F), "POST": obj(F, F, OK, OK, F, F)},
    "trainings:session_mark_held": {"POST": obj(F, F, OK, OK, F, F)},
    "trainings:enrol": {"GET": obj(OK, OK, OK, OK, F, F), "POST": obj(OK, OK, OK, OK, F, F)},
    "trainings:suggestions": {"GET": obj(OK, OK, OK, OK, F, F)},
    # a day not yet saved: the PKs take attendance (a saved day: see VARIANTS)
    "trainings:attendance": {"GET": obj(OK, OK, OK, OK, OK, OK), "POST": obj(OK, OK, OK, OK, F, F)},
    "trainings:certificates_issue": {"POST": obj(F, F, OK, OK, F, F)},
    "certificates_pdf": {"GET": obj(OK, OK, OK, OK, OK, OK)},
    # the PK withdraws its own client (as it enrolled it); another PK of the office may not
    "trainings:enrolment_withdraw": {"GET": obj(OK, F, OK, OK, F, F), "POST": obj(OK, F, OK, OK, F, F)},
    "trainings:certificate_issue": {"POST": obj(F, F, OK, OK, F, F)},
    "trainings:followup_create": {"GET": obj(OK, N, F, F, F, F), "POST": obj(OK, N, F, F, F, F)},
    "trainings:followup_photo": {"GET": obj(OK, N, OK, OK, OK, N)},
    "trainings:certificate_verify": {"GET": public()},
    "trainings:certificate_check": {"GET": public(), "POST": public()},
    "trainings:certificate_check_number": {"GET": public(), "POST": public()},
    "trainings:type_list": {"GET": OFFICE_READ},
    "trainings:type_create": {"GET": page(F, OK, OK, F, F), "POST": page(F, OK, OK, F, F)},
    # --- reports: PK own caseload, office roles their office, viewers aggregates of their region
    #     (national: of every region) -------------------------------------------------------------
    "reports:index": {"GET": page(OK, OK, OK, OK, OK, regional=OK)},
    "reports:report": {"GET": page(OK, OK, OK, OK, OK, regional=OK)},
    "reports:download": {"GET": page(OK, OK, OK, OK, OK, regional=OK)},
    "reports:dashboard_office": {"GET": page(F, F, OK, OK, F, regional=F)},  # Kasubsi: dashboard_kasubsi
    "reports:dashboard_kasubsi": {"GET": page(F, OK, F, F, F, regional=F)},
    "reports:dashboard_regional": {"GET": page(F, F, F, F, F, regional=OK)},
    "reports:dashboard_national": {"GET": page(F, F, F, F, F, regional=F, national=OK)},
    # Temuan: Kasi BKD and Kepala Bapas their office, the regional viewer its region's offices pooled,
    # the national viewer all offices pooled (or one region's)
    "reports:evidence": {"GET": page(F, F, OK, OK, F, regional=OK, national=OK)},
    "reports:evidence_download": {"GET": page(F, F, OK, OK, F, regional=OK, national=OK)},
    # the monthly return of office A: its leads and the viewers above it read; the Kasi reviews, the
    # Kepala Bapas signs, either starts a correction (with nothing to review or sign here, an allowed
    # POST redirects with a message); the other region's viewer gets 404
    "reports:monthly_list": {"GET": page(F, F, OK, OK, F, regional=OK)},
    "reports:monthly_detail": {"GET": {**obj(F, F, F, OK, OK, F, regional=OK), "regional_b": N}},
    "reports:monthly_pdf": {"GET": {**obj(F, F, F, OK, OK, F, regional=OK), "regional_b": N}},
    "reports:monthly_review": {
        "POST": {**obj(F, F, F, OK, F, F, regional=F), "regional_b": N, **dict.fromkeys(SCOPE_ADMINS, N)}
    },
    "reports:monthly_sign": {
        "POST": {**obj(F, F, F, F, OK, F, regional=F), "regional_b": N, **dict.fromkeys(SCOPE_ADMINS, N)}
    },
    "reports:monthly_correct": {
        "POST": {**obj(F, F, F, OK, OK, F, regional=F), "regional_b": N, **dict.fromkeys(SCOPE_ADMINS, N)}
    },
    "reports:client_card": {"GET": obj(OK, N, N, OK, OK, N)},
    "reports:attendance_sheet": {"GET": obj(OK, OK, OK, OK, OK, OK)},
    # the surat peringatan of a warning: whoever may print the client's card
    "reports:warning_letter": {"GET": obj(OK, N, N, OK, OK, N)},
    # generated files belong to the user who asked for them (here the owner PK): 404 for everybody else
    "reports:generated_list": {"GET": {**everyone(OK), **dict.fromkeys(SCOPE_ADMINS, F)}},  # no reports
    "reports:generated_detail": {"GET": obj(OK, N, N, N, N, N)},
    "reports:generated_status": {"GET": obj(OK, N, N, N, N, N)},
    "reports:generated_download": {"GET": obj(OK, N, N, N, N, N)},
    "reports:generated_retry": {"POST": obj(OK, N, N, N, N, N)},
    # --- workbook: Admin and Kasi import and export the office; list exports follow each list ----
    "workbook:import_upload": {"GET": page(F, F, OK, F, OK), "POST": page(F, F, OK, F, OK)},
    "workbook:import_template": {"GET": page(F, F, OK, F, OK)},
    "workbook:import_preview": {"GET": obj(F, F, F, OK, F, OK)},
    "workbook:import_confirm": {"POST": obj(F, F, F, OK, F, OK)},
    "workbook:import_status": {"GET": obj(F, F, F, OK, F, OK)},
    "workbook:import_progress": {"GET": obj(F, F, F, OK, F, OK)},
    "workbook:export_office": {"GET": page(F, F, OK, F, OK)},
    "workbook:export_list": {"GET": OFFICE_READ},
}

# Public pages that show a name on purpose (a certificate's holder to whoever holds its QR code's token).
PUBLIC_BY_DESIGN = {"trainings:certificate_verify"}

# Views without a method decorator (they answer every method); documented exceptions to STYLE.md.
# (healthz has require_safe: GET and HEAD only, a POST is 405.)
NO_METHOD_DECORATOR: set[str] = set()

# URL names taking a non-object argument are also checked with these other values.
VARIANTS = {
    "reports:report": [({"name": "compliance"}, None)],
    "reports:download": [({"name": "compliance", "fmt": "pdf"}, None), ({"name": "agreements", "fmt": "xlsx"}, None)],
    "reports:evidence_download": [({"fmt": "json"}, None)],
    "trainings:attendance": [
        ({"date": "saved"}, {"GET": obj(OK, OK, OK, OK, OK, OK), "POST": obj(F, F, OK, OK, F, F)})
    ],
    "pokmaslipas:partner_detail": above_variants("partner", _reads),
    "pokmaslipas:partner_edit": above_variants("partner", _writes),
    "trainings:partner_training_types": above_variants("partner", _office_only_writes),
    "pokmaslipas:agreement_detail": above_variants("agreement", _reads),
    "pokmaslipas:agreement_document": above_variants("agreement", _reads),
    "pokmaslipas:agreement_edit": above_variants("agreement", _writes),
    "pokmaslipas:agreement_terminate": above_variants("agreement", _posts),
    "pokmaslipas:agreement_renew": above_variants("agreement", _writes),
    "workbook:export_list": [
        ({"kind": "followups"}, {"GET": page(OK, OK, OK, OK, N)}),  # Admin: no follow-ups at all
        ({"kind": "visits"}, {"GET": page(OK, F, OK, OK, F)}),  # wajib lapor: not Kasubsi, not Admin
        ({"kind": "partners"}, None),
    ],
}


def resolve_arg(key, objects, variant=None):
    """The value of one URL argument: the office-A object the URL name points at."""
    if variant and key == "pk" and key in variant:
        return objects[variant[key]].pk  # a variant's own object (a regional or national record)
    if variant and key in variant:
        return objects["session"].start_date if variant[key] == "saved" else variant[key]
    return {
        "name": "participation",
        "fmt": "csv",
        "kind": "clients",
        "date": objects["session"].end_date,  # the second day, no attendance saved yet
        "number": objects["enrolment"].certificate_number,
        "office": "TNG",
        "month": "2026-01",
        "token": objects["enrolment"].certificate_token,
    }[key]


PK_OBJECT = {
    "bapas": "staff",
    "clients": "client",
    "clients:excuse_evidence": "excuse",
    "clients:excuse_withdraw": "excuse",
    "clients:tpp": "tpp_session",
    "clients:revocation_decide": "proposal",
    "clients:transfer_decide": "transfer_in",
    "clients:transfer_cancel": "transfer_out",
    "reports:tpp_minutes_pdf": "tpp_session",
    "reports:revocation_proposal": "proposal",
    "pokmaslipas:partner": "partner",
    "pokmaslipas:agreement": "agreement",
    "trainings:enrolment": "enrolment",
    "trainings:certificate_issue": "enrolment",
    "trainings:followup_create": "enrolment",
    "trainings:followup_photo": "follow_up",
    "trainings:partner_training_types": "partner",
    "trainings": "session",
    "reports:client_card": "client",
    "reports:attendance_sheet": "session",
    "reports:warning_letter": "warning",
    "reports:generated": "generated",
    "certificates_pdf": "session",
    "workbook": "job",
}


def pk_for(name, objects):
    """The pk of the office-A object for a URL name (longest matching prefix of PK_OBJECT)."""
    prefix = max((p for p in PK_OBJECT if name.startswith(p)), key=len)
    return objects[PK_OBJECT[prefix]].pk


def matches(got, want) -> bool:
    if want == OK:
        return got in (200, 400, "redirect")
    return got == want


# Real defects the matrix found, left to the owning app: the matrix
# test tolerates exactly the recorded outcome and test_known_deviations_still_present fails
# (strict xfail) once a deviation is fixed, so the entry is then removed and the matrix holds.
KNOWN_DEVIATIONS = {
    # (URL name, method, user): (what the view answers now)
}

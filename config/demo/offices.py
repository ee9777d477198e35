"""Demo regions, offices and staff (docs/INTERFACES.md section 1). Every person here is synthetic."""

from bapas.models import Office, Region, Role, User

REGIONS = [
    {
        "code": "BANTEN",
        "name": "Kantor Wilayah Direktorat Jenderal Pemasyarakatan Banten",
        "province": "Banten",
        "address": "Jl. Brigjen K.H. Syam'un No. 5, Kota Serang, Banten 42116",
        "head_name": "Drs. Bambang Sulistyo, M.H.",
        "head_nip": "196904121991031001",
    },
    {
        "code": "KALTIM",
        "name": "Kantor Wilayah Direktorat Jenderal Pemasyarakatan Kalimantan Timur",
        "province": "Kalimantan Timur",
        "address": "Jl. M. Yamin No. 1, Samarinda, Kalimantan Timur 75123",
        "head_name": "Endang Purwanti, S.H., M.Si.",
        "head_nip": "197102081993032001",
    },
]
# office code -> region code
OFFICE_REGIONS = {"TNG": "BANTEN", "BPN": "KALTIM"}

OFFICES = [
    {
        "code": "TNG",
        "name": "Bapas Kelas I Tangerang",
        "office_class": Office.Class.CLASS_I,
        "city": "Tangerang",
        "address": "Jl. Veteran No. 2, Babakan, Kec. Tangerang, Kota Tangerang, Banten 15118",
        "time_zone": Office.Zone.WIB,
        "phone": "(021) 5523318",
        "email": "bapastangerang@example.go.id",
        "regional_office_name": "KANTOR WILAYAH DIREKTORAT JENDERAL PEMASYARAKATAN BANTEN",
        "head_name": "Dr. Hendra Wijaya, S.H., M.H.",
        "head_nip": "197503122000031001",
    },
    {
        "code": "BPN",
        "name": "Bapas Kelas II Balikpapan",
        "office_class": Office.Class.CLASS_II,
        "city": "Balikpapan",
        "address": "Jl. Jenderal Sudirman No. 9, Klandasan Ilir, Balikpapan Kota, Kalimantan Timur 76113",
        "time_zone": Office.Zone.WITA,
        "phone": "(0542) 733120",
        "email": "bapasbalikpapan@example.go.id",
        "regional_office_name": "KANTOR WILAYAH DIREKTORAT JENDERAL PEMASYARAKATAN KALIMANTAN TIMUR",
        "head_name": "Rahmat Hidayat, S.Sos., M.Si.",
        "head_nip": "197805212001121002",
    },
]

# username, role, office, first name, last name, NIP, rank
STAFF = [
    ("admin", Role.ADMIN, "TNG", "Siti", "Rahmawati", "198601152009012001", ""),
    ("kabapas.tng", Role.KABAPAS, "TNG", "Hendra", "Wijaya", "197503122000031001", ""),
    ("kasi.tng", Role.KASI, "TNG", "Dewi", "Lestari", "197909232003122002", ""),
    ("kasubsi.tng", Role.KASUBSI, "TNG", "Agus", "Santoso", "198204112006041003", ""),
    ("pk1.tng", Role.PK, "TNG", "Rina", "Marlina", "198807302010122004", User.Rank.MUDA),
    ("pk2.tng", Role.PK, "TNG", "Budi", "Prasetyo", "199002142014021005", User.Rank.PERTAMA),
    ("admin.bpn", Role.ADMIN, "BPN", "Nurul", "Hasanah", "198903172012122006", ""),
    ("kabapas.bpn", Role.KABAPAS, "BPN", "Rahmat", "Hidayat", "197805212001121002", ""),
    ("kasi.bpn", Role.KASI, "BPN", "Yohanes", "Pakpahan", "198011062005011007", ""),
    ("kasubsi.bpn", Role.KASUBSI, "BPN", "Fitri", "Handayani", "198512242008012008", ""),
    ("pk1.bpn", Role.PK, "BPN", "Andi", "Saputra", "199105082015031009", User.Rank.PERTAMA),
    ("kanwil", Role.REGIONAL, None, "Teguh", "Firmansyah", "197712012002121010", ""),
    ("kanwil.kaltim", Role.REGIONAL, None, "Maria", "Tampubolon", "197908152003122011", ""),
    ("ditjenpas", Role.NATIONAL, None, "Arif", "Setiawan", "197406302000031012", ""),
    ("admin.kanwil", Role.REGIONAL_ADMIN, None, "Yusuf", "Maulana", "198506102010121013", ""),
    ("admin.ditjenpas", Role.NATIONAL_ADMIN, None, "Ratna", "Kusumawati", "198309222008012014", ""),
]
# regional viewer or Admin Kanwil -> region code
VIEWER_REGIONS = {"kanwil": "BANTEN", "kanwil.kaltim": "KALTIM", "admin.kanwil": "BANTEN"}


def load(password: str) -> dict:
    regions = {}
    for data in REGIONS:
        region, _ = Region.objects.update_or_create(code=data["code"], defaults=data)
        regions[region.code] = region
    offices = {}
    for data in OFFICES:
        defaults = {**data, "region": regions[OFFICE_REGIONS[data["code"]]]}
        office, _ = Office.objects.update_or_create(code=data["code"], defaults=defaults)
        offices[office.code] = office
    users = {}
    for username, role, office_code, first, last, nip, rank in STAFF:
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "role": role,
                "office": offices.get(office_code) if office_code else None,
                "region": regions[VIEWER_REGIONS[username]] if username in VIEWER_REGIONS else None,
                "first_name": first,
                "last_name": last,
                "nip": nip,
                "rank": rank,
                "is_active": True,
                "is_staff": False,
                "is_superuser": False,
                "must_change_password": False,  # demo and e2e logins are never forced to a new password
            },
        )
        if not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        users[username] = user
    return {"regions": regions, "offices": offices, "users": users}

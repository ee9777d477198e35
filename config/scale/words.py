"""The short word lists the synthetic names, places, notes and choices are drawn from."""


def _words(text: str) -> list[str]:
    return [" ".join(word.split()) for word in text.split(";") if word.strip()]


CITIES = _words(
    """
    Medan; Palembang; Padang; Pekanbaru; Jambi; Bengkulu; Bandar Lampung; Pangkalpinang; Tanjungpinang; Banda
    Aceh; Lhokseumawe; Pematangsiantar; Bukittinggi; Bandung; Bogor; Cirebon; Garut; Sukabumi; Karawang; Bekasi;
    Depok; Serang; Jakarta Barat; Jakarta Timur; Jakarta Selatan; Jakarta Utara; Jakarta Pusat; Semarang;
    Surakarta; Pekalongan; Purwokerto; Magelang; Pati; Klaten; Nusakambangan; Yogyakarta; Wonosari; Surabaya;
    Malang; Kediri; Madiun; Jember; Bojonegoro; Pamekasan; Denpasar; Karangasem; Mataram; Kupang; Waingapu;
    Atambua; Pontianak; Singkawang; Palangka Raya; Banjarmasin; Barabai; Samarinda; Tarakan; Nunukan; Manado;
    Gorontalo; Palu; Luwuk; Makassar; Parepare; Watampone; Palopo; Kendari; Baubau; Mamuju; Ambon; Tual; Ternate;
    Jayapura; Merauke; Biak; Nabire; Manokwari; Sorong; Timika; Wamena; Sampit; Batam; Tanjung Balai; Sibolga;
    Padangsidimpuan; Metro; Kotabumi; Lubuklinggau; Baturaja; Muara Enim; Bima; Ende; Maumere; Tasikmalaya;
    Ciamis; Purwakarta; Tegal; Banyumas; Blitar; Probolinggo
    """
)
# Indonesia has no daylight saving: one fixed offset per zone. Eastern cities get WITA/WIT.
WITA_CITIES = set(
    _words(
        """
    Atambua; Banjarmasin; Barabai; Baubau; Bima; Denpasar; Ende; Gorontalo; Karangasem; Kendari; Kupang; Luwuk;
    Makassar; Mamuju; Manado; Mataram; Maumere; Nunukan; Palopo; Palu; Parepare; Samarinda; Tarakan; Waingapu;
    Watampone
    """
    )
)
WIT_CITIES = set(
    _words(
        """
    Ambon; Biak; Jayapura; Manokwari; Merauke; Nabire; Sorong; Ternate; Timika; Tual; Wamena
    """
    )
)
MALE_NAMES = _words(
    """
    Agus; Budi; Joko; Rudi; Andi; Dedi; Hendra; Irfan; Rizky; Fajar; Yusuf; Bayu; Dimas; Eko; Fikri; Gilang; Hadi;
    Ilham; Jefri; Kurniawan; Lukman; Muhammad; Nanda; Oki; Putra; Rahmat; Slamet; Taufik; Umar; Wahyu; Yogi;
    Zainal; Arif; Bambang; Dani; Erwin
    """
)
FEMALE_NAMES = _words(
    """
    Siti; Dewi; Ayu; Rina; Sri; Wulan; Yuni; Indah; Lestari; Nur; Putri; Ratna; Sari; Tika; Utami; Vina; Fitri;
    Maya
    """
)
FAMILY_NAMES = _words(
    """
    Saputra; Hidayat; Santoso; Wijaya; Pratama; Siregar; Nasution; Harahap; Simanjuntak; Gunawan; Setiawan;
    Kusuma; Purnomo; Susanto; Rahman; Hakim; Syahputra; Lubis; Tanjung; Sitompul; Manurung; Pangaribuan;
    Matondang; Ginting; Sembiring; Tarigan; Nugroho; Firmansyah; Ramadhan; Permana; Sulistyo; Wibowo; Halim;
    Tambunan; Situmorang; Daulay; Batubara
    """
)
# name and category of each training type
TRAINING_TYPES = [
    tuple(item.split("="))
    for item in _words(
        """
    Budidaya Ikan Lele=PERIKANAN; Pupuk Organik=PERTANIAN; Pembibitan Anggur=PERTANIAN; Hidroponik=PERTANIAN;
    Barista=KULINER; Tata Boga=KULINER; Bakso Instan=KULINER; Roti dan Kue=KULINER; Seblak=KULINER; Tata Rias
    (Make-up Artist)=KECANTIKAN; Pangkas Rambut=KECANTIKAN; Pijat Refleksi=JASA; Servis AC=OTOMOTIF_TEKNIK; Montir
    Sepeda Motor=OTOMOTIF_TEKNIK; Las Listrik=OTOMOTIF_TEKNIK; Jok Mobil=OTOMOTIF_TEKNIK; Pemasangan
    Wallpaper=JASA; Desain Interior=JASA; Menjahit=KERAJINAN; Kerajinan Anyaman=KERAJINAN; Pemasaran
    Digital=DIGITAL; Desain Grafis=DIGITAL; Sablon Kaos=KERAJINAN; Cuci Motor dan Mobil=JASA
    """
    )
]
INTERESTS = _words(
    """
    kuliner; pertanian; perikanan; jasa; kecantikan; otomotif; kerajinan; digital
    """
)
PARTNER_KINDS = _words(
    """
    MASYARAKAT; KEAGAMAAN; SWASTA; LPK; PERGURUAN_TINGGI; PEMERINTAH
    """
)
PARTNER_PREFIX = {
    "MASYARAKAT": "Yayasan Peduli",
    "KEAGAMAAN": "Majelis Taklim",
    "SWASTA": "PT Karya",
    "LPK": "LPK Terampil",
    "PERGURUAN_TINGGI": "Universitas",
    "PEMERINTAH": "Dinas Tenaga Kerja",
}
SCOPES = _words(
    """
    KEPRIBADIAN; KEMANDIRIAN; ADVOKASI_HUKUM; PENEMPATAN_KERJA; PENDAMPINGAN_USAHA; BANTUAN_MODAL
    """
)
TOPICS = _words(
    """
    kepatuhan wajib lapor; pekerjaan dan penghasilan; hubungan keluarga; keagamaan; kesehatan; rencana usaha;
    minat pelatihan; lingkungan tempat tinggal
    """
)
NOTES = _words(
    """
    Klien hadir tepat waktu, kondisi baik.; Klien bekerja sebagai buruh harian, penghasilan cukup.; Keluarga
    mendukung, tidak ada masalah di lingkungan.; Klien diingatkan jadwal lapor berikutnya.; Klien berminat
    mengikuti pelatihan kemandirian.; Klien mengeluh sulit mencari pekerjaan.; Bimbingan kepribadian dan keagamaan
    diberikan.; Penjamin turut hadir dan memberi keterangan.
    """
)
OFFENCES = _words(
    """
    Pasal 362 KUHP; Pasal 363 KUHP; Pasal 372 KUHP; Pasal 378 KUHP; Pasal 351 KUHP; Pasal 114 UU 35/2009; Pasal
    112 UU 35/2009; Pasal 127 UU 35/2009; Pasal 480 KUHP
    """
)
PROGRAMMES = [("PB", 45), ("CB", 10), ("CMB", 10), ("ASIMILASI", 20), ("PIDANA_BERSYARAT", 10), ("LAINNYA", 3)]
OUTCOMES_BY_QUICKNESS = {
    # category -> weights of BELUM_MENERAPKAN, USAHA_SAMPINGAN, BEKERJA_DI_BIDANG, USAHA_SENDIRI,
    # BEKERJA_BIDANG_LAIN, TIDAK_DAPAT_DIHUBUNGI (quick-income skills do better, as the paper found)
    "quick": (30, 30, 10, 8, 12, 10),
    "slow": (60, 6, 3, 3, 18, 10),
    "other": (45, 14, 8, 5, 18, 10),
}
QUICK = {"KECANTIKAN", "JASA"}
SLOW = {"PERTANIAN", "PERIKANAN"}
FOLLOW_UP_STATUSES = [
    "BELUM_MENERAPKAN", "USAHA_SAMPINGAN", "BEKERJA_DI_BIDANG", "USAHA_SENDIRI", "BEKERJA_BIDANG_LAIN",
    "TIDAK_DAPAT_DIHUBUNGI",
]  # fmt: skip
REASONS = ["MODAL", "MINAT", "BEKERJA_LAIN", "PERALATAN", "LAINNYA"]

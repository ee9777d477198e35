"""A transfer between offices (pelimpahan) on the demo data.

Rudi Hartono (PB, monthly) was pk2.tng's client in Tangerang and reported there for three months;
Tangerang proposed his transfer to Balikpapan from the 15th of the month three months back and
Balikpapan's Kasi BKD accepted it (PK pk1.bpn, register number ``PAS-BPN.PINDAH/2025``). He has
reported in Balikpapan in the last two months. Tangerang keeps a read-only page of him with its own
three months; Balikpapan sees the whole history, and the compliance figures split at the date.
"""

from datetime import timedelta

from django.utils import timezone

from clients.holding import ACCEPTED
from clients.models import Client, Transfer
from clients.transfers import transfer_accept, transfer_propose
from config.demo.supervision import _client, _month_start, _visits

TNG_REGISTER = "PAS-TNG.PINDAH/2025"
BPN_REGISTER = "PAS-BPN.PINDAH/2025"


def load(context: dict) -> None:
    tng, bpn = context["offices"]["TNG"], context["offices"]["BPN"]
    users = context["users"]
    if Transfer.objects.filter(from_office=tng, from_register_number=TNG_REGISTER, state=ACCEPTED).exists():
        return  # loaded before: the client is Balikpapan's now
    today = timezone.localdate(timezone=tng.tzinfo)
    rudi = _client(tng, users["pk2.tng"], TNG_REGISTER, "Rudi Hartono", Client.Programme.PB, today)
    Client.objects.filter(pk=rudi.pk).update(nik=f"99{tng.pk % 100:02d}000000000901")
    rudi.refresh_from_db()
    _visits(rudi, users["pk2.tng"], (6, 5, 4), tng.tzinfo)
    transfer = transfer_propose(
        client=rudi,
        to_office=bpn,
        transfer_date=_month_start(today, 3) + timedelta(days=14),
        reason="Klien pindah domisili ke Balikpapan mengikuti keluarga; alamat baru di Kelurahan Klandasan Ilir.",
        letter_number="W29.PAS.PAS.1-PK.01.05-0117",
        user=users["kasi.tng"],
    )
    transfer_accept(transfer=transfer, officer=users["pk1.bpn"], register_number=BPN_REGISTER, user=users["kasi.bpn"])
    _visits(rudi, users["pk1.bpn"], (2, 1), bpn.tzinfo)

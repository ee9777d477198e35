import os

from django.core.management.base import BaseCommand
from django.db import transaction

from bapas.data_version import bump_all_offices
from bapas.models import Role, User
from config import demo


class Command(BaseCommand):
    help = "Load the demo offices, staff and synthetic records. Running it twice leaves the same data."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=demo.DEFAULT_PASSWORD, help="Password of every demo login.")
        parser.add_argument(
            "--address",
            default=os.environ.get("BAPAS_DEMO_ADDRESS", "127.0.0.1:8000"),
            help="host:port the app will be served on, for the sign-in line (default: $BAPAS_DEMO_ADDRESS or "
            "127.0.0.1:8000; make run passes its HOST and PORT).",
        )

    def handle(self, *args, password, address, **options):
        with transaction.atomic():
            demo.load(password)
            bump_all_offices()  # a bulk path: every office's data version moves with the demo records
        url = address if address.startswith(("http://", "https://")) else f"http://{address}"
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded. Sign in at {url.rstrip('/')}/ with:"))
        for user in User.objects.filter(username__in=[row[0] for row in demo.STAFF]).select_related("office"):
            office = user.office.code if user.office else "—"
            self.stdout.write(f"  {user.username:<14} {Role(user.role).label:<40} {office:<4} password: {password}")

"""Certificates get an unguessable verification token; every certificate issued so far gets one."""

import secrets

from django.db import migrations, models


def give_tokens(apps, schema_editor):
    Enrolment = apps.get_model("trainings", "Enrolment")
    pending = Enrolment.objects.filter(certificate_number__isnull=False, certificate_token__isnull=True)
    while True:
        batch = list(pending.only("pk")[:1000])
        if not batch:
            break
        for enrolment in batch:
            enrolment.certificate_token = secrets.token_urlsafe(32)
        Enrolment.objects.bulk_update(batch, ["certificate_token"])


class Migration(migrations.Migration):
    dependencies = [
        ("trainings", "0004_trainingtype_partners"),
    ]

    operations = [
        migrations.AddField(
            model_name="enrolment",
            name="certificate_token",
            field=models.CharField(blank=True, editable=False, max_length=64, null=True, unique=True),
        ),
        migrations.RunPython(give_tokens, migrations.RunPython.noop),
    ]

"""The training types a partner can deliver move from the partner (pokmaslipas) to trainings.

Step 1 of 3: the link table of trainings (with its audit history) and a copy of every existing
link. pokmaslipas 0003 then drops the partner's old field; trainings 0004 adds TrainingType.partners.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def _old_links(apps):
    """The auto-created link table of the partner's old ``training_types`` field."""
    partner = apps.get_model("pokmaslipas", "Partner")
    return partner._meta.get_field("training_types").remote_field.through


def copy_links_forward(apps, schema_editor):
    new = apps.get_model("trainings", "PartnerTrainingType")
    rows = _old_links(apps).objects.values_list("partner_id", "trainingtype_id").order_by("pk")
    new.objects.bulk_create(
        [new(partner_id=partner, training_type_id=training_type) for partner, training_type in rows.iterator()],
        batch_size=1000,
        ignore_conflicts=True,
    )


def copy_links_backward(apps, schema_editor):
    old = _old_links(apps)
    rows = apps.get_model("trainings", "PartnerTrainingType").objects.values_list("partner_id", "training_type_id")
    old.objects.bulk_create(
        [old(partner_id=partner, trainingtype_id=training_type) for partner, training_type in rows.iterator()],
        batch_size=1000,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):

    dependencies = [
        ('pokmaslipas', '0002_initial'),
        ('trainings', '0002_work_status_and_motivation'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalPartnerTrainingType',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('ip_address', models.GenericIPAddressField(blank=True, null=True, verbose_name='address')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('partner', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='pokmaslipas.partner', verbose_name='partner')),
                ('training_type', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='trainings.trainingtype', verbose_name='training type')),
            ],
            options={
                'verbose_name': 'historical training type of a partner',
                'verbose_name_plural': 'historical training types of partners',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='PartnerTrainingType',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('partner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='pokmaslipas.partner', verbose_name='partner')),
                ('training_type', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='trainings.trainingtype', verbose_name='training type')),
            ],
            options={
                'verbose_name': 'training type of a partner',
                'verbose_name_plural': 'training types of partners',
            },
        ),
        migrations.AddConstraint(
            model_name='partnertrainingtype',
            constraint=models.UniqueConstraint(fields=('partner', 'training_type'), name='partner_training_type_unique'),
        ),
        migrations.RunPython(copy_links_forward, copy_links_backward),
    ]

"""Step 2 of 3 of the move of a partner's training types to trainings (see trainings 0003):
the links were copied there, so the partner's old field and its history table go."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('pokmaslipas', '0002_initial'),
        ('trainings', '0003_partner_training_types'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='partner',
            name='training_types',
        ),
        migrations.DeleteModel(
            name='HistoricalPartner_training_types',
        ),
    ]

"""Step 3 of 3 of the move of a partner's training types to trainings: TrainingType.partners over the
link table of step 1 (no database change: the table is already there)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('pokmaslipas', '0003_partner_training_types'),
        ('trainings', '0003_partner_training_types'),
    ]

    operations = [
        migrations.AddField(
            model_name='trainingtype',
            name='partners',
            field=models.ManyToManyField(blank=True, related_name='training_types', through='trainings.PartnerTrainingType', to='pokmaslipas.partner', verbose_name='partners who can deliver it'),
        ),
    ]

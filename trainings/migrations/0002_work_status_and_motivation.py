# The motivation rating becomes a number from 1 to 5 (the old words map onto it), and follow-ups reach 12 months.

from django.db import migrations, models

OLD_TO_NEW = {"TINGGI": "4", "SEDANG": "3", "RENDAH": "2", "": None}


def words_to_numbers(apps, schema_editor):
    for name in ("Enrolment", "HistoricalEnrolment"):
        model = apps.get_model("trainings", name)
        for old, new in OLD_TO_NEW.items():
            model.objects.filter(motivation=old).update(motivation=new)


def numbers_to_words(apps, schema_editor):
    for name in ("Enrolment", "HistoricalEnrolment"):
        model = apps.get_model("trainings", name)
        for old, new in OLD_TO_NEW.items():
            model.objects.filter(motivation=new).update(motivation=old)


class Migration(migrations.Migration):

    dependencies = [
        ('trainings', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='enrolment', name='motivation',
            field=models.CharField(blank=True, max_length=6, null=True, verbose_name='motivation'),
        ),
        migrations.AlterField(
            model_name='historicalenrolment', name='motivation',
            field=models.CharField(blank=True, max_length=6, null=True, verbose_name='motivation'),
        ),
        migrations.RunPython(words_to_numbers, numbers_to_words),
        migrations.AlterField(
            model_name='enrolment',
            name='motivation',
            field=models.PositiveSmallIntegerField(blank=True, choices=[(1, '1 – very low: comes only because it is required, no interest in the skill'), (2, '2 – low: little interest, doubts the skill will be used'), (3, '3 – moderate: some interest, no plan yet to use the skill'), (4, '4 – high: interested, with a plan to use the skill'), (5, '5 – very high: eager, work or means to use the skill are waiting')], help_text='Rated by the PK at enrolment; locked once the training starts.', null=True, verbose_name='motivation'),
        ),
        migrations.AlterField(
            model_name='historicalenrolment',
            name='motivation',
            field=models.PositiveSmallIntegerField(blank=True, choices=[(1, '1 – very low: comes only because it is required, no interest in the skill'), (2, '2 – low: little interest, doubts the skill will be used'), (3, '3 – moderate: some interest, no plan yet to use the skill'), (4, '4 – high: interested, with a plan to use the skill'), (5, '5 – very high: eager, work or means to use the skill are waiting')], help_text='Rated by the PK at enrolment; locked once the training starts.', null=True, verbose_name='motivation'),
        ),
    ]

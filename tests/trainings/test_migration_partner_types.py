"""The move of a partner's training types to trainings keeps every existing link, both ways."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("pokmaslipas", "0002_initial"), ("trainings", "0002_work_status_and_motivation")]
AFTER = [("pokmaslipas", "0003_partner_training_types"), ("trainings", "0004_trainingtype_partners")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_links_survive_the_move_and_the_way_back():
    apps = migrate(BEFORE)
    office = apps.get_model("bapas", "Office").objects.create(code="MIG", name="Bapas Migrasi")
    training_type = apps.get_model("trainings", "TrainingType")
    barista = training_type.objects.create(office=office, name="Barista")
    sewing = training_type.objects.create(office=office, name="Menjahit")
    partner = apps.get_model("pokmaslipas", "Partner")
    lpk = partner.objects.create(office=office, code="LPK", name="LPK Kopi", kind="LPK")
    other = partner.objects.create(office=office, code="YYS", name="Yayasan", kind="MASYARAKAT")
    lpk.training_types.add(barista, sewing)
    other.training_types.add(sewing)

    apps = migrate(AFTER)
    links = apps.get_model("trainings", "PartnerTrainingType").objects
    assert sorted(links.values_list("partner_id", "training_type_id")) == sorted(
        [(lpk.pk, barista.pk), (lpk.pk, sewing.pk), (other.pk, sewing.pk)]
    )
    moved = apps.get_model("trainings", "TrainingType").objects.get(pk=sewing.pk)
    assert sorted(moved.partners.values_list("pk", flat=True)) == sorted([lpk.pk, other.pk])

    apps = migrate(BEFORE)
    back = apps.get_model("pokmaslipas", "Partner").objects.get(pk=lpk.pk)
    assert sorted(back.training_types.values_list("pk", flat=True)) == sorted([barista.pk, sewing.pk])
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())  # the full schema for the next tests

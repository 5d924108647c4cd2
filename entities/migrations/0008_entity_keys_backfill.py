"""Every existing entity gets the keys the cross-article linker finds entities by."""

from django.db import migrations


def backfill(apps, schema_editor):
    from entities.nlp.matching import entity_keys

    Entity = apps.get_model("entities", "Entity")
    EntityKey = apps.get_model("entities", "EntityKey")
    batch = []
    for entity in Entity.objects.filter(merged_into=None).iterator(chunk_size=2000):
        for kind, key in entity_keys(entity.name, entity.label, entity.aliases or []):
            batch.append(EntityKey(entity_id=entity.pk, label=entity.label, kind=kind, key=key))
        if len(batch) >= 5000:
            EntityKey.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    EntityKey.objects.bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("entities", "0007_crosslinking")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]

"""Field values move from one row per field to one row per (block, user, kind), as the LMS stores
them (modulestore, StudentModule, the shared summary); existing values are carried over."""
import json

from django.db import migrations, models

KINDS = {"content": "authored", "settings": "authored", "user_state": "state", "user_state_summary": "summary"}


def rows_per_block(apps, schema_editor):  # pylint: disable=unused-argument
    FieldValue = apps.get_model("demo", "FieldValue")
    BlockState = apps.get_model("demo", "BlockState")
    grouped: dict[tuple, dict] = {}
    for row in FieldValue.objects.order_by("pk").iterator():
        kind = KINDS.get(row.scope, row.scope)
        grouped.setdefault((row.block_id, row.user_id, kind), {})[row.field_name] = json.loads(row.value)
    BlockState.objects.bulk_create(
        [BlockState(block_id=block_id, user_id=user_id, kind=kind, data=json.dumps(values, ensure_ascii=False))
         for (block_id, user_id, kind), values in grouped.items()], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ("demo", "0002_courseunit_group_access"),
    ]

    operations = [
        migrations.CreateModel(
            name="BlockState",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("block_id", models.CharField(max_length=255)),
                ("user_id", models.BigIntegerField(default=0)),
                ("kind", models.CharField(max_length=20)),
                ("data", models.TextField(default="{}")),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("block_id", "user_id", "kind"),
                                                        name="demo_block_state_unique")],
            },
        ),
        migrations.RunPython(rows_per_block, migrations.RunPython.noop),
        migrations.DeleteModel(name="FieldValue"),
    ]

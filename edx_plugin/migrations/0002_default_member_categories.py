"""Seed the member categories with the requirements of DESIGN.md (editable later in the admin).

Party members: 32 hours a year (2019 regulation on party member education, Art. 20);
grassroots branch secretaries and committee members: 56 hours a year (national training plan);
cadres below county level: 90 hours a year; county level and above: 550 hours in 5 years
(2023 cadre training regulation); activists: 24 hours (the usual centralized activist training).
"""
from decimal import Decimal

from django.db import migrations

DEFAULTS = {
    "leading_cadre": (Decimal("550"), 5),
    "general_cadre": (Decimal("90"), 1),
    "member": (Decimal("32"), 1),
    "new_member": (Decimal("32"), 1),
    "young_member": (Decimal("32"), 1),
    "rural_member": (Decimal("32"), 1),
    "retired_member": (Decimal("32"), 1),
    "branch_secretary": (Decimal("56"), 1),
    "activist": (Decimal("24"), 1),
}


def seed(apps, schema_editor):
    MemberCategory = apps.get_model("party_training", "MemberCategory")
    for code, (hours, period) in DEFAULTS.items():
        MemberCategory.objects.get_or_create(code=code, defaults={"required_hours": hours, "period_years": period})


class Migration(migrations.Migration):
    dependencies = [("party_training", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

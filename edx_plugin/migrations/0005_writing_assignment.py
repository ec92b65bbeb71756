"""Models of the writing assignment block (see models/writing_assignment.py)."""
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("party_training", "0004_knowledge_contest")]
    operations = []

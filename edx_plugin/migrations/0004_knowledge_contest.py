"""Models of the knowledge contest block (see models/knowledge_contest.py)."""
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("party_training", "0003_party_class")]
    operations = []

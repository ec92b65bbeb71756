"""Models of the party class block (see models/party_class.py)."""
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("party_training", "0002_default_member_categories")]
    operations = []

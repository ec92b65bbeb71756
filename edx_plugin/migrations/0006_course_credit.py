from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("party_training", "0005_writing_assignment")]

    operations = [
        migrations.CreateModel(
            name="CourseCredit",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("course_id", models.CharField(max_length=255, unique=True, verbose_name="course")),
                ("hours", models.DecimalField(decimal_places=2, max_digits=7, verbose_name="hours")),
            ],
            options={"verbose_name": "course credit hours", "verbose_name_plural": "course credit hours"},
        ),
    ]

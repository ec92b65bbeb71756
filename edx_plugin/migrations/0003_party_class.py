"""Models of the party class block (see models/party_class.py)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('party_training', '0002_default_member_categories'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='PartyClassQuestion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('course_id', models.CharField(max_length=255, verbose_name='course')),
                ('usage_id', models.CharField(max_length=255, verbose_name='course component')),
                ('tag', models.CharField(choices=[('hot', 'Hot topic'), ('difficult', 'Difficult point'), ('doubtful', 'Doubt')], max_length=10, verbose_name='kind')),
                ('text', models.TextField(verbose_name='question')),
                ('anonymous', models.BooleanField(default=False, verbose_name='anonymous')),
                ('votes', models.PositiveIntegerField(default=0, verbose_name='votes')),
                ('hidden', models.BooleanField(default=False, verbose_name='hidden')),
                ('answer', models.TextField(blank=True, verbose_name='answer')),
                ('answered_at', models.DateTimeField(blank=True, null=True, verbose_name='answered at')),
                ('answer_published', models.BooleanField(default=False, verbose_name='answer published')),
                ('created', models.DateTimeField(auto_now_add=True, verbose_name='asked at')),
                ('answered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='answered by')),
                ('author', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='party_class_questions', to=settings.AUTH_USER_MODEL, verbose_name='author')),
                ('merged_into', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='duplicates', to='party_training.partyclassquestion', verbose_name='merged into')),
            ],
            options={
                'verbose_name': 'party class question',
                'verbose_name_plural': 'party class questions',
            },
        ),
        migrations.CreateModel(
            name='PartyClassReflection',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('course_id', models.CharField(max_length=255, verbose_name='course')),
                ('usage_id', models.CharField(max_length=255, verbose_name='course component')),
                ('text', models.TextField(blank=True, verbose_name='text')),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted')], default='draft', max_length=10, verbose_name='status')),
                ('updated', models.DateTimeField(auto_now=True, verbose_name='last saved')),
                ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='submitted at')),
                ('score', models.DecimalField(blank=True, decimal_places=2, max_digits=6, null=True, verbose_name='score')),
                ('score_published', models.DecimalField(blank=True, decimal_places=2, editable=False, max_digits=6, null=True)),
                ('scored_at', models.DateTimeField(blank=True, null=True, verbose_name='scored at')),
                ('scored_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='scored by')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='party_class_reflections', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'party class reflection',
                'verbose_name_plural': 'party class reflections',
            },
        ),
        migrations.CreateModel(
            name='PartyClassSignIn',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('course_id', models.CharField(max_length=255, verbose_name='course')),
                ('usage_id', models.CharField(max_length=255, verbose_name='course component')),
                ('method', models.CharField(choices=[('online', 'Online check-in'), ('onsite', 'On-site code'), ('staff', 'Recorded by staff')], max_length=10, verbose_name='method')),
                ('created', models.DateTimeField(auto_now_add=True, verbose_name='signed in at')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='party_class_signins', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'party class sign-in',
                'verbose_name_plural': 'party class sign-ins',
            },
        ),
        migrations.CreateModel(
            name='PartyClassVote',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created', models.DateTimeField(auto_now_add=True)),
                ('question', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='vote_rows', to='party_training.partyclassquestion')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'question vote',
                'verbose_name_plural': 'question votes',
            },
        ),
        migrations.CreateModel(
            name='PartyClassProgress',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('course_id', models.CharField(max_length=255, verbose_name='course')),
                ('usage_id', models.CharField(max_length=255, verbose_name='course component')),
                ('content_done_at', models.DateTimeField(blank=True, null=True, verbose_name='watched or read at')),
                ('completed_at', models.DateTimeField(blank=True, null=True, verbose_name='completed at')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='party_class_progress', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'party class progress',
                'verbose_name_plural': 'party class progress',
                'constraints': [models.UniqueConstraint(fields=('usage_id', 'user'), name='party_class_progress_unique')],
            },
        ),
        migrations.AddIndex(
            model_name='partyclassquestion',
            index=models.Index(fields=['usage_id', '-votes', 'created'], name='party_class_q_board'),
        ),
        migrations.AddIndex(
            model_name='partyclassquestion',
            index=models.Index(fields=['usage_id', 'author'], name='party_class_q_author'),
        ),
        migrations.AddIndex(
            model_name='partyclassreflection',
            index=models.Index(fields=['usage_id', 'status', 'submitted_at'], name='party_class_refl_list'),
        ),
        migrations.AddConstraint(
            model_name='partyclassreflection',
            constraint=models.UniqueConstraint(fields=('usage_id', 'user'), name='party_class_reflection_unique'),
        ),
        migrations.AddIndex(
            model_name='partyclasssignin',
            index=models.Index(fields=['course_id', 'user'], name='party_class_signin_course'),
        ),
        migrations.AddConstraint(
            model_name='partyclasssignin',
            constraint=models.UniqueConstraint(fields=('usage_id', 'user'), name='party_class_signin_unique'),
        ),
        migrations.AddConstraint(
            model_name='partyclassvote',
            constraint=models.UniqueConstraint(fields=('question', 'user'), name='party_class_vote_unique'),
        ),
    ]


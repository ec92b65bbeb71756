"""Models of the writing assignment block (see models/writing.py)."""
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("party_training", "0004_knowledge_contest"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='WritingAssignment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('course_id', models.CharField(db_index=True, max_length=255, verbose_name='course')),
                ('usage_id', models.CharField(max_length=255, unique=True, verbose_name='course component')),
                ('title', models.CharField(max_length=255, verbose_name='title')),
                ('kind', models.CharField(choices=[('reading_notes', 'Reading notes'), ('reflection', 'Reflection'), ('study_plan', 'Study plan'), ('study_summary', 'Study summary'), ('research_report', 'Research report'), ('contest_essay', 'Contest essay')], max_length=20, verbose_name='kind')),
                ('flow', models.CharField(choices=[('single', 'One grader'), ('two_stage', 'Grader proposes, approver releases'), ('contest', 'Contest judges')], max_length=20, verbose_name='grading flow')),
                ('rubric', models.JSONField(default=list, verbose_name='rubric')),
                ('points_possible', models.DecimalField(decimal_places=2, default=0, max_digits=7, verbose_name='maximum score')),
                ('pass_points', models.DecimalField(decimal_places=2, default=0, max_digits=7, verbose_name='passing score')),
                ('hours', models.DecimalField(decimal_places=2, default=0, max_digits=6, verbose_name='credit hours')),
                ('min_chars', models.PositiveIntegerField(default=0, verbose_name='minimum characters')),
                ('max_chars', models.PositiveIntegerField(default=0, verbose_name='maximum characters')),
                ('due', models.DateTimeField(blank=True, null=True, verbose_name='due')),
                ('award_tiers', models.JSONField(default=dict, verbose_name='award tiers')),
                ('results_published', models.DateTimeField(blank=True, null=True, verbose_name='contest results published')),
                ('updated', models.DateTimeField(auto_now=True)),
            ],
            options={
                'verbose_name': 'writing assignment',
                'verbose_name_plural': 'writing assignments',
                'ordering': ['course_id', 'title'],
            },
        ),
        migrations.CreateModel(
            name='WritingSubmission',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('course_id', models.CharField(max_length=255, verbose_name='course')),
                ('usage_id', models.CharField(max_length=255, verbose_name='course component')),
                ('status', models.CharField(choices=[('submitted', 'Submitted'), ('proposed', 'Awaiting approval'), ('returned', 'Returned for revision'), ('resubmitted', 'Resubmitted'), ('graded', 'Graded')], max_length=20, verbose_name='status')),
                ('title', models.CharField(blank=True, max_length=200, verbose_name='title')),
                ('text', models.TextField(verbose_name='text')),
                ('char_count', models.PositiveIntegerField(verbose_name='characters')),
                ('attempt', models.PositiveSmallIntegerField(default=1, verbose_name='attempt')),
                ('student_id', models.CharField(max_length=255)),
                ('submission_uuid', models.CharField(max_length=64)),
                ('submitted_at', models.DateTimeField(verbose_name='submitted')),
                ('claim_expires', models.DateTimeField(blank=True, null=True, verbose_name='claim expires')),
                ('score', models.DecimalField(blank=True, decimal_places=2, max_digits=7, null=True, verbose_name='score')),
                ('passed', models.BooleanField(default=False, verbose_name='passed')),
                ('feedback', models.TextField(blank=True, verbose_name='feedback')),
                ('review_note', models.TextField(blank=True, verbose_name="approver's note")),
                ('released_at', models.DateTimeField(blank=True, null=True, verbose_name='released')),
                ('published_score', models.DecimalField(blank=True, decimal_places=2, max_digits=7, null=True)),
                ('rank', models.PositiveIntegerField(blank=True, null=True, verbose_name='rank')),
                ('award', models.CharField(blank=True, max_length=20, verbose_name='award')),
                ('showcase', models.BooleanField(default=False, verbose_name='showcased')),
                ('showcase_choice', models.CharField(choices=[('named', 'Show my name'), ('anonymous', 'Anonymous')], default='named', max_length=10, verbose_name='name in the showcase')),
                ('assignment', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='submissions', to='party_training.writingassignment')),
                ('claimed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='claimed by')),
                ('released_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='released by')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='author')),
            ],
            options={
                'verbose_name': 'writing submission',
                'verbose_name_plural': 'writing submissions',
            },
        ),
        migrations.CreateModel(
            name='RubricAssessment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('attempt', models.PositiveSmallIntegerField()),
                ('role', models.CharField(choices=[('grader', 'Grader'), ('judge', 'Judge')], max_length=10, verbose_name='role')),
                ('selections', models.JSONField(default=dict)),
                ('points', models.DecimalField(decimal_places=2, max_digits=7, verbose_name='points')),
                ('comment', models.TextField(blank=True, verbose_name='comment')),
                ('created', models.DateTimeField(auto_now_add=True)),
                ('updated', models.DateTimeField(auto_now=True)),
                ('assessor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='assessor')),
                ('submission', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assessments', to='party_training.writingsubmission')),
            ],
            options={
                'verbose_name': 'rubric assessment',
                'verbose_name_plural': 'rubric assessments',
                'ordering': ['submission', 'attempt', 'created'],
            },
        ),
        migrations.CreateModel(
            name='NearCopyPair',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('course_id', models.CharField(db_index=True, max_length=255)),
                ('similarity', models.FloatField(verbose_name='similarity')),
                ('detected', models.DateTimeField(auto_now_add=True)),
                ('first', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='party_training.writingsubmission')),
                ('second', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='party_training.writingsubmission')),
            ],
            options={
                'verbose_name': 'near-copy pair',
                'verbose_name_plural': 'near-copy pairs',
            },
        ),
        migrations.CreateModel(
            name='WritingVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('attempt', models.PositiveSmallIntegerField()),
                ('title', models.CharField(blank=True, max_length=200)),
                ('text', models.TextField()),
                ('char_count', models.PositiveIntegerField()),
                ('submission_uuid', models.CharField(max_length=64)),
                ('submitted_at', models.DateTimeField()),
                ('submission', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='versions', to='party_training.writingsubmission')),
            ],
            options={
                'verbose_name': 'submitted version',
                'verbose_name_plural': 'submitted versions',
                'ordering': ['submission', 'attempt'],
            },
        ),
        migrations.CreateModel(
            name='WritingDraft',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('course_id', models.CharField(max_length=255)),
                ('usage_id', models.CharField(max_length=255)),
                ('title', models.CharField(blank=True, max_length=200)),
                ('text', models.TextField(blank=True)),
                ('revision', models.PositiveIntegerField(default=0)),
                ('updated', models.DateTimeField(auto_now=True)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'writing draft',
                'verbose_name_plural': 'writing drafts',
                'constraints': [models.UniqueConstraint(fields=('usage_id', 'user'), name='party_wdraft_unique')],
            },
        ),
        migrations.CreateModel(
            name='WritingJob',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('archive', 'Archive of all submissions'), ('near_copies', 'Near-copy scan')], max_length=20)),
                ('course_id', models.CharField(max_length=255)),
                ('status', models.CharField(choices=[('pending', 'Waiting'), ('running', 'Running'), ('done', 'Done'), ('failed', 'Failed')], default='pending', max_length=10)),
                ('total', models.PositiveIntegerField(default=0)),
                ('done', models.PositiveIntegerField(default=0)),
                ('file_name', models.CharField(blank=True, max_length=255)),
                ('error', models.CharField(blank=True, max_length=500)),
                ('created', models.DateTimeField(auto_now_add=True)),
                ('finished', models.DateTimeField(blank=True, null=True)),
                ('requested_by', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'writing job',
                'verbose_name_plural': 'writing jobs',
                'ordering': ['-created'],
                'indexes': [models.Index(fields=['course_id', 'kind', 'created'], name='party_wjob_course')],
            },
        ),
        migrations.CreateModel(
            name='WritingJudge',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('assignment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='judges', to='party_training.writingassignment')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='judge')),
            ],
            options={
                'verbose_name': 'contest judge',
                'verbose_name_plural': 'contest judges',
                'constraints': [models.UniqueConstraint(fields=('assignment', 'user'), name='party_wjudge_unique')],
            },
        ),
        migrations.AddIndex(
            model_name='writingsubmission',
            index=models.Index(fields=['course_id', 'status', 'submitted_at'], name='party_wsub_queue'),
        ),
        migrations.AddIndex(
            model_name='writingsubmission',
            index=models.Index(fields=['usage_id', 'status'], name='party_wsub_block_status'),
        ),
        migrations.AddIndex(
            model_name='writingsubmission',
            index=models.Index(fields=['usage_id', 'showcase'], name='party_wsub_showcase'),
        ),
        migrations.AddConstraint(
            model_name='writingsubmission',
            constraint=models.UniqueConstraint(fields=('usage_id', 'user'), name='party_wsub_unique'),
        ),
        migrations.AddIndex(
            model_name='rubricassessment',
            index=models.Index(fields=['assessor', 'role'], name='party_wassess_assessor'),
        ),
        migrations.AddConstraint(
            model_name='rubricassessment',
            constraint=models.UniqueConstraint(fields=('submission', 'attempt', 'assessor', 'role'), name='party_wassess_unique'),
        ),
        migrations.AddConstraint(
            model_name='nearcopypair',
            constraint=models.UniqueConstraint(fields=('first', 'second'), name='party_nearcopy_unique'),
        ),
        migrations.AddConstraint(
            model_name='writingversion',
            constraint=models.UniqueConstraint(fields=('submission', 'attempt'), name='party_wversion_unique'),
        ),
    ]

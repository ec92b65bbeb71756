"""Models of the knowledge contest block (see models/knowledge_contest.py)."""
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("party_training", "0003_party_class"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Question',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('qtype', models.CharField(choices=[('single', 'Single choice'), ('multiple', 'Multiple choice'), ('true_false', 'True or false'), ('fill_blank', 'Fill in the blank')], max_length=20, verbose_name='type')),
                ('stem', models.TextField(verbose_name='question')),
                ('options', models.JSONField(blank=True, default=list, verbose_name='options')),
                ('answer', models.JSONField(default=list, verbose_name='answer')),
                ('explanation', models.TextField(blank=True, verbose_name='explanation')),
                ('category', models.CharField(blank=True, max_length=100, verbose_name='category')),
                ('difficulty', models.PositiveSmallIntegerField(choices=[(1, 'Easy'), (2, 'Medium'), (3, 'Hard')], default=2, verbose_name='difficulty')),
                ('fingerprint', models.CharField(editable=False, max_length=64)),
                ('active', models.BooleanField(default=True, help_text='Retired questions are no longer drawn; attempts that used them keep them.', verbose_name='active')),
                ('created', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('modified', models.DateTimeField(auto_now=True, verbose_name='modified')),
            ],
            options={
                'verbose_name': 'question',
                'verbose_name_plural': 'questions',
                'ordering': ['bank', 'id'],
            },
        ),
        migrations.CreateModel(
            name='ContestAttempt',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('course_id', models.CharField(max_length=255, verbose_name='course')),
                ('usage_id', models.CharField(max_length=255, verbose_name='contest')),
                ('number', models.PositiveSmallIntegerField(verbose_name='attempt number')),
                ('status', models.CharField(choices=[('active', 'In progress'), ('submitted', 'Submitted'), ('expired', 'Closed at the deadline')], default='active', max_length=10, verbose_name='status')),
                ('open_slot', models.CharField(blank=True, default='1', editable=False, max_length=1, null=True)),
                ('started', models.DateTimeField(verbose_name='started')),
                ('deadline', models.DateTimeField(db_index=True, verbose_name='deadline')),
                ('finished', models.DateTimeField(blank=True, null=True, verbose_name='finished')),
                ('question_ids', models.JSONField(default=list)),
                ('option_orders', models.JSONField(default=dict)),
                ('rules', models.JSONField(default=dict)),
                ('position', models.PositiveSmallIntegerField(default=0)),
                ('position_started', models.DateTimeField(blank=True, null=True)),
                ('score', models.FloatField(default=0, verbose_name='score')),
                ('bonus', models.FloatField(default=0, verbose_name='speed bonus')),
                ('max_score', models.FloatField(default=0, verbose_name='maximum score')),
                ('correct_count', models.PositiveSmallIntegerField(default=0, verbose_name='correct answers')),
                ('duration_ms', models.PositiveIntegerField(blank=True, null=True, verbose_name='duration (ms)')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='party_contest_attempts', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'contest attempt',
                'verbose_name_plural': 'contest attempts',
                'ordering': ['-started'],
            },
        ),
        migrations.CreateModel(
            name='ContestResult',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('course_id', models.CharField(max_length=255, verbose_name='course')),
                ('usage_id', models.CharField(max_length=255, verbose_name='contest')),
                ('total', models.FloatField(verbose_name='score')),
                ('max_score', models.FloatField(verbose_name='maximum score')),
                ('duration_ms', models.PositiveIntegerField(verbose_name='duration (ms)')),
                ('attempts', models.PositiveSmallIntegerField(default=1, verbose_name='attempts')),
                ('published_fraction', models.FloatField(blank=True, null=True)),
                ('updated', models.DateTimeField(auto_now=True)),
                ('attempt', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='party_training.contestattempt')),
                ('organization', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='party_training.organization')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='party_contest_results', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'contest result',
                'verbose_name_plural': 'contest results',
            },
        ),
        migrations.CreateModel(
            name='ContestAnswer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('usage_id', models.CharField(max_length=255)),
                ('response', models.JSONField(default=list)),
                ('is_correct', models.BooleanField(default=False)),
                ('points', models.FloatField(default=0)),
                ('answered', models.DateTimeField()),
                ('attempt', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='answers', to='party_training.contestattempt')),
                ('question', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='contest_answers', to='party_training.question')),
            ],
            options={
                'verbose_name': 'contest answer',
                'verbose_name_plural': 'contest answers',
            },
        ),
        migrations.CreateModel(
            name='QuestionBank',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(help_text='Contests refer to the bank by this code, so it must not change once used.', max_length=64, unique=True, verbose_name='code')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('course_id', models.CharField(blank=True, db_index=True, help_text='Leave empty for a bank shared by the whole site.', max_length=255, verbose_name='course')),
                ('created', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('modified', models.DateTimeField(auto_now=True, verbose_name='modified')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
            ],
            options={
                'verbose_name': 'question bank',
                'verbose_name_plural': 'question banks',
                'ordering': ['name'],
            },
        ),
        migrations.AddField(
            model_name='question',
            name='bank',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='questions', to='party_training.questionbank', verbose_name='bank'),
        ),
        migrations.AddIndex(
            model_name='contestattempt',
            index=models.Index(fields=['usage_id', 'status', 'finished'], name='party_attempt_usage_status'),
        ),
        migrations.AddIndex(
            model_name='contestattempt',
            index=models.Index(fields=['status', 'deadline'], name='party_attempt_overdue'),
        ),
        migrations.AddConstraint(
            model_name='contestattempt',
            constraint=models.UniqueConstraint(fields=('user', 'usage_id', 'open_slot'), name='party_attempt_one_open'),
        ),
        migrations.AddConstraint(
            model_name='contestattempt',
            constraint=models.UniqueConstraint(fields=('user', 'usage_id', 'number'), name='party_attempt_number'),
        ),
        migrations.AddIndex(
            model_name='contestresult',
            index=models.Index(fields=['usage_id', '-total', 'duration_ms'], name='party_result_rank'),
        ),
        migrations.AddIndex(
            model_name='contestresult',
            index=models.Index(fields=['usage_id', 'organization', 'total'], name='party_result_branch'),
        ),
        migrations.AddConstraint(
            model_name='contestresult',
            constraint=models.UniqueConstraint(fields=('usage_id', 'user'), name='party_result_once'),
        ),
        migrations.AddIndex(
            model_name='contestanswer',
            index=models.Index(fields=['usage_id', 'answered'], name='party_answer_usage_time'),
        ),
        migrations.AddIndex(
            model_name='contestanswer',
            index=models.Index(fields=['usage_id', 'question', 'is_correct'], name='party_answer_usage_question'),
        ),
        migrations.AddConstraint(
            model_name='contestanswer',
            constraint=models.UniqueConstraint(fields=('attempt', 'question'), name='party_answer_once'),
        ),
        migrations.AddIndex(
            model_name='question',
            index=models.Index(fields=['bank', 'active', 'category', 'difficulty'], name='party_question_draw'),
        ),
        migrations.AddConstraint(
            model_name='question',
            constraint=models.UniqueConstraint(fields=('bank', 'fingerprint'), name='party_question_unique_in_bank'),
        ),
        migrations.CreateModel(
            name='ContestScoreCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('usage_id', models.CharField(max_length=255)),
                ('total', models.FloatField()),
                ('count', models.IntegerField(default=0)),
            ],
            options={
                'verbose_name': 'contest score count',
                'verbose_name_plural': 'contest score counts',
                'constraints': [models.UniqueConstraint(fields=('usage_id', 'total'), name='party_score_count_once')],
            },
        ),

        migrations.CreateModel(
            name='ContestExport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('usage_id', models.CharField(max_length=255, verbose_name='contest')),
                ('course_id', models.CharField(max_length=255, verbose_name='course')),
                ('status', models.CharField(choices=[('pending', 'Waiting'), ('running', 'Running'), ('done', 'Ready'), ('failed', 'Failed')], default='pending', max_length=10, verbose_name='status')),
                ('total', models.PositiveIntegerField(default=0)),
                ('done', models.PositiveIntegerField(default=0)),
                ('file_name', models.CharField(blank=True, max_length=255)),
                ('error', models.CharField(blank=True, max_length=500)),
                ('created', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('finished', models.DateTimeField(blank=True, null=True, verbose_name='finished')),
                ('requested_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='requested by')),
            ],
            options={
                'verbose_name': 'contest results export',
                'verbose_name_plural': 'contest results exports',
                'indexes': [models.Index(fields=['usage_id', 'created'], name='party_contest_export_usage')],
            },
        ),
    ]

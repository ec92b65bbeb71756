"""URLs of the plugin, mounted by the platform under ``party-training/`` (namespace party_training)."""
from django.urls import include, path, re_path

from . import views
from . import views_contest
from . import views_writing

app_name = "party_training"

urlpatterns = [
    path("my/", views.learning_file, name="learning_file"),
    path("api/v1/", include("party_training.edx_plugin.api.urls")),
    path("contest/banks/", views_contest.banks, name="contest_banks"),
    path("contest/banks/template.xlsx", views_contest.bank_template, name="contest_bank_template"),
    path("contest/banks/<int:bank_id>/", views_contest.bank_detail, name="contest_bank"),
    path("contest/banks/<int:bank_id>/import/", views_contest.bank_import, name="contest_bank_import"),
    path("contest/banks/<int:bank_id>/export.xlsx", views_contest.bank_export, name="contest_bank_export"),
    re_path(r"^contest/(?P<usage_id>[^/]+)/live/$", views_contest.live, name="contest_live"),
    re_path(r"^contest/(?P<usage_id>[^/]+)/live\.json$", views_contest.live_data, name="contest_live_data"),
    re_path(r"^contest/(?P<usage_id>[^/]+)/results\.xlsx$", views_contest.results_export,
            name="contest_results_export"),
    re_path(r"^contest/(?P<usage_id>[^/]+)/reset/$", views_contest.reset, name="contest_reset"),
    path("contest/exports/<int:export_id>/", views_contest.export_download, name="contest_export_download"),
    path("writing/<str:course_id>/", views_writing.grading_queue, name="grading_queue"),
    path("writing/<str:course_id>/piece/<int:pk>/", views_writing.grade_piece, name="grade_piece"),
    path("writing/<str:course_id>/near-copy/<int:pk>/", views_writing.near_copy, name="writing_near_copy"),
    path("writing/<str:course_id>/grades.xlsx", views_writing.export_grades, name="writing_export"),
    path("writing/<str:course_id>/jobs/<str:kind>/", views_writing.start_job, name="writing_start_job"),
    path("writing/<str:course_id>/job/<int:pk>/", views_writing.job_status, name="writing_job"),
    path("writing/<str:course_id>/job/<int:pk>/download/", views_writing.job_download, name="writing_job_download"),
    path("writing/<str:course_id>/contest/<int:pk>/", views_writing.contest_panel, name="writing_contest"),
]

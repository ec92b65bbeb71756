"""Pages of writing assignments (writing_assignment): the grading queue, a piece, near-copies,
exports, jobs, the judges' panel."""
from django.urls import path

from . import views

urlpatterns = [
    path("writing/<str:course_id>/", views.grading_queue, name="grading_queue"),
    path("writing/<str:course_id>/piece/<int:pk>/", views.grade_piece, name="grade_piece"),
    path("writing/<str:course_id>/near-copy/<int:pk>/", views.near_copy, name="writing_near_copy"),
    path("writing/<str:course_id>/grades.xlsx", views.export_grades, name="writing_export"),
    path("writing/<str:course_id>/jobs/<str:kind>/", views.start_job, name="writing_start_job"),
    path("writing/<str:course_id>/job/<int:pk>/", views.job_status, name="writing_job"),
    path("writing/<str:course_id>/job/<int:pk>/download/", views.job_download, name="writing_job_download"),
    path("writing/<str:course_id>/contest/<int:pk>/", views.contest_panel, name="writing_contest"),
]

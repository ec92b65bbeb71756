"""Pages of case discussions (case_discussion): the course's discussions and their exports."""
from django.urls import path

from . import views

urlpatterns = [
    path("case/<str:course_id>/", views.course_page, name="case_discussions"),
    path("case/<str:course_id>/<int:pk>/export.xlsx", views.export, name="case_discussion_export"),
    path("case/<str:course_id>/export/<int:job_id>/", views.export_download, name="case_discussion_export_file"),
]

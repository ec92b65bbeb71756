"""Pages of compliance (compliance): the drill-down, the member export and its download."""
from django.urls import path

from . import views

urlpatterns = [
    path("compliance/", views.tree, name="compliance"),
    path("compliance/export/", views.export, name="compliance_export"),
    path("compliance/export/<int:job_id>/", views.export_download, name="compliance_export_file"),
]

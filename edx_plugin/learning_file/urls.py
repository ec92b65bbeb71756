"""Pages of the learning file (learning_file)."""
from django.urls import path

from . import views

urlpatterns = [
    path("my/", views.learning_file, name="learning_file"),
    path("my/print/", views.print_page, name="learning_file_print"),
    path("my/file.xlsx", views.xlsx, name="learning_file_xlsx"),
    path("my/self-study/", views.self_study_add, name="self_study_add"),
    path("my/self-study/<int:pk>/", views.self_study_edit, name="self_study_edit"),
    path("my/self-study/<int:pk>/delete/", views.self_study_delete, name="self_study_delete"),
    path("file/<str:username>/", views.learning_file, name="member_file"),
    path("file/<str:username>/print/", views.print_page, name="member_file_print"),
    path("file/<str:username>/file.xlsx", views.xlsx, name="member_file_xlsx"),
]

"""Pages of menu-based selection (menu_selection): the course's menus, a menu's staff page, its
export, moves, allocation runs and their results."""
from django.urls import path

from . import views

urlpatterns = [
    path("menu/<str:course_id>/", views.course_menus, name="menu_course"),
    path("menu/<str:course_id>/<int:pk>/", views.menu_page, name="menu_page"),
    path("menu/<str:course_id>/<int:pk>/export.xlsx", views.export_menu, name="menu_export"),
    path("menu/<str:course_id>/<int:pk>/action/", views.menu_action, name="menu_action"),
    path("menu/<str:course_id>/<int:pk>/allocation/<int:job>/", views.allocation_page, name="menu_allocation"),
    path("menu/<str:course_id>/<int:pk>/allocation/<int:job>/status/", views.allocation_status,
         name="menu_allocation_status"),
]

"""Pages of knowledge contests (knowledge_contest): question banks, the live view, results exports, resets."""
from django.urls import path, re_path

from . import views

urlpatterns = [
    path("contest/join/", views.join, name="contest_join"),
    path("contest/games/<int:game_id>/state.json", views.game_state, name="contest_game_state"),
    path("contest/banks/", views.banks_page, name="contest_banks"),
    path("contest/banks/template.xlsx", views.bank_template, name="contest_bank_template"),
    path("contest/banks/<int:bank_id>/", views.bank_detail, name="contest_bank"),
    path("contest/banks/<int:bank_id>/import/", views.bank_import, name="contest_bank_import"),
    path("contest/banks/<int:bank_id>/export.xlsx", views.bank_export, name="contest_bank_export"),
    re_path(r"^contest/(?P<usage_id>[^/]+)/live/$", views.live, name="contest_live"),
    re_path(r"^contest/(?P<usage_id>[^/]+)/live\.json$", views.live_data, name="contest_live_data"),
    re_path(r"^contest/(?P<usage_id>[^/]+)/results\.xlsx$", views.results_export, name="contest_results_export"),
    re_path(r"^contest/(?P<usage_id>[^/]+)/reset/$", views.reset, name="contest_reset"),
    path("contest/exports/<int:export_id>/", views.export_download, name="contest_export_download"),
]

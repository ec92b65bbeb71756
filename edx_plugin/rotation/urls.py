"""Pages of rotation training (rotation): programs, classes, sessions, roll call, sign-in, needs
surveys and the lecturer pool."""
from django.urls import path

from .views import attendance, choices, lecturers, programs, surveys

urlpatterns = [
    path("rotation/", programs.programs_page, name="rotation_programs"),
    path("rotation/program/<int:pk>/", programs.program_page, name="rotation_program"),
    path("rotation/program/<int:pk>/action/", programs.program_action, name="rotation_program_action"),
    path("rotation/program/<int:pk>/export.xlsx", programs.program_export, name="rotation_program_export"),
    path("rotation/my/", attendance.my_rotation, name="rotation_my"),
    path("rotation/session/<int:pk>/", attendance.session_page, name="rotation_session"),
    path("rotation/session/<int:pk>/roll-call/", attendance.roll_call_page, name="rotation_roll_call"),
    path("rotation/session/<int:pk>/mark/", attendance.mark, name="rotation_mark"),
    path("rotation/session/<int:pk>/code/", attendance.session_code, name="rotation_code"),
    path("rotation/session/<int:pk>/attendance.xlsx", attendance.attendance_template, name="rotation_attendance_xlsx"),
    path("rotation/surveys/", surveys.surveys_page, name="rotation_surveys"),
    path("rotation/survey/<int:pk>/", surveys.survey_page, name="rotation_survey"),
    path("rotation/survey/<int:pk>/export.xlsx", surveys.survey_export, name="rotation_survey_export"),
    path("rotation/survey/<int:pk>/answer/", surveys.answer_page, name="rotation_survey_answer"),
    path("rotation/lecturers/", lecturers.lecturers_page, name="rotation_lecturers"),
    path("rotation/lecturers/export.xlsx", lecturers.lecturers_export, name="rotation_lecturers_export"),
    path("rotation/lecturers/<int:pk>/", lecturers.lecturer_page, name="rotation_lecturer"),
    path("rotation/choices/organizations/", choices.organizations, name="rotation_choose_organizations"),
    path("rotation/choices/lecturers/", choices.lecturers, name="rotation_choose_lecturers"),
]

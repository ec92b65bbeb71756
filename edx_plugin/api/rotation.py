"""REST API v1 of rotation training (rotation): programs, classes, sessions and attendance, over the
area's rules (the same checks as its pages).

Roles: every endpoint needs a signed-in user. Staff (site admins; organisation admins for programs run
by their subtree) see and manage their programs; a learner sees the programs, classes and sessions
they have a seat in and their own attendance, and signs in with the code. Creating a program, marking
attendance: staff only (403 for learners). A row outside the caller's scope answers 404.
"""
from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response

from ..core.errors import RuleError
from ..core.permissions import visible_members
from ..rotation import attendance as attendance_rules
from ..rotation.access import is_rotation_staff, managed_programs
from ..rotation.models import Attendance, ClassSeat, TrainingClass, TrainingProgram, TrainingSession
from ..rotation.programs import create_program, form_values, update_program
from ..rotation.sessions import expected_seats, lecturer_of, sessions_of_learner
from ..rotation.summary import rates
from .views import APIMixin, id_param


class ProgramSerializer(serializers.ModelSerializer):
    organization = serializers.IntegerField(source="organization_id", read_only=True)
    roots = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    categories = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")

    class Meta:
        model = TrainingProgram
        fields = ["id", "name", "year", "season", "kind", "organization", "roots", "categories", "required_hours",
                  "starts", "ends", "credit_present", "credit_late", "credit_left_early", "credit_excused",
                  "sign_in_margin", "late_after"]
        read_only_fields = fields


class ProgramInputSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """What a new program needs; checked by the area's rule, which answers in the caller's language."""

    name = serializers.CharField(max_length=200)
    year = serializers.IntegerField()
    season = serializers.ChoiceField(choices=["spring", "winter", "other"], required=False)
    kind = serializers.ChoiceField(choices=["secretaries", "members", "new_members", "cadres", "other"], required=False)
    organization = serializers.IntegerField()
    roots = serializers.ListField(child=serializers.IntegerField(), required=False)
    categories = serializers.ListField(child=serializers.CharField(), required=False)
    required_hours = serializers.CharField()
    starts = serializers.CharField()
    ends = serializers.CharField()
    credit_present = serializers.IntegerField(required=False)
    credit_late = serializers.IntegerField(required=False)
    credit_left_early = serializers.IntegerField(required=False)
    credit_excused = serializers.IntegerField(required=False)
    sign_in_margin = serializers.IntegerField(required=False)
    late_after = serializers.IntegerField(required=False)


class RateSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """One class's or branch's figures: members seated, seats expected at held sessions, attended."""

    name = serializers.CharField()
    members = serializers.IntegerField()
    expected = serializers.IntegerField()
    attended = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)


class SummarySerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """A program's attendance rates (percent of expected seats present, late or leaving early)."""

    overall = serializers.FloatField(allow_null=True)
    held = serializers.IntegerField()
    classes = RateSerializer(many=True)
    branches = RateSerializer(many=True)


class ClassSerializer(serializers.ModelSerializer):
    program = serializers.IntegerField(source="program_id", read_only=True)

    class Meta:
        model = TrainingClass
        fields = ["id", "program", "name", "capacity", "seated"]
        read_only_fields = fields


class SessionSerializer(serializers.ModelSerializer):
    program = serializers.IntegerField(source="program_id", read_only=True)
    training_class = serializers.IntegerField(source="training_class_id", read_only=True, allow_null=True)
    lecturer = serializers.IntegerField(source="lecturer_id", read_only=True, allow_null=True)
    lecturer_label = serializers.SerializerMethodField()

    class Meta:
        model = TrainingSession
        fields = ["id", "program", "training_class", "topic", "starts", "ends", "place", "mode", "hours", "lecturer",
                  "lecturer_label", "link"]
        read_only_fields = fields

    def get_lecturer_label(self, session) -> str:
        return lecturer_of(session)


class AttendanceSerializer(serializers.ModelSerializer):
    session = serializers.IntegerField(source="session_id", read_only=True)
    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = Attendance
        fields = ["id", "session", "username", "status", "reason", "method", "credited", "marked_at"]
        read_only_fields = fields


class MarkSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    session = serializers.IntegerField()
    username = serializers.CharField(max_length=150)
    status = serializers.ChoiceField(choices=["present", "late", "left_early", "excused", "absent"])
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)


class SignInSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    code = serializers.CharField(max_length=20)


def _refused(exc: RuleError) -> Response:
    return Response(exc.as_dict(), status=exc.status)


def _programs(user):
    if is_rotation_staff(user):
        return managed_programs(user)
    return TrainingProgram.objects.filter(pk__in=ClassSeat.objects.filter(user=user).values("program_id"))


class ProgramViewSet(APIMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """``rotation/programs/`` (list, create), ``rotation/programs/<id>/`` (read; PUT/PATCH change it, staff)
    and ``.../summary/`` (staff)."""

    serializer_class = ProgramSerializer

    def get_queryset(self):
        return _programs(self.request.user).prefetch_related("roots", "categories").order_by("-year", "pk")

    def get_serializer_class(self):
        return ProgramInputSerializer if self.action in ("create", "update", "partial_update") else ProgramSerializer

    def create(self, request, *args, **kwargs):
        if not is_rotation_staff(request.user):
            raise PermissionDenied(_("Only training staff can create programs."))
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = {k: (v if isinstance(v, list) else str(v)) for k, v in data.validated_data.items()}
        try:
            program = create_program(request.user, values)
        except RuleError as exc:
            return _refused(exc)
        return Response(ProgramSerializer(program).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        """PUT and PATCH alike: the fields sent change, the others stay (the same rule as the program page)."""
        if not is_rotation_staff(request.user):
            raise PermissionDenied(_("Only training staff can change programs."))
        program = self.get_object()
        data = self.get_serializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = form_values(program)
        values.update({k: ([str(x) for x in v] if isinstance(v, list) else str(v))
                       for k, v in data.validated_data.items()})
        try:
            program = update_program(request.user, program, values)
        except RuleError as exc:
            return _refused(exc)
        return Response(ProgramSerializer(program).data)

    @action(detail=True, serializer_class=SummarySerializer)
    def summary(self, request, pk=None):  # pylint: disable=unused-argument
        """Attendance rates per class and branch (staff only)."""
        if not is_rotation_staff(request.user):
            raise PermissionDenied(_("Only training staff can see the summary."))
        figures = rates(self.get_object())
        return Response(SummarySerializer({"overall": figures["overall"], "held": figures["held"],
                                           "classes": figures["classes"], "branches": figures["branches"]}).data)


class ClassViewSet(APIMixin, viewsets.ReadOnlyModelViewSet):
    """``rotation/classes/?program=<id>``: classes of the caller's programs."""

    serializer_class = ClassSerializer

    def get_queryset(self):
        rows = TrainingClass.objects.filter(program__in=_programs(self.request.user)).order_by("program_id", "position", "pk")
        program = id_param(self.request, "program")
        return rows.filter(program_id=program) if program is not None else rows


class SessionViewSet(APIMixin, viewsets.ReadOnlyModelViewSet):
    """``rotation/sessions/?program=<id>`` and ``rotation/sessions/<id>/sign-in/`` (a learner, with the code)."""

    serializer_class = SessionSerializer

    def get_queryset(self):
        user = self.request.user
        if is_rotation_staff(user):
            rows = TrainingSession.objects.filter(program__in=managed_programs(user)) | sessions_of_learner(user)
        else:
            rows = sessions_of_learner(user)
        rows = rows.select_related("lecturer").order_by("starts", "pk").distinct()
        program = id_param(self.request, "program")
        return rows.filter(program_id=program) if program is not None else rows

    @action(detail=True, methods=["post"], url_path="sign-in", serializer_class=SignInSerializer)
    def sign_in(self, request, pk=None):  # pylint: disable=unused-argument
        session = self.get_object()
        data = SignInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            row, _changed = attendance_rules.sign_in(session, request.user, data.validated_data["code"])
        except RuleError as exc:
            return _refused(exc)
        return Response(AttendanceSerializer(row).data)


class AttendanceViewSet(APIMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """``rotation/attendance/?session=<id>`` (staff: their programs' sessions; learners: their own) and
    POST (staff mark a learner: session, username, status, reason)."""

    serializer_class = AttendanceSerializer

    def get_queryset(self):
        user = self.request.user
        own = Q(user=user)
        if is_rotation_staff(user):
            own |= Q(session__program__in=managed_programs(user))
        rows = Attendance.objects.filter(own).select_related("user").order_by("session_id", "pk")
        session = id_param(self.request, "session")
        return rows.filter(session_id=session) if session is not None else rows

    def get_serializer_class(self):
        return MarkSerializer if self.action == "create" else AttendanceSerializer

    def create(self, request, *args, **kwargs):
        if not is_rotation_staff(request.user):
            raise PermissionDenied(_("Only training staff can mark attendance."))
        data = MarkSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        session = TrainingSession.objects.filter(pk=values["session"], program__in=managed_programs(request.user)).first()
        if session is None:
            raise NotFound(_("No such session."))
        member = visible_members(request.user).filter(user__username=values["username"]).first()
        if member is None or not expected_seats(session).filter(user_id=member.user_id).exists():
            raise ValidationError({"username": [_("This member is not in a class of this session.")]})
        try:
            row, _changed = attendance_rules.set_status(session, member.user_id, values["status"],
                                                        method=Attendance.Method.API, by=request.user,
                                                        reason=values.get("reason", ""))
        except RuleError as exc:
            return _refused(exc)
        return Response(AttendanceSerializer(row).data, status=status.HTTP_201_CREATED)

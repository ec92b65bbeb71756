"""Serializers of REST API v1 (api; read-only: the API reports; writes go through pages, blocks and the admin).

Numbers have one format: hours are decimals with two places, as strings ("32.00"), everywhere."""
from rest_framework import serializers

from ..core.models import HourEntry, MemberProfile, Organization
from ..core.registry import registry


def ledger_line_activity(entry) -> tuple[str, str]:
    """(name, link) of the activity behind a ledger line, as its area registered them (a correction
    names the line it corrects)."""
    shown = entry.reverses if entry.reverses_id and entry.reverses is not None else entry
    source = registry.ledger_source(shown.source_kind)
    link = source.link(shown) if source and source.link else ""
    return shown.note or entry.note, link or ""


class OrganizationSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display")
    parent = serializers.IntegerField(source="parent_id")

    class Meta:
        model = Organization
        fields = ["id", "code", "name", "kind", "kind_display", "parent", "depth"]
        read_only_fields = fields


class OrganizationBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "code", "name"]
        read_only_fields = fields


class MemberSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username")
    organization = OrganizationBriefSerializer()
    # Category codes; the list view prefetches them, so this costs no query per member.
    categories = serializers.SerializerMethodField()

    class Meta:
        model = MemberProfile
        fields = ["username", "full_name", "organization", "categories", "join_date", "position"]
        read_only_fields = fields

    def get_categories(self, profile: MemberProfile) -> list[str]:
        return sorted(category.code for category in profile.categories.all())


class SourceHoursSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    source = serializers.CharField()
    label = serializers.CharField()
    hours = serializers.DecimalField(max_digits=9, decimal_places=2)


class HoursSummarySerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """``core.ledger.HoursSummary``: the year's total against the member's yearly requirement."""

    year = serializers.IntegerField()
    total = serializers.DecimalField(max_digits=9, decimal_places=2)
    required = serializers.DecimalField(max_digits=9, decimal_places=2)
    remaining = serializers.DecimalField(max_digits=9, decimal_places=2)
    percent = serializers.IntegerField()
    met = serializers.BooleanField()
    by_source = serializers.SerializerMethodField()

    def get_by_source(self, summary) -> list[dict]:
        rows = [{"source": kind, "label": label, "hours": hours} for kind, label, hours in summary.by_source]
        return SourceHoursSerializer(rows, many=True).data


class HourEntrySerializer(serializers.ModelSerializer):
    """A ledger line; ``activity`` names the activity that earned it and ``link`` is its page ("" when none)."""

    source = serializers.CharField(source="source_kind")
    hours = serializers.DecimalField(max_digits=9, decimal_places=2)
    activity = serializers.SerializerMethodField()
    link = serializers.SerializerMethodField()
    source_label = serializers.CharField(source="get_source_kind_display")
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    reverses = serializers.IntegerField(source="reverses_id")

    class Meta:
        model = HourEntry
        fields = ["id", "year", "date", "hours", "source", "source_label", "source_ref", "course_id", "usage_id",
                  "note", "activity", "link", "recorded_by", "reverses", "created"]
        read_only_fields = fields

    def get_activity(self, entry) -> str:
        return ledger_line_activity(entry)[0]

    def get_link(self, entry) -> str:
        return ledger_line_activity(entry)[1]


class ComplianceRowSerializer(serializers.ModelSerializer):
    """One organisation with the compliance figures of its whole subtree (set by the view as ``row``)."""

    parent = serializers.IntegerField(source="parent_id")
    members = serializers.IntegerField(source="row.members")
    compliant = serializers.IntegerField(source="row.compliant")
    percent = serializers.FloatField(source="row.percent")

    class Meta:
        model = Organization
        fields = ["id", "code", "name", "kind", "parent", "depth", "members", "compliant", "percent"]
        read_only_fields = fields

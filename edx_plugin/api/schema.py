"""How API v1 describes itself (api): drf-spectacular's AutoSchema with each view's translated
``description``, and ``documented``, which annotates a method whatever the site's DEFAULT_SCHEMA_CLASS."""
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import extend_schema


class PartyAutoSchema(AutoSchema):
    """drf-spectacular's schema, describing each endpoint with its view's translated ``description``."""

    def get_description(self):
        description = getattr(self.view, "description", "")
        return str(description) if description else super().get_description()


def documented(**kwargs):
    """``extend_schema`` on a method, with drf-spectacular's schema class whatever the platform configures."""
    def decorator(method):
        method.kwargs = {**getattr(method, "kwargs", {}), "schema": PartyAutoSchema}
        return extend_schema(**kwargs)(method)
    return decorator

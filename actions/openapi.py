"""OpenAPI (drf-spectacular) for actions: one operation per action, from serializers."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter


class ActionSchema(AutoSchema):
    """Describe an ActionView by the action it serves."""

    @property
    def action(self):
        return getattr(self.view, "action", None)

    def get_operation_id(self):
        return self.action.name if self.action else super().get_operation_id()

    def get_description(self):
        return self.action.description if self.action else super().get_description()

    def get_tags(self):
        if self.action is None:
            return super().get_tags()
        return ["actions", *self.action.tags]

    def get_request_serializer(self):
        if self.action is None or self.action.read_only:
            return super().get_request_serializer()
        return self.action.input

    def get_response_serializers(self):
        if self.action is None:
            return super().get_response_serializers()
        return self.action.output or OpenApiTypes.OBJECT

    def get_override_parameters(self):
        if self.action is None or not self.action.read_only:
            return super().get_override_parameters()
        return [
            OpenApiParameter(
                name=name,
                type=OpenApiTypes.STR,
                location=OpenApiParameter.QUERY,
                required=field.required,
                description=str(field.help_text or ""),
            )
            for name, field in self.action.input().fields.items()
        ]

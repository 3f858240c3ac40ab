"""JSON Schema from a DRF serializer: what agents receive as a tool's parameters."""

from rest_framework import fields, serializers

_STRING_FORMATS = {
    fields.EmailField: "email",
    fields.URLField: "uri",
    fields.UUIDField: "uuid",
    fields.DateTimeField: "date-time",
    fields.DateField: "date",
    fields.TimeField: "time",
}


def serializer_schema(serializer_class) -> dict:
    """The JSON Schema (draft 2020-12) of the serializer's writable fields."""
    serializer = serializer_class()
    properties, required = {}, []
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        properties[name] = field_schema(field)
        if field.required:
            required.append(name)
    schema = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        schema["required"] = required
    return schema


def output_schema(serializer_class) -> dict:
    """The JSON Schema of what the serializer produces (every readable field)."""
    serializer = serializer_class()
    return {
        "type": "object",
        "properties": {
            name: field_schema(field)
            for name, field in serializer.fields.items()
            if not field.write_only
        },
    }


def field_schema(field) -> dict:
    if isinstance(field, serializers.Serializer):
        schema = serializer_schema(type(field))
    elif isinstance(field, serializers.ListSerializer):
        schema = {"type": "array", "items": field_schema(field.child)}
    elif isinstance(field, fields.ListField):
        schema = {"type": "array", "items": field_schema(field.child)}
        _bounds(schema, field, "min_length", "minItems", "max_length", "maxItems")
    elif isinstance(field, fields.BooleanField):
        schema = {"type": "boolean"}
    elif isinstance(field, fields.IntegerField):
        schema = {"type": "integer"}
        _bounds(schema, field, "min_value", "minimum", "max_value", "maximum")
    elif isinstance(field, fields.FloatField | fields.DecimalField):
        schema = {"type": "number"}
        _bounds(schema, field, "min_value", "minimum", "max_value", "maximum")
    elif isinstance(field, fields.ChoiceField):
        schema = {"enum": list(field.choices)}
    elif isinstance(field, fields.JSONField | fields.DictField):
        schema = {"type": "object"} if isinstance(field, fields.DictField) else {}
    elif isinstance(field, serializers.PrimaryKeyRelatedField):
        schema = {"type": "integer"}
    else:
        schema = {"type": "string"}
        for field_class, string_format in _STRING_FORMATS.items():
            if isinstance(field, field_class):
                schema["format"] = string_format
        if isinstance(field, fields.CharField):
            _bounds(schema, field, "min_length", "minLength", "max_length", "maxLength")
    if getattr(field, "allow_null", False):
        schema = {"anyOf": [schema, {"type": "null"}]}
    if field.help_text:
        schema["description"] = str(field.help_text)
    if field.default is not fields.empty and not callable(field.default):
        schema["default"] = field.default
    return schema


def _bounds(schema, field, low_attr, low_key, high_attr, high_key):
    low, high = getattr(field, low_attr, None), getattr(field, high_attr, None)
    if low is not None:
        schema[low_key] = low
    if high is not None:
        schema[high_key] = high

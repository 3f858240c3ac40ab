"""JSON Schema (draft 2020-12) from DRF serializers: the one converter.

Agents receive it as a tool's parameters and result (`/api/actions/`); the OpenAPI
document (`actions.openapi`, OpenAPI 3.1, whose schemas are JSON Schema 2020-12) is
built from it too, so the two cannot disagree.

An input schema says what the serializer accepts; an output schema what it
produces. They differ: DRF validates only input (a non-blank string is non-blank
going in, `minLength: 1`; coming out it is whatever the row holds), and it writes
every readable field of an output, so all of them are `required` there.

A field whose values the converter cannot tell from its class (a JSONField that
takes only some JSON) states its schema with drf-spectacular's
`@extend_schema_field({...})`, which is honoured here.
"""

from django.core.validators import RegexValidator
from drf_spectacular.drainage import get_override
from rest_framework import fields, serializers

_STRING_FORMATS = {
    fields.EmailField: "email",
    fields.URLField: "uri",
    fields.UUIDField: "uuid",
    fields.DateTimeField: "date-time",
    fields.DateField: "date",
    fields.TimeField: "time",
}
_JSON_TYPES = {bool: "boolean", int: "integer", float: "number", str: "string"}
_SCALARS = ("string", "integer", "number", "boolean")
INPUT, OUTPUT = "input", "output"


def serializer_schema(serializer_class) -> dict:
    """The JSON Schema of what the serializer accepts: its writable fields, nothing
    else (`additionalProperties: false`)."""
    properties, required = {}, []
    for name, field in _instance(serializer_class).fields.items():
        if field.read_only:
            continue
        properties[name] = field_schema(field)
        if field.required:
            required.append(name)
    schema = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        schema["required"] = required
    return schema


def output_schema(serializer_class, *, many: bool = False) -> dict:
    """The JSON Schema of what the serializer produces: every readable field, always
    present; with `many`, a list of those."""
    readable = {
        name: field
        for name, field in _instance(serializer_class).fields.items()
        if not field.write_only
    }
    schema = {
        "type": "object",
        "properties": {
            name: field_schema(field, direction=OUTPUT)
            for name, field in readable.items()
        },
    }
    if readable:
        schema["required"] = list(readable)
    return {"type": "array", "items": schema} if many else schema


def query_schema(field) -> dict:
    """The JSON Schema of an input field sent as a query parameter: what a query
    string can carry (no null; list items and free-form values arrive as strings)."""
    schema = field_schema(field)
    if "anyOf" in schema:
        not_null, _ = schema.pop("anyOf")
        schema = {**not_null, **schema}
    items = schema.get("items")
    if items is not None and "enum" not in items and items.get("type") not in _SCALARS:
        schema["items"] = {"type": "string"}
    return schema


def field_schema(field, *, direction: str = INPUT) -> dict:
    """The JSON Schema of one field, as input (default) or as output."""
    declared = get_override(field, "field")
    if isinstance(declared, dict):
        schema = dict(declared)
    elif isinstance(field, serializers.Serializer):
        if direction == INPUT:
            schema = serializer_schema(field)
        else:
            schema = output_schema(field)
    elif isinstance(field, serializers.ListSerializer | fields.ListField):
        schema = {
            "type": "array",
            "items": field_schema(field.child, direction=direction),
        }
        _bounds(schema, field, "min_length", "minItems", "max_length", "maxItems")
    elif isinstance(field, fields.DictField):
        child = field_schema(field.child, direction=direction)
        schema = {"type": "object", "additionalProperties": child}
    elif isinstance(field, fields.BooleanField):
        schema = {"type": "boolean"}
    elif isinstance(field, fields.IntegerField):
        schema = {"type": "integer"}
        _bounds(schema, field, "min_value", "minimum", "max_value", "maximum")
    elif isinstance(field, fields.DecimalField) and direction == OUTPUT:
        # Written as a string unless COERCE_DECIMAL_TO_STRING is off.
        schema = {"type": "string"} if field.coerce_to_string else {"type": "number"}
    elif isinstance(field, fields.FloatField | fields.DecimalField):
        schema = {"type": "number"}
        _bounds(schema, field, "min_value", "minimum", "max_value", "maximum")
    elif isinstance(field, fields.MultipleChoiceField):
        schema = {"type": "array", "items": _choices(field), "uniqueItems": True}
    elif isinstance(field, fields.ChoiceField):
        schema = _choices(field)
    elif isinstance(field, serializers.PrimaryKeyRelatedField):
        schema = {"type": "integer"}
    elif isinstance(field, fields.JSONField | fields._UnvalidatedField):
        schema = {}  # any JSON value
    else:
        schema = _string_schema(field, direction)
    if getattr(field, "allow_null", False):
        schema = {"anyOf": [schema, {"type": "null"}]}
    if field.help_text:
        schema["description"] = str(field.help_text)
    default = field.default
    if direction == INPUT and default is not fields.empty and not callable(default):
        schema["default"] = default
    return schema


def _string_schema(field, direction: str) -> dict:
    schema = {"type": "string"}
    for field_class, string_format in _STRING_FORMATS.items():
        if isinstance(field, field_class):
            schema["format"] = string_format
    if direction == INPUT and isinstance(field, fields.CharField):
        # DRF refuses "" unless allow_blank: a non-blank string has a character.
        if least := max(field.min_length or 0, 0 if field.allow_blank else 1):
            schema["minLength"] = least
        if field.max_length is not None:
            schema["maxLength"] = field.max_length
        # A RegexField's own pattern (not a URLValidator's, written for Python only).
        patterns = [v.regex for v in field.validators if type(v) is RegexValidator]
        if patterns:
            schema["pattern"] = patterns[0].pattern
    return schema


def _choices(field) -> dict:
    values = list(field.choices)
    if getattr(field, "allow_blank", False) and "" not in values:
        values.append("")
    types = sorted({_JSON_TYPES.get(type(value), "string") for value in values})
    return {"type": types[0] if len(types) == 1 else types, "enum": values}


def _bounds(schema, field, low_attr, low_key, high_attr, high_key):
    low, high = getattr(field, low_attr, None), getattr(field, high_attr, None)
    if low is not None:
        schema[low_key] = low
    if high is not None:
        schema[high_key] = high


def _instance(serializer):
    return serializer() if isinstance(serializer, type) else serializer

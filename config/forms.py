"""How the project's forms render: through the project's templates, each field as
templates/forms/field.html (label, input, help, then the errors under the input,
where they read as this field's and not the one above)."""

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    field_template_name = "forms/field.html"

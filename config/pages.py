"""How pages report failures, the same on every app's pages: a service's
ApplicationError or a form's errors, as flash messages or next to the form's fields.
(The API's counterpart is the error envelope in `config.errors`.)"""

from django.contrib import messages

from config.errors import ApplicationError


def error_text(error: ApplicationError) -> str:
    """The error as one sentence for a person: its message, then its fields' own."""
    details = [message for messages_ in error.fields.values() for message in messages_]
    return " ".join([error.message, *details]) if details else error.message


def flash_error(request, error: ApplicationError) -> None:
    messages.error(request, error_text(error))


def flash_form_errors(request, form) -> dict | None:
    """The form's cleaned data, or None with each of its errors flashed."""
    if form.is_valid():
        return form.cleaned_data
    for field_errors in form.errors.values():
        for message in field_errors:
            messages.error(request, message)
    return None


def attach_error(form, error: ApplicationError) -> None:
    """Show `error` on the bound `form`: each field's messages next to that field
    (or at the top when the form has no such field), the error's own message at the
    top when it names no field."""
    if not error.fields:
        form.add_error(None, error.message)
    for field, field_errors in error.fields.items():
        for message in field_errors:
            form.add_error(field if field in form.fields else None, message)

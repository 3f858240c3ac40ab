"""Pages report a service's failure one way (`config.pages`), whichever app's page."""

from django import forms

from config.errors import Conflict, InvalidInput, NotFound
from config.pages import attach_error, error_text


class NameForm(forms.Form):
    name = forms.CharField()


def _bound():
    form = NameForm({"name": "laptop"})
    assert form.is_valid()
    return form


def test_field_messages_go_next_to_their_fields():
    form = _bound()
    attach_error(form, Conflict("Taken.", fields={"name": ["Already used."]}))
    assert form.errors == {"name": ["Already used."]}


def test_a_field_the_form_lacks_goes_to_the_top_instead_of_failing():
    form = _bound()
    attach_error(form, InvalidInput(fields={"notebook": ["No such notebook."]}))
    assert form.non_field_errors() == ["No such notebook."]


def test_an_error_without_fields_is_shown_at_the_top():
    form = _bound()
    attach_error(form, NotFound("No such token."))
    assert form.non_field_errors() == ["No such token."]


def test_error_text_carries_the_fields_messages():
    assert error_text(NotFound("No such token.")) == "No such token."
    error = InvalidInput("Not valid.", fields={"a": ["A is wrong."], "b": ["B too."]})
    assert error_text(error) == "Not valid. A is wrong. B too."

"""The site's own forms put each error under its input (config.forms.FormRenderer),
as allauth's pages do, tied to it by aria-describedby and aria-invalid."""

import pytest
from django import forms

from orgs.forms import InviteForm


class Agreement(forms.Form):
    accept = forms.BooleanField(label="I agree")


def test_an_error_follows_its_input():
    form = InviteForm({"email": "not-an-address", "role": "member"})
    html = form.as_div()
    assert html.index('for="id_email"') < html.index('id="id_email"')
    assert html.index('id="id_email"') < html.index('id="id_email_error"')
    widget = html[html.index("<input") : html.index(">", html.index("<input"))]
    assert 'aria-invalid="true"' in widget
    assert "id_email_error" in widget


@pytest.mark.parametrize("render", [str, forms.Form.as_div])
def test_a_checkbox_comes_before_its_label(render):
    html = render(Agreement({}))
    assert html.index('id="id_accept"') < html.index('for="id_accept"')
    assert html.index('for="id_accept"') < html.index('id="id_accept_error"')

"""The example's actions over HTTP: 401 without identity, 400 on bad input with
nothing written, success for a permitted caller, 403 for a role that may not."""

import pytest

from notes.models import Note, Notebook, SharedNote
from scoping.scopes import unscoped
from tests.actions.conftest import dave, erin  # noqa: F401 - fixtures
from tests.actions.every_action import action_tests, framework_state, mcp_tests
from tests.notes.action_cases import CASES

pytestmark = pytest.mark.django_db


def _state():
    with unscoped(reason="test: compare state"):
        return (
            framework_state(),
            sorted(Note.objects.values_list("id", "title", "body", "notebook_id")),
            sorted(Notebook.objects.values_list("id", "name")),
            sorted(
                SharedNote.objects.values_list(
                    "id", "title", "body", "notebook_id", "author_id"
                )
            ),
        )


(
    test_without_identity_401,
    test_permitted_call_succeeds,
    test_invalid_input_400_with_field_errors_and_nothing_written,
    test_forbidden_role_403_and_nothing_written,
) = action_tests(CASES, state=_state)
test_permitted_tool_call_fits_its_output_schema = mcp_tests(CASES)

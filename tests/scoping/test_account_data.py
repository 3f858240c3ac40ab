"""A user's scoped rows are in their data download and go with their account."""

import pytest

from accounts import services as account_services
from accounts.selectors import user_data_export
from scoping.scopes import unscoped
from tests.testapp.models import Folder, Memo

pytestmark = pytest.mark.django_db


def test_the_download_has_every_row_the_user_owns(world):
    data = user_data_export(world.carol)
    titles = [row["title"] for row in data["owned_rows"]["testapp_memo"]]
    assert titles == ["carol's memo"]
    assert "testapp_folder" not in data["owned_rows"]  # shared by the org, not owned


def test_deleting_the_account_deletes_their_private_rows_only(world):
    account_services.user_delete(user=world.carol)
    with unscoped(reason="test"):
        assert sorted(Memo.objects.values_list("title", flat=True)) == [
            "alice's memo",
            "bob's memo",
        ]
        assert Folder.objects.count() == 2

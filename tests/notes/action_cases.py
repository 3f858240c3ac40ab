"""The example's actions, for the checks every action gets (tests/actions/
every_action.py): private notes, notes shared in notebooks, and the notebooks.

The world (tests/notes/conftest.py): Alice owns Acme and shared a note in its
notebook; Carol is a member of Acme; Erin an admin of it; Dave in no org."""

from tests.actions.every_action import Case

CASES = [
    Case(
        "list-notes",
        "alice",
        lambda w: {},
        lambda w, r: (
            [(n["title"], n["visibility"]) for n in r] == [("alice's note", "private")]
        ),
        invalid={"limit": "0"},
        invalid_field="limit",
        forbidden="dave",
    ),
    Case(
        "get-note",
        "alice",
        lambda w: {"id": w.alice_note.pk},
        lambda w, r: r["title"] == "alice's note",
        invalid={"id": "x"},
        invalid_field="id",
        forbidden="dave",
    ),
    Case(
        "create-note",
        "alice",
        lambda w: {"title": "new", "body": "<i>b</i>"},
        lambda w, r: r["title"] == "new" and r["owner_email"] == "alice@acme.test",
        invalid={"title": ""},
        invalid_field="title",
        forbidden="dave",
    ),
    Case(
        "update-note",
        "alice",
        lambda w: {"id": w.alice_note.pk, "title": "changed"},
        lambda w, r: r["title"] == "changed",
        invalid={"id": 1, "title": ""},
        invalid_field="title",
        forbidden="dave",
    ),
    Case(
        "delete-note",
        "alice",
        lambda w: {"id": w.alice_note.pk},
        lambda w, r: r == {"id": w.alice_note.pk, "deleted": True},
        invalid={"id": -1},
        invalid_field="id",
        forbidden="dave",
    ),
    Case(
        "share-note",
        "alice",
        lambda w: {"id": w.alice_note.pk, "notebook": w.acme_book.pk},
        lambda w, r: r["title"] == "alice's note" and r["visibility"] == "shared",
        invalid={"id": "x"},
        invalid_field="id",
        forbidden="dave",
    ),
    Case(
        "list-shared-notes",
        "carol",
        lambda w: {"notebook": w.acme_book.pk},
        lambda w, r: (
            [(n["title"], n["author_email"], n["visibility"]) for n in r]
            == [("alice's shared note", "alice@acme.test", "shared")]
        ),
        invalid={"limit": "0"},
        invalid_field="limit",
        forbidden="dave",
    ),
    Case(
        "get-shared-note",
        "carol",
        lambda w: {"id": w.alice_shared.pk},
        lambda w, r: (
            r["body"] == "<p>For everyone</p>" and r["notebook_name"] == "Acme book"
        ),
        invalid={"id": "x"},
        invalid_field="id",
        forbidden="dave",
    ),
    Case(
        "create-shared-note",
        "carol",
        lambda w: {"title": "Plans", "notebook": w.acme_book.pk},
        lambda w, r: (
            r["author_email"] == "carol@acme.test" and r["visibility"] == "shared"
        ),
        invalid={"title": "No notebook"},
        invalid_field="notebook",
        forbidden="dave",
    ),
    Case(
        "update-shared-note",
        "alice",
        lambda w: {"id": w.alice_shared.pk, "title": "changed"},
        lambda w, r: r["title"] == "changed",
        invalid={"id": 1, "title": ""},
        invalid_field="title",
        forbidden="carol",  # not its author
    ),
    Case(
        "unshare-note",
        "alice",
        lambda w: {"id": w.alice_shared.pk},
        lambda w, r: (
            r["visibility"] == "private" and r["owner_email"] == "alice@acme.test"
        ),
        invalid={"id": 0},
        invalid_field="id",
        forbidden="carol",  # not its author
    ),
    Case(
        "delete-shared-note",
        "erin",  # an admin: anyone's
        lambda w: {"id": w.alice_shared.pk},
        lambda w, r: r == {"id": w.alice_shared.pk, "deleted": True},
        invalid={"id": -1},
        invalid_field="id",
        forbidden="carol",  # a member: only her own
    ),
    Case(
        "list-notebooks",
        "carol",
        lambda w: {},
        lambda w, r: [b["name"] for b in r] == ["Acme book"],
        forbidden="dave",
    ),
    Case(
        "get-notebook",
        "carol",
        lambda w: {"id": w.acme_book.pk},
        lambda w, r: r["name"] == "Acme book",
        invalid={"id": "x"},
        invalid_field="id",
        forbidden="dave",
    ),
    Case(
        "create-notebook",
        "carol",
        lambda w: {"name": "Plans"},
        lambda w, r: r["name"] == "Plans",
        invalid={"name": ""},
        invalid_field="name",
        forbidden="dave",
    ),
    Case(
        "update-notebook",
        "carol",
        lambda w: {"id": w.acme_book.pk, "name": "Ideas"},
        lambda w, r: r["name"] == "Ideas",
        invalid={"id": 1, "name": ""},
        invalid_field="name",
        forbidden="dave",
    ),
    Case(
        "delete-notebook",
        "erin",
        lambda w: {"id": w.acme_book.pk},
        lambda w, r: r["deleted"] is True,
        invalid={"id": "x"},
        invalid_field="id",
        forbidden="carol",  # it holds alice's shared note
    ),
]

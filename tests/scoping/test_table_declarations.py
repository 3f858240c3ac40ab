"""Each app declares its own unscoped and framework tables; the registry only
collects them, and names no app's table itself."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection

from scoping import checks, registry


def _model_tables(app_config) -> set[str]:
    return {
        model._meta.db_table
        for model in app_config.get_models(include_auto_created=True)
    }


def test_the_registry_names_no_app_table():
    source = Path(registry.__file__).read_text()
    named = set(re.findall(r"[a-z0-9]+_[a-z0-9_]+", source))
    tables = {"django_migrations"}
    for app_config in apps.get_app_configs():
        tables |= _model_tables(app_config)
    assert named & tables == set()
    prefixes = {
        f"{app_config.label}_"
        for app_config in apps.get_app_configs()
        if app_config.label != "scoping"
    }
    assert [p for p in prefixes if f'"{p}' in source] == []


def test_each_app_declares_only_its_own_tables():
    for app_config in apps.get_app_configs():
        declared = set(getattr(app_config, registry.UNSCOPED_ATTRIBUTE, ()))
        framework = getattr(app_config, registry.FRAMEWORK_ATTRIBUTE, ())
        if framework != registry.ALL_TABLES:
            declared |= set(framework)
        assert declared <= _model_tables(app_config), app_config.label


def test_the_apps_declarations_are_what_the_registry_collects():
    assert registry.unscoped_tables() == {
        "accounts_auditevent",
        "accounts_oauthgrant",
        "orgs_membership",
        "orgs_invitation",
        "orgs_activeorg",
        "orgs_domainclaim",
        "orgs_memberremoval",
    }
    framework = registry.framework_tables()
    for label in ("accounts", "orgs", "webhooks", "auth", "account", "sessions"):
        assert _model_tables(apps.get_app_config(label)) <= framework, label
    assert "django_migrations" in framework
    for label in ("testapp", "a2a"):
        assert not _model_tables(apps.get_app_config(label)) & framework, label


def test_the_project_adds_its_own_shared_tables(settings):
    settings.SCOPING_UNSCOPED_TABLES = ["shop_rates"]
    assert "shop_rates" in registry.unscoped_tables()
    assert "orgs_membership" in registry.unscoped_tables()


@pytest.mark.django_db
def test_a_table_whose_app_stops_declaring_it_unscoped_is_scoped(monkeypatch):
    before = {table.name for table in registry.scoped_tables(connection)}
    assert "orgs_membership" not in before
    orgs = apps.get_app_config("orgs")
    monkeypatch.setattr(orgs, registry.UNSCOPED_ATTRIBUTE, ("orgs_invitation",))
    after = {table.name for table in registry.scoped_tables(connection)}
    assert after - before == {
        "orgs_membership",
        "orgs_activeorg",
        "orgs_domainclaim",
        "orgs_memberremoval",
    }


@pytest.mark.django_db
def test_check_flags_a_table_neither_scoped_nor_declared(monkeypatch):
    assert checks.check_user_facing_tables_are_scoped(None) == []
    webhooks = apps.get_app_config("webhooks")
    monkeypatch.setattr(webhooks, registry.FRAMEWORK_ATTRIBUTE, ())
    flagged = checks.check_user_facing_tables_are_scoped(None)
    assert [(m.id, "webhooks_webhookevent" in m.msg) for m in flagged] == [
        ("scoping.E002", True)
    ]


@pytest.mark.django_db
def test_check_flags_third_party_tables_once_not_declared(settings):
    settings.SCOPING_FRAMEWORK_APPS = ["admin", "contenttypes", "sessions"]
    flagged = {
        m.msg.split()[1] for m in checks.check_user_facing_tables_are_scoped(None)
    }
    assert {"auth_group", "account_emailaddress", "mfa_authenticator"} <= flagged
    assert "django_session" not in flagged


@pytest.mark.parametrize(
    ("attribute", "value", "ok"),
    [
        (registry.UNSCOPED_ATTRIBUTE, ("orgs_membership",), True),
        (registry.UNSCOPED_ATTRIBUTE, "orgs_membership", False),
        (registry.UNSCOPED_ATTRIBUTE, "__all__", False),
        (registry.FRAMEWORK_ATTRIBUTE, "__all__", True),
        (registry.FRAMEWORK_ATTRIBUTE, ["orgs_organization"], True),
        (registry.FRAMEWORK_ATTRIBUTE, "orgs_organization", False),
        (registry.FRAMEWORK_ATTRIBUTE, (1,), False),
    ],
)
def test_check_refuses_a_declaration_that_is_not_table_names(
    monkeypatch, attribute, value, ok
):
    monkeypatch.setattr(apps.get_app_config("orgs"), attribute, value)
    ids = [m.id for m in checks.check_table_declarations(None)]
    assert ids == ([] if ok else ["scoping.E004"])

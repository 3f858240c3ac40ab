"""An empty URL variable (`DATABASE_URL=`, as a compose file leaves one it has no
value for) counts as unset: its default applies, and where there is none the start
is refused with ImproperlyConfigured naming it, never `KeyError: 'ENGINE'`."""

import json

import pytest

from tests.config.test_production_settings import GOOD
from tests.processes import clean_env, run_python

pytestmark = pytest.mark.slow

SHOW = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'engine': s.DATABASES['default']['ENGINE'], "
    "'name': str(s.DATABASES['default']['NAME']), "
    "'cache': s.CACHES['default']['BACKEND'], 'broker': s.CELERY_BROKER_URL}))"
)
LOCAL = {"DJANGO_SETTINGS_MODULE": "config.settings.local"}


def _local(**env):
    result = run_python(SHOW, clean_env(**LOCAL, **env))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def defaults():
    return _local()


@pytest.mark.parametrize(
    "variable", ["DATABASE_URL", "REDIS_URL", "CACHE_URL", "CELERY_BROKER_URL"]
)
@pytest.mark.parametrize("empty", ["", "  "], ids=["empty", "blank"])
def test_an_empty_url_takes_its_default_locally(defaults, variable, empty):
    assert _local(**{variable: empty}) == defaults


def test_an_empty_url_in_the_environment_lets_the_env_file_fill_it(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text(f"DATABASE_URL=sqlite:///{tmp_path / 'from-file.sqlite3'}\n")
    shown = _local(DATABASE_URL="", DJANGO_ENV_FILE=str(env_file))
    assert shown["name"] == str(tmp_path / "from-file.sqlite3")


def test_an_empty_url_in_the_env_file_takes_its_default(tmp_path, defaults):
    env_file = tmp_path / ".env"
    env_file.write_text("DATABASE_URL=\nCELERY_BROKER_URL=\n")
    assert _local(DJANGO_ENV_FILE=str(env_file)) == defaults


@pytest.mark.parametrize("variable", ["DATABASE_URL", "CELERY_BROKER_URL"])
def test_production_refuses_an_empty_required_url_naming_it(variable):
    result = run_python(
        "import django; django.setup()", clean_env(**{**GOOD, variable: ""})
    )
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1] == (
        "django.core.exceptions.ImproperlyConfigured: "
        f"Set the {variable} environment variable"
    )


def test_production_refuses_empty_cache_urls_naming_them():
    result = run_python(
        "import django; django.setup()",
        clean_env(**{**GOOD, "REDIS_URL": "", "CACHE_URL": ""}),
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "Set REDIS_URL (or CACHE_URL)" in result.stderr

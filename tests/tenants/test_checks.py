import pytest
from django.core.checks import Error, run_checks
from django.test import override_settings

from tenants.checks import check_config_cache

LOCAL_MEMORY = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
POSTGRES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "x"}}
SQLITE = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "x"}}

# The check reads DATABASES only; no connection is opened with these values.
pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")


def ids(errors: list[Error]) -> list[str]:
    return [error.id for error in errors]


def test_check_config_cache_current_settings_pass():
    assert check_config_cache() == []


@override_settings(ENVIRONMENT="production", CACHES=LOCAL_MEMORY, DATABASES=POSTGRES)
def test_check_config_cache_local_memory_in_production_fails():
    errors = check_config_cache()

    assert ids(errors) == ["tenants.E001"]
    assert "REDIS_URL" in errors[0].hint


@pytest.mark.parametrize(
    ("environment", "databases"),
    [("development", POSTGRES), ("production", SQLITE)],
)
def test_check_config_cache_local_memory_allowed(environment, databases):
    with override_settings(
        ENVIRONMENT=environment, CACHES=LOCAL_MEMORY, DATABASES=databases
    ):
        assert check_config_cache() == []


@pytest.mark.parametrize("timeout", [0, -5, None, "3600", True])
def test_check_config_cache_timeout_not_positive_fails(timeout):
    with override_settings(CONFIG_CACHE_TIMEOUT=timeout):
        errors = check_config_cache()

    assert ids(errors) == ["tenants.E002"]
    assert repr(timeout) in errors[0].msg


@override_settings(CONFIG_CACHE_TIMEOUT=0)
def test_check_config_cache_registered_with_django():
    assert "tenants.E002" in ids(run_checks())

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from policies.models import PolicyConfiguration
from tenants.configuration.services import config_set
from tenants.models import HierarchyConfig


@pytest.mark.django_db
def test_config_set_replaces_existing_row(entities):
    company, *_ = entities
    first = config_set(PolicyConfiguration, company, "cancellation", {"fee": "1.00"})

    second = config_set(
        PolicyConfiguration, company, "cancellation", {"hours_before": 5}, ["fee"]
    )

    assert second.pk == first.pk
    assert second.values == {"hours_before": 5.0}
    assert second.locked_keys == ["fee"]
    assert HierarchyConfig.objects.count() == 1


@pytest.mark.django_db
def test_config_set_invalid_value_names_key(entities):
    company, *_ = entities

    with pytest.raises(ValidationError) as caught:
        config_set(PolicyConfiguration, company, "cancellation", {"fee": "-3"})

    assert caught.value.message_dict["values"][0].startswith("fee: ")
    assert not HierarchyConfig.objects.exists()


@pytest.mark.django_db
def test_config_set_unknown_locked_key_rejected(entities):
    company, *_ = entities

    with pytest.raises(ValidationError) as caught:
        config_set(PolicyConfiguration, company, "cancellation", {}, ["hours_beforee"])

    assert caught.value.message_dict["locked_keys"][0].startswith(
        "hours_beforee: not a key of cancellation"
    )
    assert not HierarchyConfig.objects.exists()


@pytest.mark.django_db
def test_config_set_unknown_kind_rejected(entities):
    company, *_ = entities

    with pytest.raises(ValidationError) as caught:
        config_set(PolicyConfiguration, company, "refund", {})

    assert caught.value.message_dict["kind"][0].startswith(
        "'refund' is not a policy kind"
    )
    assert not HierarchyConfig.objects.exists()


def wait_for_lock_waiter(timeout: float = 10) -> bool:
    """Return True once another backend of this database waits for a lock."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.02)
    return False


@pytest.mark.django_db(transaction=True)
def test_config_set_concurrent_first_writes_both_succeed(entities):
    company, *_ = entities
    written = threading.Event()
    release = threading.Event()
    errors: list[Exception] = []

    def first_writer() -> None:
        try:
            with transaction.atomic():
                config_set(
                    PolicyConfiguration, company, "cancellation", {"hours_before": 1}
                )
                written.set()
                release.wait(timeout=10)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    def second_writer() -> None:
        try:
            config_set(
                PolicyConfiguration, company, "cancellation", {"hours_before": 2}
            )
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    first = threading.Thread(target=first_writer)
    second = threading.Thread(target=second_writer)
    first.start()
    assert written.wait(timeout=10)
    second.start()
    waited = wait_for_lock_waiter()
    release.set()
    first.join(timeout=10)
    second.join(timeout=10)

    assert waited is True
    assert errors == []
    rows = PolicyConfiguration.objects.filter(level="company", object_id=company.pk)
    assert [row.values for row in rows] == [{"hours_before": 2.0}]

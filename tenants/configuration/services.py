"""Write configuration through one path that validates and invalidates."""

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from tenants.models import Branch, Company, HierarchyConfig, Service, Staff

Target = Company | Branch | Service | Staff


@transaction.atomic
def config_set(
    model: type[HierarchyConfig],
    target: Target,
    kind: str,
    values: dict,
    locked_keys: Iterable[str] = (),
    enabled: bool = True,
) -> HierarchyConfig:
    """Create or replace the `kind` configuration of `target`.

    Raise ValidationError naming the key when the values do not fit the schema.
    """
    content_type = ContentType.objects.get_for_model(type(target))
    # Locking the target serialises concurrent calls for one entity, so two
    # first writes of a kind cannot both insert and hit the unique constraint.
    list(type(target).objects.select_for_update().filter(pk=target.pk).values("pk"))
    config = (
        model.objects.select_for_update()
        .filter(
            config_family=model.family,
            kind=kind,
            content_type=content_type,
            object_id=target.pk,
        )
        .first()
    )
    if config is None:
        config = model(kind=kind, content_type=content_type, object_id=target.pk)
    config.company_id = target.company_id
    config.values = values
    config.locked_keys = list(locked_keys)
    config.enabled = enabled
    config.full_clean(validate_unique=False)
    config.save()
    return config


def config_delete(config: HierarchyConfig) -> None:
    config.delete()

"""Invalidate cached configuration whenever a row is saved or deleted."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from tenants.configuration.cache import invalidate_on_commit
from tenants.models import HierarchyConfig


@receiver(post_save)
def invalidate_saved(sender, instance, **kwargs) -> None:
    if not isinstance(instance, HierarchyConfig):
        return
    entities = {instance.entity_key}
    previous = getattr(instance, "_loaded_entity_key", None)
    if previous is not None:
        entities.add(previous)
    instance._loaded_entity_key = instance.entity_key
    invalidate_on_commit(entities)


@receiver(post_delete)
def invalidate_deleted(sender, instance, **kwargs) -> None:
    if isinstance(instance, HierarchyConfig):
        invalidate_on_commit({instance.entity_key})

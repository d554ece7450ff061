"""Pick the backend of a channel from settings.NOTIFICATION_BACKENDS."""

from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.utils.module_loading import import_string

from notifications.backends.base import Backend


@cache
def get_backend(channel: str) -> Backend:
    path = settings.NOTIFICATION_BACKENDS.get(channel)
    if not path:
        raise ImproperlyConfigured(
            f"NOTIFICATION_BACKENDS has no backend for channel {channel!r}; add a "
            "dotted path for it."
        )
    return import_string(path)()


def _reset(setting, **kwargs) -> None:
    if setting.startswith(("NOTIFICATION_", "TWILIO_", "EMAIL_")):
        get_backend.cache_clear()


setting_changed.connect(_reset)

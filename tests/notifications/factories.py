from notifications.models import NotificationConfiguration
from tenants.configuration.services import config_set


def notify(target, event: str, locked_keys=(), enabled: bool = True, **values):
    """Configure `event` on `target` through the validating service."""
    return config_set(
        NotificationConfiguration, target, event, values, locked_keys, enabled
    )

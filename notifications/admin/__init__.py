from notifications.admin import configuration, deliveries  # noqa: F401

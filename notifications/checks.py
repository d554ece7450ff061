"""System checks for the delivery backends, so mistakes show at start-up."""

from django.conf import settings
from django.core.checks import Error, register
from django.utils.module_loading import import_string

from notifications.models import Channel

TWILIO_BACKENDS = {
    "notifications.backends.twilio.SmsBackend": "TWILIO_FROM_NUMBER",
    "notifications.backends.twilio.WhatsAppBackend": "TWILIO_WHATSAPP_FROM",
}


@register()
def check_backends(app_configs, **kwargs) -> list[Error]:
    errors = []
    backends = getattr(settings, "NOTIFICATION_BACKENDS", {})
    for channel in Channel.values:
        path = backends.get(channel)
        if not path:
            errors.append(
                Error(
                    f"NOTIFICATION_BACKENDS has no backend for {channel!r}.",
                    hint="Add a dotted path, e.g. "
                    "notifications.backends.development.DevelopmentBackend.",
                    id="notifications.E001",
                )
            )
            continue
        try:
            import_string(path)
        except ImportError as error:
            errors.append(
                Error(
                    f"The {channel} backend {path!r} cannot be imported: {error}.",
                    hint="Fix the dotted path in NOTIFICATION_BACKENDS.",
                    id="notifications.E002",
                )
            )
            continue
        sender = TWILIO_BACKENDS.get(path)
        needed = ["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", sender] if sender else []
        missing = [name for name in needed if not getattr(settings, name, "")]
        if missing:
            errors.append(
                Error(
                    f"The {channel} backend uses Twilio but {', '.join(missing)} "
                    f"{'is' if len(missing) == 1 else 'are'} missing.",
                    hint="Set the variables in the environment or select the "
                    "development backend.",
                    id="notifications.E003",
                )
            )
    return errors

from notifications.checks import check_backends

DEVELOPMENT = "notifications.backends.development.DevelopmentBackend"


def test_checks_pass_with_development_backends():
    assert check_backends(None) == []


def test_checks_report_missing_channel(settings):
    settings.NOTIFICATION_BACKENDS = {
        "email": DEVELOPMENT,
        "sms": DEVELOPMENT,
        "whatsapp": DEVELOPMENT,
    }

    assert [error.id for error in check_backends(None)] == ["notifications.E001"]


def test_checks_report_unimportable_path(settings):
    settings.NOTIFICATION_BACKENDS = {
        "email": "notifications.backends.nowhere.Backend",
        "sms": DEVELOPMENT,
        "whatsapp": DEVELOPMENT,
        "webhook": DEVELOPMENT,
    }

    (error,) = check_backends(None)

    assert error.id == "notifications.E002"
    assert "notifications.backends.nowhere.Backend" in error.msg


def test_checks_report_twilio_without_credentials(settings):
    settings.TWILIO_ACCOUNT_SID = ""
    settings.TWILIO_AUTH_TOKEN = "token"
    settings.TWILIO_FROM_NUMBER = "+15550100000"
    settings.NOTIFICATION_BACKENDS = {
        "email": DEVELOPMENT,
        "sms": "notifications.backends.twilio.SmsBackend",
        "whatsapp": DEVELOPMENT,
        "webhook": DEVELOPMENT,
    }

    (error,) = check_backends(None)

    assert error.id == "notifications.E003"
    assert error.msg == (
        "The sms backend uses Twilio but TWILIO_ACCOUNT_SID is missing."
    )

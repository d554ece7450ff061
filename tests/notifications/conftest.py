import pytest

from notifications.backends.registry import get_backend
from tests.notifications.servers import HttpStub, SmtpStub

DEVELOPMENT = "notifications.backends.development.DevelopmentBackend"


@pytest.fixture(autouse=True)
def development_backends(settings):
    """Record every channel in the database unless a test selects a backend."""
    settings.NOTIFICATION_BACKENDS = {
        "email": DEVELOPMENT,
        "sms": DEVELOPMENT,
        "whatsapp": DEVELOPMENT,
        "webhook": DEVELOPMENT,
    }
    get_backend.cache_clear()
    yield
    get_backend.cache_clear()


@pytest.fixture
def smtp_server(settings):
    with SmtpStub() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.EMAIL_USE_TLS = False
        yield server


@pytest.fixture
def twilio_server(settings):
    with HttpStub() as server:
        settings.TWILIO_ACCOUNT_SID = "AC" + "0" * 32
        settings.TWILIO_AUTH_TOKEN = "test-token"
        settings.TWILIO_FROM_NUMBER = "+15550100000"
        settings.TWILIO_WHATSAPP_FROM = "+15550100001"
        settings.TWILIO_API_BASE_URL = server.url
        settings.TWILIO_TIMEOUT = 1.0
        yield server


@pytest.fixture
def http_server():
    with HttpStub() as server:
        yield server

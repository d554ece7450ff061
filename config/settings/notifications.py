from config.env import env_str

TWILIO_ACCOUNT_SID = env_str("TWILIO_ACCOUNT_SID")
TWILIO_AUTH_TOKEN = env_str("TWILIO_AUTH_TOKEN")
TWILIO_FROM_NUMBER = env_str("TWILIO_FROM_NUMBER")
TWILIO_WHATSAPP_FROM = env_str("TWILIO_WHATSAPP_FROM")
TWILIO_API_BASE_URL = env_str("TWILIO_API_BASE_URL", "https://api.twilio.com")
TWILIO_TIMEOUT = float(env_str("TWILIO_TIMEOUT", "10"))

NOTIFICATION_EMAIL_TIMEOUT = 10.0
NOTIFICATION_WEBHOOK_TIMEOUT = 10.0

_DEVELOPMENT = "notifications.backends.development.DevelopmentBackend"
_TWILIO_READY = bool(TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN)

# Channel name -> dotted path of a class with send(message). Without Twilio
# credentials SMS and WhatsApp are recorded by the development backend.
NOTIFICATION_BACKENDS = {
    "email": "notifications.backends.email.EmailBackend",
    "sms": "notifications.backends.twilio.SmsBackend"
    if _TWILIO_READY and TWILIO_FROM_NUMBER
    else _DEVELOPMENT,
    "whatsapp": "notifications.backends.twilio.WhatsAppBackend"
    if _TWILIO_READY and TWILIO_WHATSAPP_FROM
    else _DEVELOPMENT,
    "webhook": "notifications.backends.webhook.WebhookBackend",
}
if env_str("NOTIFICATION_BACKEND") == "development":
    NOTIFICATION_BACKENDS = dict.fromkeys(NOTIFICATION_BACKENDS, _DEVELOPMENT)

app_name = "integrations"

# Webhook routes are registered here by the integrations app.
urlpatterns: list = []

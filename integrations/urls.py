from django.urls import path

from integrations.views.calcom import calcom_bookings
from integrations.views.retell import retell_events, retell_functions

app_name = "integrations"

# Each URL also matches without its trailing slash, because providers' forms take
# whatever is pasted and APPEND_SLASH cannot redirect a POST without losing it.
urlpatterns = [
    path("retell/<slug:company_slug>/events/", retell_events, name="retell-events"),
    path("retell/<slug:company_slug>/events", retell_events),
    path(
        "retell/<slug:company_slug>/functions/",
        retell_functions,
        name="retell-functions",
    ),
    path("retell/<slug:company_slug>/functions", retell_functions),
    path("calcom/<slug:company_slug>/", calcom_bookings, name="calcom-bookings"),
    path("calcom/<slug:company_slug>", calcom_bookings),
]

"""The 404 response: JSON for machine endpoints, Django's page for the rest."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults

# Paths whose callers (providers' webhooks, load balancers) parse JSON errors.
JSON_PREFIXES = ("/webhooks/", "/healthz")


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith(JSON_PREFIXES):
        return JsonResponse(
            {
                "error": "not_found",
                "message": "No endpoint has this URL; webhook URLs read "
                "/webhooks/retell/<company slug>/events/, "
                "/webhooks/retell/<company slug>/functions/ or "
                "/webhooks/calcom/<company slug>/.",
            },
            status=404,
        )
    return defaults.page_not_found(request, exception)

from django.contrib import admin
from django.urls import include, path

from config.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("webhooks/", include("integrations.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "config.not_found.page_not_found"

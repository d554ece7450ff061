from django.urls import path

from config.urls import urlpatterns as project_urlpatterns
from tests.tenants.admin_site import site

urlpatterns = [
    path("config-admin/", site.urls),
    *project_urlpatterns,
]

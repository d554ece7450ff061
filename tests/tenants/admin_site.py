"""A separate admin site with a policy configuration child admin.

The policy family's own admin lives in its app. Tests of the shared
configuration admin register a minimal child here, so saves, deletes and
target choices go through the real admin views.
"""

from django.contrib.admin import AdminSite

from policies.models import PolicyConfiguration
from tenants.admin.configuration import HierarchyConfigAdmin, HierarchyConfigChildAdmin
from tenants.models import HierarchyConfig

site = AdminSite(name="configadmin")


class PolicyConfigurationChildAdmin(HierarchyConfigChildAdmin):
    base_model = HierarchyConfig


site.register(HierarchyConfig, HierarchyConfigAdmin)
site.register(PolicyConfiguration, PolicyConfigurationChildAdmin)

from tenants.admin import configuration, entities  # noqa: F401 - registers admins

from django.contrib import admin

from callbacks.admin import queue  # noqa: F401 - registers the queue admin

# The index shows the callback dashboard above the app list.
admin.site.index_template = "admin/callbacks/index.html"

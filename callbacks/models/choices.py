from django.db import models


class Priority(models.TextChoices):
    NORMAL = "normal", "Normal"
    HIGH = "high", "High"
    URGENT = "urgent", "Urgent"


# Rank of each priority; merging keeps the higher one.
PRIORITY_RANK = {Priority.NORMAL: 0, Priority.HIGH: 1, Priority.URGENT: 2}


class Status(models.TextChoices):
    PENDING = "pending", "Pending"
    ASSIGNED = "assigned", "Assigned"
    CONTACTED = "contacted", "Contacted"
    COMPLETED = "completed", "Completed"
    EXPIRED = "expired", "Expired"
    CANCELLED = "cancelled", "Cancelled"


# Open requests count against the one-per-phone rule and against staff load.
OPEN_STATUSES = (Status.PENDING, Status.ASSIGNED, Status.CONTACTED)
# Requests nobody has reached yet: they are warned, escalated and expired.
UNREACHED_STATUSES = (Status.PENDING, Status.ASSIGNED)
CLOSED_STATUSES = (Status.COMPLETED, Status.EXPIRED, Status.CANCELLED)


class Source(models.TextChoices):
    PHONE_AGENT = "phone_agent", "Phone agent"
    ADMIN = "admin", "Admin"
    BOOKING_FAILURE = "booking_failure", "Booking failure"

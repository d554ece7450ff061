from django.contrib.contenttypes.fields import GenericRelation
from django.db import models


class Service(models.Model):
    company = models.ForeignKey(
        "tenants.Company", on_delete=models.CASCADE, related_name="services"
    )
    name = models.CharField(max_length=200)
    branches = models.ManyToManyField(
        "tenants.Branch", related_name="services", blank=True
    )
    price = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    duration_minutes = models.PositiveIntegerField(default=30)
    external_event_type = models.CharField(
        max_length=100,
        blank=True,
        help_text="Booking system event type (slug or id) that maps to this service.",
    )

    configurations = GenericRelation("tenants.HierarchyConfig")

    class Meta:
        ordering = ["company", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "name"], name="service_name_unique_per_company"
            )
        ]

    def __str__(self) -> str:
        return self.name

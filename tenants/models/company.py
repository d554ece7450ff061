from django.contrib.contenttypes.fields import GenericRelation
from django.db import models

from tenants.timezones import validate_time_zone


class Company(models.Model):
    """The tenant. Every other row of the product belongs to one company."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    time_zone = models.CharField(
        max_length=64, default="UTC", validators=[validate_time_zone]
    )
    phone_region = models.CharField(
        max_length=2,
        default="US",
        help_text="ISO country code used to read phone numbers written without "
        "a country code.",
    )
    currency = models.CharField(max_length=3, default="USD")
    # Write-only secrets: the admin never renders them back and logs never
    # contain them. They are needed in clear to compute webhook signatures.
    retell_api_key = models.CharField(max_length=200, blank=True)
    calcom_secret = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    configurations = GenericRelation("tenants.HierarchyConfig")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "companies"

    def __str__(self) -> str:
        return self.name

    @property
    def company_id(self) -> int:
        return self.pk

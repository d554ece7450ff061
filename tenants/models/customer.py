from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from tenants.phones import normalize_phone


class ContactChannel(models.TextChoices):
    PHONE = "phone", "Phone call"
    SMS = "sms", "SMS"
    WHATSAPP = "whatsapp", "WhatsApp"
    EMAIL = "email", "Email"


class Customer(models.Model):
    company = models.ForeignKey(
        "tenants.Company", on_delete=models.CASCADE, related_name="customers"
    )
    phone = models.CharField(
        max_length=20, blank=True, help_text="E.164, filled from the raw input."
    )
    phone_raw = models.CharField(max_length=40, blank=True)
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    preferred_channel = models.CharField(
        max_length=10, choices=ContactChannel.choices, default=ContactChannel.PHONE
    )
    language = models.CharField(max_length=10, default="en")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["company", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "phone"],
                condition=~Q(phone=""),
                name="customer_phone_unique_per_company",
            )
        ]
        indexes = [models.Index(fields=["company", "email"])]

    def __str__(self) -> str:
        return self.name or self.phone or self.email or f"customer {self.pk}"

    def clean(self) -> None:
        raw = self.phone_raw or self.phone
        if raw:
            region = self.company.phone_region if self.company_id else "US"
            try:
                self.phone = normalize_phone(raw, region)
            except ValidationError as error:
                raise ValidationError({"phone_raw": error.messages}) from error
            self.phone_raw = raw
            self._check_phone_unique()

    def _check_phone_unique(self) -> None:
        # Forms leave out `phone`, which is derived here, so Django skips the
        # unique constraint on it and a duplicate would fail on insert.
        if not self.company_id:
            return
        holder = (
            Customer.objects.filter(company_id=self.company_id, phone=self.phone)
            .exclude(pk=self.pk)
            .values_list("pk", flat=True)
            .first()
        )
        if holder is not None:
            raise ValidationError(
                {
                    "phone_raw": f"Customer {holder} already has {self.phone} "
                    "in this company."
                }
            )

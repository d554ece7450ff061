from datetime import date
from functools import cached_property

import holidays
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models

from tenants.phones import normalize_phone
from tenants.schedules import validate_weekly_hours
from tenants.timezones import validate_time_zone


class Branch(models.Model):
    company = models.ForeignKey(
        "tenants.Company", on_delete=models.CASCADE, related_name="branches"
    )
    name = models.CharField(max_length=200)
    time_zone = models.CharField(max_length=64, validators=[validate_time_zone])
    opening_hours = models.JSONField(
        default=dict,
        blank=True,
        validators=[validate_weekly_hours],
        help_text='Local hours per weekday, e.g. {"mon": [["09:00", "17:00"]]}.',
    )
    holiday_country = models.CharField(
        max_length=2, blank=True, help_text="ISO country code of public holidays."
    )
    holiday_region = models.CharField(
        max_length=10, blank=True, help_text="Subdivision code, e.g. BY or NY."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    configurations = GenericRelation("tenants.HierarchyConfig")

    class Meta:
        ordering = ["company", "name"]
        verbose_name_plural = "branches"
        constraints = [
            models.UniqueConstraint(
                fields=["company", "name"], name="branch_name_unique_per_company"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # A cleared hours box arrives as None; the column stores {} for no hours.
        if self.opening_hours is None:
            self.opening_hours = {}
        if self.holiday_country:
            try:
                holidays.country_holidays(
                    self.holiday_country, subdiv=self.holiday_region or None
                )
            except NotImplementedError as error:
                raise ValidationError(
                    {
                        "holiday_country": f"{self.holiday_country} is not a "
                        "supported holiday country; use an ISO code such as US or DE."
                    }
                ) from error
            except (KeyError, ValueError) as error:
                raise ValidationError(
                    {
                        "holiday_region": f"{self.holiday_region} is not a region "
                        f"of {self.holiday_country}; leave it empty or use a "
                        "subdivision code."
                    }
                ) from error

    @cached_property
    def _holiday_calendar(self) -> holidays.HolidayBase | None:
        if not self.holiday_country:
            return None
        return holidays.country_holidays(
            self.holiday_country, subdiv=self.holiday_region or None
        )

    def is_holiday(self, day: date) -> bool:
        calendar = self._holiday_calendar
        return calendar is not None and day in calendar


class PhoneLine(models.Model):
    """A phone number Retell serves for a branch, so calls to it belong to it."""

    company = models.ForeignKey(
        "tenants.Company", on_delete=models.CASCADE, related_name="phone_lines"
    )
    branch = models.ForeignKey(
        Branch, on_delete=models.CASCADE, related_name="phone_lines"
    )
    number = models.CharField(max_length=20, unique=True, help_text="E.164 number.")
    label = models.CharField(max_length=100, blank=True)

    def __str__(self) -> str:
        return self.number

    def clean(self) -> None:
        if self.branch_id and self.company_id is None:
            self.company_id = self.branch.company_id
        if self.number:
            region = self.company.phone_region if self.company_id else "US"
            try:
                self.number = normalize_phone(self.number, region)
            except ValidationError as error:
                raise ValidationError({"number": error.messages}) from error
        if self.branch_id and self.branch.company_id != self.company_id:
            raise ValidationError({"branch": "The branch belongs to another company."})

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from tenants.schedules import validate_weekly_hours


class Staff(models.Model):
    company = models.ForeignKey(
        "tenants.Company", on_delete=models.CASCADE, related_name="staff"
    )
    branch = models.ForeignKey(
        "tenants.Branch", on_delete=models.CASCADE, related_name="staff"
    )
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=20, blank=True, help_text="E.164 number.")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff_profile",
    )
    is_active = models.BooleanField(default=True)
    is_manager = models.BooleanField(
        default=False, help_text="Manages the branch and receives its escalations."
    )
    working_hours = models.JSONField(
        default=dict,
        blank=True,
        validators=[validate_weekly_hours],
        help_text='Local hours per weekday, e.g. {"mon": [["09:00", "17:00"]]}.',
    )
    services = models.ManyToManyField(
        "tenants.Service", through="tenants.StaffService", related_name="staff"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    configurations = GenericRelation("tenants.HierarchyConfig")

    class Meta:
        ordering = ["company", "name"]
        verbose_name_plural = "staff"
        constraints = [
            models.UniqueConstraint(
                fields=["company", "email"],
                condition=~Q(email=""),
                name="staff_email_unique_per_company",
            )
        ]
        indexes = [models.Index(fields=["branch", "is_active"])]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # A cleared hours box arrives as None; the column stores {} for no hours.
        if self.working_hours is None:
            self.working_hours = {}
        if self.branch_id and self.company_id is None:
            self.company_id = self.branch.company_id
        if self.branch_id and self.branch.company_id != self.company_id:
            raise ValidationError({"branch": "The branch belongs to another company."})
        if self.phone:
            from tenants.phones import normalize_phone

            region = self.branch.company.phone_region if self.branch_id else "US"
            try:
                self.phone = normalize_phone(self.phone, region)
            except ValidationError as error:
                raise ValidationError({"phone": error.messages}) from error


class StaffService(models.Model):
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE)
    service = models.ForeignKey("tenants.Service", on_delete=models.CASCADE)
    is_expert = models.BooleanField(
        default=False, help_text="Experts are offered the service's callbacks first."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "service"], name="staff_service_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff} - {self.service}"


class StaffAbsence(models.Model):
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="absences")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="absence_ends_after_start",
            )
        ]
        indexes = [models.Index(fields=["staff", "starts_at", "ends_at"])]

    def __str__(self) -> str:
        return f"{self.staff} absent {self.starts_at:%Y-%m-%d}"

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "The absence must end after it starts."})

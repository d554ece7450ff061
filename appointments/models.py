from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    CANCELLED = "cancelled", "Cancelled"
    RESCHEDULED = "rescheduled", "Rescheduled"
    COMPLETED = "completed", "Completed"
    NO_SHOW = "no_show", "No-show"


class AppointmentSource(models.TextChoices):
    ADMIN = "admin", "Admin"
    PHONE_AGENT = "phone_agent", "Phone agent"
    CALCOM = "calcom", "Cal.com"
    IMPORT = "import", "Import"


class Appointment(models.Model):
    """A booked visit of a customer that the policies judge.

    Rescheduling keeps this row as history with status `rescheduled` and books
    a new row that points back to it through `rescheduled_from`.
    """

    company = models.ForeignKey(
        "tenants.Company", on_delete=models.CASCADE, related_name="appointments"
    )
    branch = models.ForeignKey(
        "tenants.Branch", on_delete=models.CASCADE, related_name="appointments"
    )
    service = models.ForeignKey(
        "tenants.Service",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointments",
    )
    staff = models.ForeignKey(
        "tenants.Staff",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointments",
    )
    customer = models.ForeignKey(
        "tenants.Customer", on_delete=models.CASCADE, related_name="appointments"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    price = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, help_text="ISO 4217 code, e.g. USD.")
    status = models.CharField(
        max_length=12,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.BOOKED,
    )
    source = models.CharField(
        max_length=12,
        choices=AppointmentSource.choices,
        default=AppointmentSource.ADMIN,
    )
    external_uid = models.CharField(
        max_length=200,
        blank=True,
        help_text="Booking id in the booking system, e.g. the Cal.com booking uid.",
    )
    rescheduled_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rescheduled_to",
    )
    reschedule_count = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="How many times the booking was moved before reaching this row.",
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "external_uid"],
                condition=~Q(external_uid=""),
                name="appointment_external_uid_unique_per_company",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="appointment_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["customer", "starts_at"]),
            models.Index(fields=["company", "starts_at"]),
            models.Index(fields=["branch", "starts_at"]),
            models.Index(fields=["staff", "starts_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.customer} at {self.starts_at:%Y-%m-%d %H:%M} ({self.status})"

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError(
                {"ends_at": "The appointment must end after it starts."}
            )
        if self.company_id is None and self.branch_id:
            self.company_id = self.branch.company_id
        for name in ("branch", "service", "staff", "customer"):
            related = getattr(self, name) if getattr(self, f"{name}_id") else None
            if related is not None and related.company_id != self.company_id:
                raise ValidationError({name: f"The {name} belongs to another company."})


class ModificationKind(models.TextChoices):
    CANCEL = "cancel", "Cancellation"
    RESCHEDULE = "reschedule", "Reschedule"


class AppointmentModification(models.Model):
    """One cancellation or reschedule that was carried out, with its fee."""

    company = models.ForeignKey(
        "tenants.Company", on_delete=models.CASCADE, related_name="+"
    )
    appointment = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, related_name="modifications"
    )
    customer = models.ForeignKey(
        "tenants.Customer",
        on_delete=models.CASCADE,
        related_name="appointment_modifications",
    )
    kind = models.CharField(max_length=10, choices=ModificationKind.choices)
    occurred_at = models.DateTimeField()
    notice_hours = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        help_text="Hours between the change and the original start.",
    )
    previous_starts_at = models.DateTimeField()
    new_appointment = models.ForeignKey(
        Appointment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The booking that replaced this one, for reschedules.",
    )
    fee_charged = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    currency = models.CharField(max_length=3)
    within_policy = models.BooleanField(
        help_text="False when staff forced a change the policy rejects."
    )
    policy_reason = models.CharField(
        max_length=40, help_text="Reason code of the policy decision."
    )
    actor = models.CharField(
        max_length=200, help_text="Who or what made the change, e.g. phone_agent."
    )
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [
            # The rolling quota counts one customer's changes of one kind.
            models.Index(
                fields=["customer", "kind", "occurred_at"],
                name="modification_quota",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of appointment {self.appointment_id}"

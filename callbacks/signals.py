"""Retry waiting requests when a staff member may have become available."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from tenants.models import Staff, StaffAbsence


def _queue_backlog(branch_id: int) -> None:
    from callbacks.tasks import assign_branch_backlog

    transaction.on_commit(lambda: assign_branch_backlog.delay(branch_id))


@receiver(post_save, sender=Staff, dispatch_uid="callbacks-staff-saved")
def staff_saved(sender, instance: Staff, **kwargs) -> None:
    if instance.is_active:
        _queue_backlog(instance.branch_id)


@receiver(post_delete, sender=StaffAbsence, dispatch_uid="callbacks-absence-deleted")
def absence_deleted(sender, instance: StaffAbsence, **kwargs) -> None:
    # NOTE: an absence that simply runs out sends no signal; the periodic
    # sweep assigns those requests within a minute.
    _queue_backlog(instance.staff.branch_id)

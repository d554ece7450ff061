from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from polymorphic.managers import PolymorphicManager
from polymorphic.models import PolymorphicModel
from polymorphic.query import PolymorphicQuerySet


class ConfigLevel(models.TextChoices):
    """Hierarchy levels, most general first. Resolution merges in this order."""

    COMPANY = "company", "Company"
    BRANCH = "branch", "Branch"
    SERVICE = "service", "Service"
    STAFF = "staff", "Staff"


LEVEL_BY_MODEL = {
    "company": ConfigLevel.COMPANY,
    "branch": ConfigLevel.BRANCH,
    "service": ConfigLevel.SERVICE,
    "staff": ConfigLevel.STAFF,
}


EntityKey = tuple[int, str, int]


class HierarchyConfigQuerySet(PolymorphicQuerySet):
    """Invalidates the resolver cache on bulk writes, which send no signals."""

    def _entity_keys_by_pk(self) -> dict[int, EntityKey]:
        rows = self.non_polymorphic().values_list(
            "pk", "company_id", "level", "object_id"
        )
        return {
            pk: (company_id, level, object_id)
            for pk, company_id, level, object_id in rows
        }

    def update(self, **kwargs) -> int:
        from tenants.configuration.cache import invalidate_on_commit

        if {"content_type", "content_type_id", "level"} & kwargs.keys():
            raise ValueError(
                "update() cannot move configurations to another kind of entity "
                "because level is derived from content_type; save each row instead."
            )
        before = self._entity_keys_by_pk()
        count = super().update(**kwargs)
        # Read the rows again by id, because the update may have moved them
        # to another entity or out of this queryset's filter.
        moved = HierarchyConfig.objects.filter(pk__in=list(before))
        invalidate_on_commit(
            set(before.values()) | set(moved._entity_keys_by_pk().values())
        )
        return count

    def delete(self) -> tuple[int, dict[str, int]]:
        from tenants.configuration.cache import invalidate_on_commit

        keys = set(self._entity_keys_by_pk().values())
        result = super().delete()
        invalidate_on_commit(keys)
        return result

    def bulk_create(self, objs, *args, **kwargs):
        from tenants.configuration.cache import invalidate_on_commit

        for obj in objs:
            obj.fill_target_fields()
        created = super().bulk_create(objs, *args, **kwargs)
        invalidate_on_commit({obj.entity_key for obj in objs})
        return created


class HierarchyConfig(PolymorphicModel):
    """One set of configuration keys of one kind, attached to one entity.

    Subclasses name their family (`policy`, `notification`) and validate
    `values` with the schema registered for their kind. `level` and
    `object_id` repeat the generic target so the resolver can query without
    content-type lookups.
    """

    family: str = ""

    company = models.ForeignKey(
        "tenants.Company", on_delete=models.CASCADE, related_name="+"
    )
    config_family = models.CharField(max_length=30, editable=False)
    kind = models.CharField(max_length=50)
    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.CASCADE,
        limit_choices_to={"app_label": "tenants", "model__in": list(LEVEL_BY_MODEL)},
    )
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    level = models.CharField(max_length=10, choices=ConfigLevel.choices, editable=False)
    values = models.JSONField(default=dict, blank=True)
    locked_keys = models.JSONField(
        default=list,
        blank=True,
        help_text="Keys that lower levels may not override.",
    )
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PolymorphicManager.from_queryset(HierarchyConfigQuerySet)()

    class Meta:
        ordering = ["config_family", "kind", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["config_family", "kind", "content_type", "object_id"],
                name="config_unique_per_entity_and_kind",
            )
        ]
        indexes = [models.Index(fields=["level", "object_id"], name="config_target")]

    def __str__(self) -> str:
        return f"{self.config_family} {self.kind} on {self.level} {self.object_id}"

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_entity_key = instance.entity_key
        return instance

    @property
    def entity_key(self) -> EntityKey:
        return (self.company_id, self.level, self.object_id)

    def fill_target_fields(self) -> None:
        """Derive the family, level and company from the class and the target."""
        if self.family:
            self.config_family = self.family
        if self.content_type_id:
            content_type = ContentType.objects.get_for_id(self.content_type_id)
            if content_type.app_label == "tenants":
                self.level = LEVEL_BY_MODEL.get(content_type.model, "")
            else:
                self.level = ""
        target = self.target if self.content_type_id and self.object_id else None
        if target is not None and self.company_id is None:
            self.company_id = target.company_id

    def clean(self) -> None:
        from tenants.configuration.schemas import validate_config

        self.fill_target_fields()
        if not self.level:
            raise ValidationError(
                {
                    "content_type": "Attach the configuration to a company, branch, "
                    "service or staff member."
                }
            )
        target = self.target
        if target is None:
            raise ValidationError(
                {"object_id": f"No {self.level} with id {self.object_id} exists."}
            )
        if target.company_id != self.company_id:
            raise ValidationError(
                {
                    "object_id": f"{self.level} {self.object_id} belongs to another "
                    "company."
                }
            )
        self.values, self.locked_keys = validate_config(
            self.config_family, self.kind, self.values, self.locked_keys
        )

    def save(self, *args, **kwargs) -> None:
        self.fill_target_fields()
        super().save(*args, **kwargs)

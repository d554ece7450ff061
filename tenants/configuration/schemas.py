"""Typed schemas of configuration values, one per family and kind.

Apps register a pydantic model for each kind they own. Every field of a
schema is optional because a level sets only the keys it overrides; the
resolver merges the levels.
"""

from typing import ClassVar

from django.core.exceptions import ValidationError
from pydantic import BaseModel, ConfigDict
from pydantic import ValidationError as PydanticValidationError


class ConfigSchema(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # Keys that replace each other: a level that sets one of them drops the
    # others it would inherit, so the effective value has at most one.
    exclusive_groups: ClassVar[tuple[frozenset[str], ...]] = ()


_SCHEMAS: dict[tuple[str, str], type[ConfigSchema]] = {}


def register_schema(family: str, kind: str):
    def decorator(schema: type[ConfigSchema]) -> type[ConfigSchema]:
        _SCHEMAS[(family, kind)] = schema
        return schema

    return decorator


def schema_for(family: str, kind: str) -> type[ConfigSchema] | None:
    return _SCHEMAS.get((family, kind))


def kinds_of(family: str) -> list[str]:
    return sorted(kind for fam, kind in _SCHEMAS if fam == family)


def exclusive_groups(family: str, kind: str) -> tuple[frozenset[str], ...]:
    schema = schema_for(family, kind)
    return schema.exclusive_groups if schema else ()


def _describe(error: PydanticValidationError) -> list[str]:
    messages = []
    for item in error.errors():
        key = ".".join(str(part) for part in item["loc"]) or "(value)"
        if item["type"] == "extra_forbidden":
            messages.append(f"{key}: unknown key; remove it or check the spelling.")
        else:
            messages.append(f"{key}: {item['msg']}.")
    return messages


def validate_config(
    family: str, kind: str, values: object, locked_keys: object
) -> tuple[dict, list[str]]:
    """Return `values` and `locked_keys` checked against the kind's schema.

    Raise a Django ValidationError whose messages name each offending key.
    """
    schema = schema_for(family, kind)
    if schema is None:
        known = ", ".join(kinds_of(family)) or "none registered"
        raise ValidationError(
            {"kind": f"{kind!r} is not a {family} kind; use one of: {known}."}
        )
    if not isinstance(values, dict):
        raise ValidationError({"values": "Values must be a JSON object."})
    try:
        parsed = schema.model_validate(values)
    except PydanticValidationError as error:
        raise ValidationError({"values": _describe(error)}) from error
    if not isinstance(locked_keys, list) or not all(
        isinstance(key, str) for key in locked_keys
    ):
        raise ValidationError({"locked_keys": "Locked keys must be a list of names."})
    unknown = sorted(set(locked_keys) - set(schema.model_fields))
    if unknown:
        raise ValidationError(
            {
                "locked_keys": f"{', '.join(unknown)}: not a key of {kind}; use "
                f"one of {', '.join(schema.model_fields)}."
            }
        )
    cleaned = parsed.model_dump(mode="json", exclude_unset=True)
    return cleaned, sorted(set(locked_keys))


def families() -> list[str]:
    return sorted({family for family, _kind in _SCHEMAS})

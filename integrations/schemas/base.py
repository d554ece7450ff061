import json
from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, StringConstraints


class Payload(BaseModel):
    """Strict types, and fields we do not use are ignored: providers add fields."""

    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)

    @classmethod
    def from_json_data(cls, data: Any) -> Self:
        """Validate a part of an already decoded body.

        Strict validation reads dates from ISO strings only in JSON text, not
        in Python objects. So the part is validated as the JSON it came from.
        """
        return cls.model_validate_json(json.dumps(data))


ShortText = Annotated[str, StringConstraints(max_length=200)]
LongText = Annotated[str, StringConstraints(max_length=100_000)]
Identifier = Annotated[str, StringConstraints(min_length=1, max_length=100)]
PhoneText = Annotated[str, StringConstraints(max_length=32)]

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints


class Payload(BaseModel):
    """Strict types, and fields we do not use are ignored: providers add fields."""

    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)


ShortText = Annotated[str, StringConstraints(max_length=200)]
LongText = Annotated[str, StringConstraints(max_length=100_000)]
Identifier = Annotated[str, StringConstraints(min_length=1, max_length=100)]
PhoneText = Annotated[str, StringConstraints(max_length=32)]

"""Backends that always fail, to drive the retry and fallback paths."""

from notifications.backends.base import Message, PermanentError, TransientError


class AlwaysTransient:
    def send(self, message: Message) -> None:
        raise TransientError("provider busy")


class AlwaysPermanent:
    def send(self, message: Message) -> None:
        raise PermanentError("number rejected")


class Broken:
    def send(self, message: Message) -> None:
        raise KeyError("boom")

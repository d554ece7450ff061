class CallbackStateError(Exception):
    """An operation the callback's current status does not allow."""


class InvalidTransition(CallbackStateError):
    """A status change the callback lifecycle does not allow."""

    def __init__(self, callback_id: int, from_status: str, to_status: str) -> None:
        self.callback_id = callback_id
        self.from_status = from_status
        self.to_status = to_status
        super().__init__(
            f"Callback {callback_id} cannot go from {from_status} to {to_status}; "
            f"reload it to see its current status."
        )

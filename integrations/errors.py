"""Errors that end a webhook request with a status and a stable code."""

from django.http import JsonResponse


class WebhookError(Exception):
    """A rejected request: `code` is stable for machines, `message` for humans."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message

    def response(self) -> JsonResponse:
        return error_response(self.status, self.code, self.message)


def error_response(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": code, "message": message}, status=status)

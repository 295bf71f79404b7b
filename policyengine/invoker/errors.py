"""The errors the Lambda service returns, as exceptions (AWS's names, codes and HTTP statuses).

The same classes are raised inside a function's worker process by the client the invoker hands
the function, so an unhandled `AccessDeniedException` there reports `errorType` =
`AccessDeniedException`, as a boto3 ClientError's code would read.
"""

from __future__ import annotations

from typing import Any


class LambdaServiceError(Exception):
    """An error of the Lambda API itself (not a function error, which is a 200 with a payload)."""

    code = "ServiceException"
    status_code = 500

    def __init__(self, message: str, *, reason: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"code": self.code, "message": self.message, "status_code": self.status_code}
        if self.reason:
            out["reason"] = self.reason
        return out


class AccessDeniedException(LambdaServiceError):
    code = "AccessDeniedException"
    status_code = 403


class TooManyRequestsException(LambdaServiceError):
    code = "TooManyRequestsException"
    status_code = 429


class ResourceNotFoundException(LambdaServiceError):
    code = "ResourceNotFoundException"
    status_code = 404


class ResourceConflictException(LambdaServiceError):
    code = "ResourceConflictException"
    status_code = 409


class InvalidParameterValueException(LambdaServiceError):
    code = "InvalidParameterValueException"
    status_code = 400


class InvalidRequestContentException(LambdaServiceError):
    code = "InvalidRequestContentException"
    status_code = 400


class RequestTooLargeException(LambdaServiceError):
    code = "RequestTooLargeException"
    status_code = 413


ERRORS_BY_CODE: dict[str, type[LambdaServiceError]] = {
    cls.code: cls
    for cls in (AccessDeniedException, TooManyRequestsException, ResourceNotFoundException,
                ResourceConflictException, InvalidParameterValueException, InvalidRequestContentException,
                RequestTooLargeException)
}


def check_error(error: Any) -> tuple[str, str]:
    """(code, message) of a refused check's error; AccessDeniedException when it names none."""
    return getattr(error, "code", "AccessDeniedException"), getattr(error, "message", "Access denied")


def service_error(code: str, message: str) -> LambdaServiceError:
    """The exception for an AWS error code (unknown codes keep their code on a generic class)."""
    cls = ERRORS_BY_CODE.get(code)
    if cls is not None:
        return cls(message)
    err = LambdaServiceError(message)
    err.code = code
    return err

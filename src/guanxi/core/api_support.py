"""What every API router shares: token/session auth, keyset pagination, error mapping."""

import base64
import binascii
from typing import Annotated, Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Schema
from ninja.pagination import PaginationBase
from ninja.security import HttpBearer, SessionAuth

from guanxi.core.services.tokens import api_token_authenticate


class TokenAuth(HttpBearer):
    """`Authorization: Bearer gx_...` with a token issued on the profile page or by CLI."""

    def authenticate(self, request: HttpRequest, token: str):
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class StaffSessionAuth(SessionAuth):
    """The logged-in browser session (CSRF-checked by Ninja for unsafe methods)."""


AUTH = [TokenAuth(), StaffSessionAuth()]

MAX_ID = 2**63 - 1
# A record id in a URL path: out-of-range numbers answer 422, never a database error.
RecordId = Annotated[int, Path(ge=1, le=MAX_ID)]
# The same for ids inside request bodies and query strings.
IdValue = Annotated[int, Field(ge=1, le=MAX_ID)]


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


def encode_cursor(value: int) -> str:
    return base64.urlsafe_b64encode(str(value).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        return int(base64.urlsafe_b64decode(padded.encode()).decode())
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise ValidationError({"cursor": _("Invalid cursor.")}) from exc


class CursorPagination(PaginationBase):
    """Keyset pagination on the primary key, newest first; no COUNT(*) ever."""

    class Input(Schema):
        cursor: str | None = Field(None, description="`next_cursor` of the previous page")
        limit: int = Field(50, ge=1, le=200)

    class Output(Schema):
        items: list[Any]
        next_cursor: str | None

    items_attribute = "items"

    def paginate_queryset(self, queryset, pagination: Input, **params):
        qs = queryset.order_by("-pk")
        if pagination.cursor:
            qs = qs.filter(pk__lt=decode_cursor(pagination.cursor))
        rows = list(qs[: pagination.limit + 1])
        has_more = len(rows) > pagination.limit
        rows = rows[: pagination.limit]
        return {
            "items": rows,
            "next_cursor": encode_cursor(rows[-1].pk) if has_more and rows else None,
        }


def field_errors(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
    return {"__all__": [str(m) for m in exc.messages]}


def install_error_handlers(api) -> None:
    """Map domain exceptions to 4xx answers with field messages (never a 500)."""

    @api.exception_handler(ValidationError)
    def _validation(request, exc):
        return api.create_response(
            request, {"detail": _("Invalid input."), "errors": field_errors(exc)}, status=422
        )

    @api.exception_handler(PermissionDenied)
    def _denied(request, exc):
        detail = str(exc) or _("You do not have permission to do this.")
        return api.create_response(request, {"detail": detail, "errors": {}}, status=403)

    @api.exception_handler(ObjectDoesNotExist)
    def _missing(request, exc):
        return api.create_response(request, {"detail": _("Not found."), "errors": {}}, status=404)

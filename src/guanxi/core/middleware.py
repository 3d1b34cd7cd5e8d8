"""Request id: accepted from a trusted proxy's X-Request-ID or made here, echoed back."""

import re
import uuid

from django.http import JsonResponse
from django.utils.translation import gettext

from guanxi.core.context import Origin, reset_origin, set_origin

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = set_origin(
            Origin(request_id=request_id, ip_address=request.META.get("REMOTE_ADDR"))
        )
        try:
            response = self.get_response(request)
        finally:
            reset_origin(token)
        response["X-Request-ID"] = request_id
        return response


class RejectNulMiddleware:
    """Refuse requests carrying NUL characters (PostgreSQL cannot store them) with a 400.

    Django's forms already reject NUL in text fields; this covers JSON bodies and query
    strings of the API the same way, before they reach a database error.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith("/api/"):
            return self.get_response(request)
        query = request.META.get("QUERY_STRING", "")
        # Every text body counts (the API parses JSON whatever the declared type); file
        # uploads are binary and are left to their own validation.
        scan = request.method in ("POST", "PUT", "PATCH") and not request.content_type.startswith(
            "multipart/"
        )
        body = request.body if scan else b""
        if "%00" in query or b"\x00" in body or b"\\u0000" in body:
            return JsonResponse(
                {"detail": gettext("Text must not contain NUL characters."), "errors": {}},
                status=400,
            )
        return self.get_response(request)


class PortalConfinementMiddleware:
    """Consumers and distributors live in the member centre: a portal login that opens a
    staff page is sent to /portal/ (the records themselves are guarded by visibility
    wherever they are read; this keeps members out of the staff screens altogether)."""

    MEMBER_PATHS = ("/portal/", "/network/me/", "/network/runs/", "/api/", "/i18n/",
                    "/logout/", "/static/", "/media/", "/healthz")  # fmt: skip

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "kind", "staff") != "staff"
            and not request.path_info.startswith(self.MEMBER_PATHS)
        ):
            from django.shortcuts import redirect

            return redirect("portal:home")
        return self.get_response(request)

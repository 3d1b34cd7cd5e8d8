"""REST API of the platform: the current user, org units, users (admin only)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from guanxi.core.api_support import CursorPagination, ErrorOut, IdValue, RecordId
from guanxi.core.choices import Role, UserKind
from guanxi.core.models import OrgUnit, User
from guanxi.core.services import org as org_services
from guanxi.core.services.preferences import user_language_set

router = Router(tags=["platform"])


class OrgUnitOut(Schema):
    id: int
    name: str
    code: str
    parent_id: int | None
    path: str
    depth: int


class OrgUnitIn(Schema):
    name: str
    code: str
    parent_id: IdValue | None = None


class UserOut(Schema):
    id: int
    username: str
    display_name: str
    email: str
    role: Role
    kind: UserKind
    org_unit_id: int | None
    is_active: bool
    language: str = Field(description="emails and reminders to the user are in it")


class UserIn(Schema):
    username: str
    password: str
    display_name: str = ""
    email: str = ""
    role: Role = Role.SALES_REP
    org_unit_id: IdValue | None = None


class UserPatch(Schema):
    display_name: str | None = None
    email: str | None = None
    role: Role | None = None
    org_unit_id: IdValue | None = None
    is_active: bool | None = None
    password: str | None = None
    language: str | None = Field(None, max_length=10, description="zh-hans or en")


class MePatch(Schema):
    language: str = Field(..., max_length=10, description="zh-hans or en")


def _require_admin(request) -> None:
    if not request.auth.is_admin_role:
        raise PermissionDenied(_("Only administrators can do this."))


def _require_staff(request) -> None:
    if request.auth.kind != UserKind.STAFF:
        raise PermissionDenied(_("Staff only."))


@router.get("/me", response=UserOut)
def me(request):
    return request.auth


@router.patch("/me", response={200: UserOut, 422: ErrorOut})
def me_update(request, payload: MePatch):
    """Set one's own language (of emails and reminders)."""
    return user_language_set(actor=request.auth, user=request.auth, language=payload.language)


@router.get("/org-units", response=list[OrgUnitOut])
def org_unit_list(request):
    _require_staff(request)
    return OrgUnit.objects.all()


@router.post("/org-units", response={201: OrgUnitOut, 403: ErrorOut, 422: ErrorOut})
def org_unit_create(request, payload: OrgUnitIn):
    parent = get_object_or_404(OrgUnit, pk=payload.parent_id) if payload.parent_id else None
    unit = org_services.org_unit_create(
        actor=request.auth, name=payload.name, code=payload.code, parent=parent
    )
    return Status(201, unit)


@router.get("/users", response=list[UserOut])
@paginate(CursorPagination)
def user_list(request, role: Role | None = None, org_unit_id: IdValue | None = None):
    _require_admin(request)
    qs = User.objects.all()
    if role:
        qs = qs.filter(role=role)
    if org_unit_id:
        qs = qs.filter(org_unit_id=org_unit_id)
    return qs


@router.post("/users", response={201: UserOut, 403: ErrorOut, 422: ErrorOut})
def user_create(request, payload: UserIn):
    _require_admin(request)
    unit = get_object_or_404(OrgUnit, pk=payload.org_unit_id) if payload.org_unit_id else None
    user = org_services.user_create(
        actor=request.auth,
        username=payload.username,
        password=payload.password,
        role=payload.role,
        org_unit=unit,
        display_name=payload.display_name,
        email=payload.email,
    )
    return Status(201, user)


@router.get("/users/{user_id}", response={200: UserOut, 403: ErrorOut, 404: ErrorOut})
def user_detail(request, user_id: RecordId):
    _require_admin(request)
    return get_object_or_404(User, pk=user_id)


@router.patch("/users/{user_id}", response={200: UserOut, 403: ErrorOut, 422: ErrorOut})
def user_update(request, user_id: RecordId, payload: UserPatch):
    _require_admin(request)
    user = get_object_or_404(User, pk=user_id)
    fields = payload.dict(exclude_unset=True)
    if "org_unit_id" in fields:
        unit_id = fields.pop("org_unit_id")
        fields["org_unit"] = get_object_or_404(OrgUnit, pk=unit_id) if unit_id else None
    return org_services.user_update(actor=request.auth, user=user, **fields)

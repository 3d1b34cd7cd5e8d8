"""What portal users do that writes: register with a verified mobile, choose news by
channel, enrol in courses and complete lessons. Orders, points, returns and auto-reorders
go through the commerce services, which check the portal identity themselves."""

import datetime
import secrets

from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.commerce.models import ProductNewsSubscription
from guanxi.core.audit import audit_record
from guanxi.core.choices import PORTAL_KINDS, AuditAction, UserKind
from guanxi.core.models import OutboundMessage, User
from guanxi.core.notify import SMS, notify
from guanxi.customers.choices import Channel, ConsentMethod, ConsentStatus
from guanxi.customers.models import Consent
from guanxi.customers.services.self_service import mobile_e164, party_for_mobile
from guanxi.network.models import Distributor
from guanxi.portal.models import Course, Enrolment, Lesson, LessonCompletion

CODE_TTL = datetime.timedelta(minutes=10)
CODE_GAP = datetime.timedelta(seconds=60)
CODES_PER_DAY = 5
CODE_ATTEMPTS = 5
CODES_PER_SESSION = 3  # an hour
NEWS_CHANNELS = (Channel.SMS, Channel.EMAIL, Channel.WECHAT)


def code_send(*, session, mobile: str) -> str:
    """Text a 6-digit code to `mobile` and keep its hash in the browser's session.
    At most one a minute and five a day per number. Returns the code (shown in demos)."""
    e164 = mobile_e164(mobile)
    now = timezone.now()
    sent = OutboundMessage.objects.filter(purpose="portal_code", recipient=e164)
    if sent.filter(created_at__gte=now - CODE_GAP).exists():
        raise ValidationError({"mobile": _("A code was just sent; wait a minute.")})
    if sent.filter(created_at__gte=now - datetime.timedelta(days=1)).count() >= CODES_PER_DAY:
        raise ValidationError({"mobile": _("Too many codes today for this number.")})
    recent = [
        t for t in session.get("portal_code_sends", []) if t > (now - CODE_GAP * 60).isoformat()
    ]
    if len(recent) >= CODES_PER_SESSION:  # one browser texting many numbers (SMS pumping)
        raise ValidationError({"mobile": _("Too many codes from this browser; try again later.")})
    session["portal_code_sends"] = [*recent, now.isoformat()]
    code = f"{secrets.randbelow(10**6):06d}"
    notify(
        channel=SMS,
        recipient=e164,
        purpose="portal_code",
        body=_("Your Guanxi verification code is %(code)s (valid 10 minutes).") % {"code": code},
        source_ref=f"code:{e164}:{now.timestamp()}",
    )
    session["portal_code"] = {
        "mobile": e164,
        "hash": make_password(code),
        "until": (now + CODE_TTL).isoformat(),
        "tries": 0,
    }
    return code


def code_check(*, session, mobile: str, code: str) -> str:
    """The verified E.164 number, or a field error on `code`."""
    e164 = mobile_e164(mobile)
    held = session.get("portal_code") or {}
    fresh = held.get("until", "") > timezone.now().isoformat()
    if not (held.get("mobile") == e164 and fresh and held.get("tries", 0) < CODE_ATTEMPTS):
        raise ValidationError({"code": _("Ask for a new code.")})
    held["tries"] = held.get("tries", 0) + 1
    session["portal_code"] = held
    if not check_password(code.strip(), held["hash"]):
        raise ValidationError({"code": _("The code is not right.")})
    session.pop("portal_code", None)
    return e164


@transaction.atomic
def portal_register(
    *, session, name: str, mobile: str, code: str, password: str, consents: list[str]
) -> User:
    """A login for the person the verified mobile belongs to (their existing record if
    the company knows them, else a new one), with the marketing consents they chose."""
    e164 = mobile_e164(mobile)
    if not name.strip():
        raise ValidationError({"name": _("Enter your name.")})
    try:  # before the code is spent: a weak password must not cost a new text
        validate_password(password, User(username=e164, display_name=name))
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    e164 = code_check(session=session, mobile=mobile, code=code)
    if User.objects.filter(username=e164).exists():
        raise ValidationError({"mobile": _("This number is registered already: log in.")})
    party, _created = party_for_mobile(actor=None, name=name, mobile=e164)
    if User.objects.filter(party=party).exists():
        raise ValidationError({"mobile": _("This number is registered already: log in.")})
    is_ibo = Distributor.objects.filter(party=party).exists()
    user = User(
        username=e164,
        display_name=party.name,
        mobile=e164,
        party=party,
        kind=UserKind.DISTRIBUTOR if is_ibo else UserKind.CONSUMER,
    )
    user.set_password(password)
    user.save()
    audit_record(
        actor=user,
        action=AuditAction.CREATE,
        obj=user,
        subject=party,
        changes={"portal_login": [None, e164]},
    )
    for channel in consents:
        if channel in Channel.values:
            _consent(user, party, channel, ConsentStatus.GRANTED)
    return user


def _consent(user, party, channel: str, status: str) -> None:
    consent = Consent.objects.create(
        party=party,
        channel=channel,
        status=status,
        method=ConsentMethod.WEB_FORM,
        recorded_at=timezone.now(),
        note=_("Portal"),
    )
    audit_record(
        actor=user,
        action=AuditAction.CREATE,
        obj=consent,
        subject=party,
        changes={"channel": [None, channel], "status": [None, status]},
    )


def require_portal(user) -> None:
    if not user.is_authenticated or user.kind not in PORTAL_KINDS or not user.party_id:
        raise PermissionDenied


@transaction.atomic
def news_set(*, actor, channel: str, subscribed: bool) -> ProductNewsSubscription:
    """Subscribe to or leave new-product news on one channel; subscribing is consent to
    that channel (recorded unless already in force)."""
    require_portal(actor)
    if channel not in NEWS_CHANNELS:
        raise ValidationError({"channel": _("Unknown channel.")})
    row, _created = ProductNewsSubscription.objects.update_or_create(
        party_id=actor.party_id, channel=channel, defaults={"subscribed": subscribed}
    )
    latest = Consent.objects.filter(party_id=actor.party_id, channel=channel).first()
    if subscribed and (latest is None or latest.status != ConsentStatus.GRANTED):
        _consent(actor, actor.party, channel, ConsentStatus.GRANTED)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=row,
        subject=actor.party,
        changes={"subscribed": [not subscribed, subscribed]},
    )
    return row


@transaction.atomic
def course_enrol(*, actor, course: Course) -> Enrolment:
    require_portal(actor)
    if not course.is_published:
        raise ValidationError({"course": _("This course is not open.")})
    enrolment, _created = Enrolment.objects.get_or_create(user=actor, course=course)
    return enrolment


@transaction.atomic
def lesson_complete(*, actor, lesson: Lesson) -> Enrolment:
    """Mark a lesson done (enrolling if needed); the course completes with its last lesson."""
    enrolment = course_enrol(actor=actor, course=lesson.course)
    LessonCompletion.objects.get_or_create(enrolment=enrolment, lesson=lesson)
    total = Lesson.objects.filter(course=lesson.course).count()
    if enrolment.completed_at is None and enrolment.done.count() >= total:
        enrolment.completed_at = timezone.now()
        enrolment.save(update_fields=["completed_at"])
    return enrolment

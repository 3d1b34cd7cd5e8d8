"""Enumerations of the customer database."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PartyKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")


class PartyRoleKind(models.TextChoices):
    CONSUMER = "consumer", _("Consumer")
    DISTRIBUTOR = "distributor", _("Distributor")
    BUSINESS_CUSTOMER = "business_customer", _("Business customer")
    PARTNER = "partner", _("Partner")
    COMPETITOR = "competitor", _("Competitor")


class Gender(models.TextChoices):
    UNKNOWN = "", _("Unknown")
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


class Source(models.TextChoices):
    DIRECT_RESPONSE_AD = "direct_response_ad", _("Direct-response ad")
    PURCHASED_LIST = "purchased_list", _("Purchased list")
    PARTNER = "partner", _("Partner")
    WEB_FORM = "web_form", _("Web form")
    IBO_REFERRAL = "ibo_referral", _("IBO referral")
    WALK_IN = "walk_in", _("Walk-in")
    CALL_IN = "call_in", _("Call-in")
    OTHER = "other", _("Other")


class LifecycleStage(models.TextChoices):
    SUSPECT = "suspect", _("Suspect")
    PROSPECT = "prospect", _("Prospect")
    CUSTOMER = "customer", _("Customer")
    REPEAT_CUSTOMER = "repeat_customer", _("Repeat customer")
    LOYAL = "loyal", _("Loyal customer")
    LAPSED = "lapsed", _("Lapsed")


class ContactKind(models.TextChoices):
    MOBILE = "mobile", _("Mobile")
    LANDLINE = "landline", _("Landline")
    EMAIL = "email", _("Email")
    WECHAT = "wechat", _("WeChat ID")
    FAX = "fax", _("Fax")
    ADDRESS = "address", _("Postal address")


class Channel(models.TextChoices):
    """Channels a party may be contacted on for marketing (PIPL consent is per channel)."""

    PHONE = "phone", _("Phone call")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("Email")
    WECHAT = "wechat", _("WeChat")
    DIRECT_MAIL = "direct_mail", _("Direct mail")


class ConsentStatus(models.TextChoices):
    GRANTED = "granted", _("Granted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ConsentMethod(models.TextChoices):
    WEB_FORM = "web_form", _("Web form")
    PHONE_RECORDING = "phone_recording", _("Recorded phone call")
    PAPER_FORM = "paper_form", _("Signed paper form")
    SMS_REPLY = "sms_reply", _("SMS reply")
    IMPORT = "import", _("Import")
    API = "api", _("API")
    IN_PERSON = "in_person", _("In person")


class InteractionKind(models.TextChoices):
    CALL = "call", _("Call")
    WECHAT = "wechat", _("WeChat")
    VISIT = "visit", _("Visit")
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    DIRECT_MAIL = "direct_mail", _("Direct mail")
    NOTE = "note", _("Note")


class Outcome(models.TextChoices):
    NONE = "", _("—")
    CONNECTED = "connected", _("Reached")
    NO_ANSWER = "no_answer", _("No answer")
    INTERESTED = "interested", _("Interested")
    NOT_INTERESTED = "not_interested", _("Not interested")
    CALL_BACK = "call_back", _("Asked to call back")
    ORDERED = "ordered", _("Ordered")
    COMPLAINT = "complaint", _("Complaint")
    WRONG_NUMBER = "wrong_number", _("Wrong number")


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ImportOutcome(models.TextChoices):
    CREATED = "created", _("Created")
    MATCHED = "matched", _("Matched")
    REVIEW = "review", _("Review")
    ERROR = "error", _("Error")


class ReviewStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MERGED = "merged", _("Merged")
    DISTINCT = "distinct", _("Not the same")
    ACCEPTED = "accepted", _("Incoming value taken")
    KEPT = "kept", _("Current value kept")


class ReviewOrigin(models.TextChoices):
    IMPORT = "import", _("Import")
    DEDUP = "dedup", _("Duplicate scan")


class MatchReason(models.TextChoices):
    """The evidence codes of the matching engine, as people read them."""

    MOBILE = "mobile", _("same mobile")
    EMAIL = "email", _("same email")
    WECHAT = "wechat", _("same WeChat ID")
    LANDLINE = "landline", _("same landline")
    NAME = "name", _("same name")
    NAME_SOUND = "name_sound", _("name sounds the same")
    NAME_TYPO = "name_typo", _("name one character off")
    BIRTHDAY = "birthday", _("same birthday")
    ADDRESS = "address", _("same address")
    ADDRESS_NEAR = "address_near", _("similar address")


def reason_labels(codes: str) -> str:
    """'mobile+name_sound' → 'same mobile, name sounds the same'."""
    from django.utils.translation import gettext

    labels = dict(MatchReason.choices)
    separator = gettext(", ")  # 、 in Chinese
    return separator.join(str(labels.get(code, code)) for code in codes.split("+") if code)

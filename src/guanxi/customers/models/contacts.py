import phonenumbers
from django.db import models
from django.utils.translation import gettext_lazy as _

from guanxi.core.visibility import VisibleQuerySet
from guanxi.customers.choices import ContactKind

PHONE_KINDS = (ContactKind.MOBILE, ContactKind.LANDLINE, ContactKind.FAX)


class ContactPoint(models.Model):
    """A mobile, landline, email, WeChat ID, fax or postal address of a party (联系方式).

    `normalized` is the matching key: E.164 for phones, lower-case for email, and a
    whitespace-free province+city+district+street string for addresses.
    """

    visibility_via = "party"

    party = models.ForeignKey(
        "customers.Party", on_delete=models.CASCADE, related_name="contact_points"
    )
    kind = models.CharField(_("type"), max_length=20, choices=ContactKind)
    value = models.CharField(_("value"), max_length=300)
    normalized = models.CharField(max_length=300, editable=False)
    label = models.CharField(_("label"), max_length=50, blank=True)
    is_primary = models.BooleanField(_("primary"), default=False)
    province = models.CharField(_("province"), max_length=50, blank=True)
    city = models.CharField(_("city"), max_length=50, blank=True)
    district = models.CharField(_("district"), max_length=50, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "-is_primary", "id"]
        indexes = [
            models.Index(
                fields=["kind", "normalized"], name="contact_lookup_idx", include=["party"]
            ),
            models.Index(
                fields=["normalized"],
                name="contact_normalized_idx",
                opclasses=["varchar_pattern_ops"],
                include=["party"],
            ),
        ]
        verbose_name = _("contact method")
        verbose_name_plural = _("contact methods")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.display_value}"

    @property
    def display_value(self) -> str:
        """As people write it: national format for Chinese phones, the full address."""
        if self.kind == ContactKind.ADDRESS:
            return "".join([self.province, self.city, self.district, self.value])
        if self.kind in PHONE_KINDS and self.value.startswith("+"):
            try:
                number = phonenumbers.parse(self.value)
            except phonenumbers.NumberParseException:
                return self.value
            fmt = (
                phonenumbers.PhoneNumberFormat.NATIONAL
                if number.country_code == 86
                else phonenumbers.PhoneNumberFormat.INTERNATIONAL
            )
            return phonenumbers.format_number(number, fmt)
        return self.value

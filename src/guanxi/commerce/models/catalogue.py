from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from guanxi.commerce.choices import PriceListKind
from guanxi.customers.choices import Channel

MONEY = {"max_digits": 12, "decimal_places": 2}
SKU_CHARS = RegexValidator(r"^[A-Za-z0-9._-]+$", _("Use letters, digits, dot, dash or underscore."))


class Category(models.Model):
    """A shelf of the catalogue (e.g. 营养保健, 美容护肤)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    """A product of the catalogue with its volume (PV/BV), warranty and launch date."""

    sku = models.CharField(_("SKU"), max_length=40, unique=True, validators=[SKU_CHARS])
    name = models.CharField(_("name"), max_length=200)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="products"
    )
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    image = models.ImageField(_("image"), upload_to="products/", blank=True)
    pv = models.DecimalField(
        _("PV per unit"), **MONEY, default=0, validators=[MinValueValidator(0)]
    )
    bv = models.DecimalField(
        _("BV per unit"), **MONEY, default=0, validators=[MinValueValidator(0)]
    )
    warranty_months = models.PositiveSmallIntegerField(_("warranty (months)"), default=0)
    launch_date = models.DateField(_("launch date"), null=True, blank=True)
    redemption_points = models.PositiveIntegerField(
        _("points to redeem"),
        null=True,
        blank=True,
        help_text=_("Leave empty if the product cannot be redeemed with points."),
    )
    is_active = models.BooleanField(_("on sale"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["category__position", "name"]
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self) -> str:
        return self.name


class PriceList(models.Model):
    """One of the company's price lists (retail, member, distributor)."""

    kind = models.CharField(_("kind"), max_length=20, choices=PriceListKind, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("price list")
        verbose_name_plural = _("price lists")

    def __str__(self) -> str:
        return self.name


class PriceListItem(models.Model):
    """A product's price on one price list."""

    price_list = models.ForeignKey(PriceList, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="prices")
    price = models.DecimalField(_("price"), **MONEY, validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["price_list", "product"]
        constraints = [
            models.UniqueConstraint(fields=["price_list", "product"], name="price_once_per_list")
        ]
        verbose_name = _("price")
        verbose_name_plural = _("prices")

    def __str__(self) -> str:
        return f"{self.product} · {self.price_list}: {self.price}"


class ProductNewsSubscription(models.Model):
    """A party's wish to hear about new products on one channel (新品通知)."""

    party = models.ForeignKey(
        "customers.Party", on_delete=models.CASCADE, related_name="product_news"
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel)
    subscribed = models.BooleanField(_("subscribed"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["party", "channel"]
        constraints = [
            models.UniqueConstraint(fields=["party", "channel"], name="news_once_per_channel")
        ]
        verbose_name = _("new-product news subscription")
        verbose_name_plural = _("new-product news subscriptions")

    def __str__(self) -> str:
        return f"{self.party_id} · {self.channel}"


class ProductAnnouncement(models.Model):
    """A new-product announcement, sent by the worker to the subscribers who consented."""

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="announcements"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("product announcement")
        verbose_name_plural = _("product announcements")

    def __str__(self) -> str:
        return self.title

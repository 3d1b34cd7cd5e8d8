"""The catalogue is kept in the admin for now: products with their prices, categories,
price lists and earning rules. Orders, points and payments are read-only here: they
change only through the services (and the ledgers never change)."""

from django.contrib import admin

from guanxi.commerce.models import Category, EarningRule, PriceList, PriceListItem, Product


class PriceInline(admin.TabularInline):
    model = PriceListItem
    extra = 0


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["sku", "name", "category", "pv", "bv", "redemption_points", "is_active"]
    list_filter = ["category", "is_active"]
    search_fields = ["sku", "name"]
    inlines = [PriceInline]


admin.site.register(Category)
admin.site.register(PriceList)
admin.site.register(EarningRule)

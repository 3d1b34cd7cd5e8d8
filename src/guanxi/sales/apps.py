from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SalesConfig(AppConfig):
    name = "guanxi.sales"
    label = "sales"
    verbose_name = _("Sales")

    def ready(self):
        from guanxi.sales import hooks, panels, tasks  # noqa: F401  (registers them)
        from guanxi.sales import registry_contracts  # noqa: F401  (contracts' hooks)

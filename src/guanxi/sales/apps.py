from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SalesConfig(AppConfig):
    name = "guanxi.sales"
    label = "sales"
    verbose_name = _("Sales")

    def ready(self):
        from guanxi.sales import (  # noqa: F401  (registers them)
            hooks,
            panels,
            panels_followup,
            quotes_wiring,
            registry_contracts,
            tasks,
        )

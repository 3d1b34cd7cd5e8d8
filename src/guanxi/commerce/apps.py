from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommerceConfig(AppConfig):
    name = "guanxi.commerce"
    label = "commerce"
    verbose_name = _("Commerce")

    def ready(self):
        from guanxi.commerce import panels, tasks, timeline_sources  # noqa: F401  (registers them)

"""Top-level URL map: web UI per app, the REST API under /api/v1, i18n switcher, admin."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from guanxi.api import api

urlpatterns = [
    path("", include("guanxi.core.urls")),
    path("customers/", include("guanxi.customers.urls")),
    path("network/", include("guanxi.network.urls")),
    path("commerce/", include("guanxi.commerce.urls")),
    path("portal/", include("guanxi.portal.urls")),
    path("sales/", include("guanxi.sales.urls")),
    path("service/", include("guanxi.service.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
# Uploaded files (product images) in development; production serves MEDIA_ROOT from the
# front web server (docs/production.md).
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

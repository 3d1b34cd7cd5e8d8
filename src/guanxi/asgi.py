"""ASGI entry point for any ASGI server (uvicorn, daphne, granian)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guanxi.settings")
application = get_asgi_application()

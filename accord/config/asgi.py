"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

from accord.config.process import settle_after_start

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.config.settings")
application = get_asgi_application()

# Everything loaded so far lives as long as the process: keep it out of the collector's walks.
settle_after_start()

"""WSGI entry point for production servers."""

import os

from django.core.wsgi import get_wsgi_application

from accord.config.process import settle_after_start

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.config.settings")
application = get_wsgi_application()

# Everything loaded so far lives as long as the process: keep it out of the collector's walks.
settle_after_start()

"""The WSGI application that ``safeguarding serve`` and ``safeguarding demo`` run."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguarding.web.settings")
application = get_wsgi_application()

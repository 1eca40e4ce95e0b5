"""Values every page template needs."""

from django.conf import settings
from django.http import HttpRequest


def platform(request: HttpRequest) -> dict[str, object]:
    return {"platform_name": settings.PLATFORM_NAME}

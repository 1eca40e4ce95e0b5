"""The JSON API (django-ninja)."""

from ninja import NinjaAPI

api = NinjaAPI(title="Safeguarding Partnership Platform API", version="1")

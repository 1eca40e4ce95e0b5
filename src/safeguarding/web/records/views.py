"""Pages for partnership records."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from safeguarding.web import permissions


@login_required
def home(request: HttpRequest) -> HttpResponse:
    partnerships = permissions.visible_partnerships(request.user)
    return render(request, "records/home.html", {"partnerships": partnerships})


@login_required
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = get_object_or_404(permissions.visible_partnerships(request.user), slug=slug)
    return render(request, "records/overview.html", {"partnership": partnership})

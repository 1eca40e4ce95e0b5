"""Signing in and out, and the API tokens a signed-in person holds."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from safeguarding.web.accounts.models import ApiToken

#: Tokens a person may hold at once, so that a script gone wrong cannot make thousands.
MOST_LIVE_TOKENS = 20


class SignInForm(AuthenticationForm):
    """Django's sign-in form with the GOV.UK wording of its messages."""

    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account has been switched off. Ask your platform administrator.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["username"].widget.attrs.pop("autofocus", None)


class SignInView(LoginView):
    template_name = "accounts/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Token name",
        max_length=100,
        help_text="What the token is for, so that you know which to revoke, for example "
        "'Monthly dashboard refresh'.",
        error_messages={
            "required": "Enter a name for the token",
            "max_length": "Token name must be 100 characters or fewer",
        },
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Enter a name for the token")
        return name


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    """List the person's API tokens and create one; a new token's key is shown only here."""
    raw_key = ""
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        live = ApiToken.objects.filter(user=request.user, revoked=False).count()
        if live >= MOST_LIVE_TOKENS:
            form.add_error(
                "name", f"You already hold {live} tokens: revoke one before creating another"
            )
        else:
            token, raw_key = ApiToken.issue(request.user, form.cleaned_data["name"])
            form = TokenForm()
            messages.success(request, f"Token created: {token.name}")
    held = ApiToken.objects.filter(user=request.user)
    response = render(
        request,
        "accounts/tokens.html",
        {"form": form, "tokens": held, "raw_key": raw_key},
    )
    if raw_key:
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def revoke_token(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of the person's own tokens (another person's is "not found")."""
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if not token.revoked:
        token.revoked = True
        token.save(update_fields=["revoked"])
        messages.success(request, f"Token revoked: {token.name}")
    return HttpResponseRedirect(reverse("accounts:tokens"))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The page shown when a form comes back without a valid security token."""
    return render(request, "403_csrf.html", {"reason": reason}, status=403)

from django.contrib.auth import login
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from chatsite.clients import SignUpThrottle, client_address
from chatsite.users.forms import LoginForm, RegistrationForm
from chatsite.users.services import (
    LOGIN_FAILURE_WINDOW,
    login_attempt_give_back,
    login_attempt_take,
    user_register,
)


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(_safe_next(request))
    form = RegistrationForm(request.POST or None)
    if request.method == "POST":
        throttle = SignUpThrottle()
        if not throttle.allow_request(request, None):
            minutes = max(1, round((throttle.wait() or 60) / 60))
            form.add_error(None, f"Too many sign-ups from your address: try again in about "
                                 f"{minutes} minute{'s' if minutes != 1 else ''}.")  # fmt: skip
            context = {"form": form, "next": _safe_next(request)}
            return render(request, "users/register.html", context, status=429)
    if request.method == "POST" and form.is_valid():
        user = user_register(
            login=form.cleaned_data["username"],
            password=form.cleaned_data["password1"],
            email=form.cleaned_data["email"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(_safe_next(request))
    return render(request, "users/register.html", {"form": form, "next": _safe_next(request)})


class ChatLoginView(LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if not login_attempt_take(address=client_address(request.META)):
            # Refused before the password is even checked.
            context = self.get_context_data(
                form=self.form_class(request),
                refusal=f"Too many failed logins from your address. Try again in "
                f"{LOGIN_FAILURE_WINDOW // 60} minutes.",
            )
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        login_attempt_give_back(address=client_address(self.request.META))
        return super().form_valid(form)

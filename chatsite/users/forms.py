from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm

from chatsite.users.models import User
from chatsite.users.validators import validate_login


class RegistrationForm(forms.Form):
    """Sign-up: a name (its capitals become the display name) and a password twice."""

    username = forms.CharField(
        label="Username",
        max_length=25,
        help_text="3 to 25 characters: letters, digits and underscores.",
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    email = forms.EmailField(
        required=False,
        help_text="Optional.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_username(self) -> str:
        typed = self.cleaned_data["username"].strip()
        validate_login(typed.lower())
        if User.objects.filter(username=typed.lower()).exists():
            raise forms.ValidationError("That name is taken.", code="taken")
        return typed

    def clean(self) -> dict:
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "The two passwords differ.")
        elif password2:
            candidate = User(
                username=(cleaned.get("username") or "").lower(), email=cleaned.get("email", "")
            )
            try:
                password_validation.validate_password(password2, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class LoginForm(AuthenticationForm):
    """Logins are stored lowercase; accept them typed with any capitalisation."""

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()

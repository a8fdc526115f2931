from django.contrib.auth.views import LogoutView
from django.urls import path

from chatsite.users import views

urlpatterns = [
    path("register/", views.register, name="register"),
    path("login/", views.ChatLoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
]

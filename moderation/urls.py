from django.urls import path

from moderation import views

app_name = "moderation"
urlpatterns = [
    path("<slug:slug>/", views.dashboard, name="dashboard"),
]

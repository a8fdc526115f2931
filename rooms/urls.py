from django.urls import path

from rooms import views

app_name = "rooms"
urlpatterns = [
    path("<slug:slug>/", views.room_detail, name="detail"),
]

from django.urls import path

from commissioning.home import views

app_name = "home"
urlpatterns = [
    path("", views.home, name="index"),
]

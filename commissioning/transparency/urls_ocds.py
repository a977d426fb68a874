from django.urls import path

from commissioning.transparency import views_ocds

app_name = "transparency_ocds"
urlpatterns = [path("ocds.json", views_ocds.ocds_package, name="ocds_package")]

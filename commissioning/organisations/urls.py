from django.urls import path

from commissioning.organisations import views

app_name = "organisations"
urlpatterns = [
    # The directory of partners, providers and applicants.
    path("", views.organisation_list, name="list"),
    path("add/", views.organisation_create, name="create"),
    path("search/", views.organisation_search, name="search"),
    path("<int:pk>/", views.organisation_detail, name="detail"),
    path("<int:pk>/edit/", views.organisation_edit, name="edit"),
    path("<int:pk>/contacts/add/", views.contact_add, name="contact_add"),
    path("<int:pk>/contacts/<int:contact_pk>/edit/", views.contact_edit, name="contact_edit"),
    path("<int:pk>/contacts/<int:contact_pk>/remove/", views.contact_delete, name="contact_delete"),
    # Partnership groups and boards (seed, Section 5).
    path("partnerships/", views.board_list, name="board_list"),
    path("partnerships/add/", views.board_create, name="board_create"),
    path("partnerships/<int:pk>/", views.board_detail, name="board_detail"),
    path("partnerships/<int:pk>/edit/", views.board_edit, name="board_edit"),
    path("partnerships/<int:pk>/meetings/add/", views.meeting_add, name="meeting_add"),
    # Non-financial commissioning (seed, Section 3).
    path("activities/", views.activity_list, name="activity_list"),
    path("activities/add/", views.activity_create, name="activity_create"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
]

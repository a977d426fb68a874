"""The supplier portal: registering, opportunities, questions and bids (issue 10, point 5)."""

from django.urls import path

from commissioning.procurement.views import suppliers

urlpatterns = [
    path("suppliers/register/", suppliers.supplier_register, name="supplier_register"),
    path("suppliers/register/sent/", suppliers.supplier_register_sent, name="supplier_register_sent"),
    path("suppliers/confirm/<uidb64>/<token>/", suppliers.supplier_confirm, name="supplier_confirm"),
    path("opportunities/", suppliers.opportunity_list, name="opportunity_list"),
    path("opportunities/<int:pk>/", suppliers.opportunity_detail, name="opportunity_detail"),
    path("opportunities/<int:pk>/interest/", suppliers.interest_express, name="interest_express"),
    path(
        "opportunities/<int:pk>/documents/<int:document_pk>/",
        suppliers.opportunity_document,
        name="opportunity_document",
    ),
    path("opportunities/<int:pk>/questions/ask/", suppliers.question_ask, name="question_ask"),
    path("opportunities/<int:pk>/bid/", suppliers.bid_edit, name="bid_edit"),
    path("opportunities/<int:pk>/bid/files/", suppliers.bid_attachments, name="bid_attachments"),
    path(
        "opportunities/<int:pk>/bid/files/<int:attachment_pk>/",
        suppliers.bid_attachment_download,
        name="own_bid_attachment_download",
    ),
    path(
        "opportunities/<int:pk>/bid/files/<int:attachment_pk>/remove/",
        suppliers.bid_attachment_remove,
        name="bid_attachment_remove",
    ),
    path("opportunities/<int:pk>/bid/check/", suppliers.bid_check, name="bid_check"),
    path("opportunities/<int:pk>/bid/withdraw/", suppliers.bid_withdraw, name="bid_withdraw"),
    path("my-bids/", suppliers.bid_list_mine, name="bid_list_mine"),
]

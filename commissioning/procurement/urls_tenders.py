"""Officers' pages: quotes and tenders (issue 10, points 5 and 6)."""

from django.urls import path

from commissioning.procurement.views import quotes, tenders

urlpatterns = [
    # The quotes route.
    path("cases/<int:case_pk>/quotes/", quotes.quote_list, name="quote_list"),
    path("cases/<int:case_pk>/quotes/add/", quotes.quote_invite, name="quote_invite"),
    path("cases/<int:case_pk>/quotes/<int:pk>/record/", quotes.quote_record, name="quote_record"),
    path("cases/<int:case_pk>/quotes/<int:pk>/document/", quotes.quote_document, name="quote_document"),
    path("cases/<int:case_pk>/quotes/choose/", quotes.quote_choose, name="quote_choose"),
    # Tenders.
    path("cases/<int:case_pk>/tender/add/", tenders.tender_create, name="tender_create"),
    path("tenders/", tenders.tender_list, name="tender_list"),
    path("tenders/<int:pk>/", tenders.tender_detail, name="tender_detail"),
    path("tenders/<int:pk>/edit/", tenders.tender_edit, name="tender_edit"),
    path("tenders/<int:pk>/publish/", tenders.tender_publish, name="tender_publish"),
    path("tenders/<int:pk>/documents/add/", tenders.document_add, name="document_add"),
    path("tenders/<int:pk>/documents/<int:document_pk>/", tenders.document_download, name="document_download"),
    path("tenders/<int:pk>/documents/<int:document_pk>/remove/", tenders.document_remove, name="document_remove"),
    path("tenders/<int:pk>/criteria/add/", tenders.criterion_add, name="criterion_add"),
    path("tenders/<int:pk>/criteria/<int:criterion_pk>/edit/", tenders.criterion_edit, name="criterion_edit"),
    path("tenders/<int:pk>/criteria/<int:criterion_pk>/remove/", tenders.criterion_remove, name="criterion_remove"),
    path(
        "tenders/<int:pk>/questions/<int:question_pk>/answer/",
        tenders.clarification_answer,
        name="clarification_answer",
    ),
    path("tenders/<int:pk>/opening/", tenders.opening, name="opening"),
    path("tenders/<int:pk>/bids.csv", tenders.bids_export, name="bids_export"),
    path("tenders/<int:pk>/bids/<int:bid_pk>/", tenders.bid_detail, name="bid_detail"),
    path(
        "tenders/<int:pk>/bids/<int:bid_pk>/files/<int:attachment_pk>/",
        tenders.bid_attachment_download,
        name="bid_attachment_download",
    ),
]

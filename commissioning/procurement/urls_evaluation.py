"""Tender evaluation and award (issue 10, points 7 and 8)."""

from django.urls import path

from commissioning.procurement.views import award, evaluation

app_name = "procurement_evaluation"
urlpatterns = [
    path("", evaluation.tender_list, name="tender_list"),
    path("tenders/<int:pk>/", evaluation.evaluation_detail, name="evaluation_detail"),
    path("tenders/<int:pk>/report.pdf", evaluation.evaluation_report, name="evaluation_report"),
    path("tenders/<int:pk>/recommend/", evaluation.recommend, name="recommend"),
    path("results/<int:pk>/scrutiny/", evaluation.scrutiny, name="scrutiny"),
    path("bids/<int:pk>/moderate/", evaluation.moderate, name="moderate"),
    path("mine/", evaluation.my_evaluations, name="my_evaluations"),
    path("mine/<int:pk>/declare/", evaluation.declare, name="declare"),
    path("mine/<int:pk>/", evaluation.score, name="score"),
    path("tenders/<int:pk>/decide/", award.award_decide, name="award_decide"),
    path("tenders/<int:pk>/award/", award.award_detail, name="award_detail"),
    path("letters/<int:pk>/", award.award_letter, name="award_letter"),
]

"""URL configuration: the admin, API v1 with its schema and docs, and the Google-compatible search."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from claims.api.claimreview import ClaimReviewFeedView, ClaimReviewImportView
from claims.api.google import GoogleClaimSearchView
from claims.api.ingest import ArticleIngestView
from claims.api.trackrecord import SourceTrackRecordView
from claims.api.values import ValueParseView
from claims.api.views import ClaimViewSet, QuestionViewSet, RatingScaleViewSet, VerdictViewSet
from sources.api.views import AppearanceViewSet, SourceViewSet

router = DefaultRouter(trailing_slash=True)
router.include_format_suffixes = False
router.register("claims", ClaimViewSet, basename="claim")
router.register("verdicts", VerdictViewSet, basename="verdict")
router.register("sources", SourceViewSet, basename="source")
router.register("appearances", AppearanceViewSet, basename="appearance")
router.register("questions", QuestionViewSet, basename="question")
router.register("rating-scales", RatingScaleViewSet, basename="ratingscale")

api_v1 = [
    # Before the router's routes, which it does not clash with today, so that a future source action of the same
    # name could not shadow it. Here rather than on SourceViewSet because sources never import claims.
    path("sources/<int:id>/track-record/", SourceTrackRecordView.as_view(), name="source-track-record"),
    path("claimreview/", ClaimReviewFeedView.as_view(), name="claimreview-feed"),
    path("claimreview/import/", ClaimReviewImportView.as_view(), name="claimreview-import"),
    path("", include(router.urls)),
    path("values/parse/", ValueParseView.as_view(), name="values-parse"),
    path("articles/ingest/", ArticleIngestView.as_view(), name="articles-ingest"),
    path("schema/", SpectacularAPIView.as_view(api_version="v1"), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    # Google's Fact Check Tools API, at the path its clients call (the site root is their api_endpoint). Servers
    # hand Django the path decoded, so claims%3Asearch, as some clients send it, arrives here too.
    path("v1alpha1/claims:search", GoogleClaimSearchView.as_view(), name="google-claims-search"),
]

admin.site.site_header = "factcheck"
admin.site.site_title = "factcheck desk"
admin.site.index_title = "Claims desk"

handler404 = "factcheck.errors.not_found"
handler500 = "factcheck.errors.server_error"

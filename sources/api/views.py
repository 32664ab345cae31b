"""API views for sources and appearances: what to read, how to filter and order it, and which service writes.

PUT is not offered: clients change objects with PATCH.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from sources.api.filters import AppearanceFilterSet, SourceFilterSet
from sources.api.serializers import (
    AppearanceSerializer,
    AppearanceWriteSerializer,
    SourceSerializer,
    SourceWriteSerializer,
)
from sources.models import Appearance, Source
from sources.services import appearance_create, appearance_update, source_create, source_update


class SourceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """People and organisations that make or relay claims."""

    filterset_class = SourceFilterSet
    ordering_fields = ("name", "created_at", "updated_at", "id")
    ordering = ("name", "id")

    def get_queryset(self) -> QuerySet[Source]:
        return Source.objects.for_api()

    def get_serializer_class(self) -> type[BaseSerializer]:
        if self.action in ("create", "partial_update"):
            return SourceWriteSerializer
        return SourceSerializer

    @extend_schema(request=SourceWriteSerializer, responses={201: SourceSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        source = source_create(actor=request.user, **serializer.validated_data)
        return self._read(source, status.HTTP_201_CREATED)

    @extend_schema(request=SourceWriteSerializer, responses={200: SourceSerializer})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        source = self.get_object()
        serializer = self.get_serializer(source, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        source = source_update(source=source, actor=request.user, **serializer.validated_data)
        return self._read(source, status.HTTP_200_OK)

    def _read(self, source: Source, status_code: int) -> Response:
        data = SourceSerializer(self.get_queryset().get(pk=source.pk), context=self.get_serializer_context()).data
        headers = {"Location": data["url"]} if status_code == status.HTTP_201_CREATED else None
        return Response(data, status=status_code, headers=headers)


class AppearanceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Published documents in which claims appear. `url` is the document's address, normalised."""

    filterset_class = AppearanceFilterSet
    ordering_fields = ("published_on", "created_at", "updated_at", "id")
    ordering = ("-published_on", "-id")

    def get_queryset(self) -> QuerySet[Appearance]:
        return Appearance.objects.for_api()

    def get_serializer_class(self) -> type[BaseSerializer]:
        if self.action in ("create", "partial_update"):
            return AppearanceWriteSerializer
        return AppearanceSerializer

    @extend_schema(request=AppearanceWriteSerializer, responses={201: AppearanceSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        appearance = appearance_create(actor=request.user, **serializer.validated_data)
        return self._read(appearance, status.HTTP_201_CREATED)

    @extend_schema(request=AppearanceWriteSerializer, responses={200: AppearanceSerializer})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        appearance = self.get_object()
        serializer = self.get_serializer(appearance, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        appearance = appearance_update(appearance=appearance, actor=request.user, **serializer.validated_data)
        return self._read(appearance, status.HTTP_200_OK)

    def _read(self, appearance: Appearance, status_code: int) -> Response:
        data = AppearanceSerializer(self.get_queryset().get(pk=appearance.pk)).data
        headers = None
        if status_code == status.HTTP_201_CREATED:
            headers = {"Location": self.request.build_absolute_uri(reverse("appearance-detail", args=[appearance.pk]))}
        return Response(data, status=status_code, headers=headers)

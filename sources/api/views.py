from rest_framework import viewsets
AppearanceViewSet = SourceViewSet = viewsets.ViewSet

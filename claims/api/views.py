from rest_framework import viewsets
ClaimViewSet = QuestionViewSet = RatingScaleViewSet = VerdictViewSet = viewsets.ViewSet

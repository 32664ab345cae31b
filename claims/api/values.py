"""POST /api/v1/values/parse/: English quantity and date expressions read as intervals (claims.values).

A pure function of its input: open to everyone, anonymous readers included, and rate-limited like every endpoint.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from drf_spectacular.utils import OpenApiExample, PolymorphicProxySerializer, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.models import ClaimValue, DatePrecision, ValueQualifier
from claims.values import ParseError, parse, to_json
from factcheck.api_schema import AutoSchema

MAX_EXPRESSIONS = 100
MAX_EXPRESSION_LENGTH = 500


class ValueParseRequestSerializer(serializers.Serializer):
    expression = serializers.CharField(
        max_length=MAX_EXPRESSION_LENGTH, required=False, help_text="One expression, e.g. 'nearly a thousand'."
    )
    expressions = serializers.ListField(
        child=serializers.CharField(max_length=MAX_EXPRESSION_LENGTH),
        max_length=MAX_EXPRESSIONS,
        allow_empty=False,
        required=False,
        help_text=f"Up to {MAX_EXPRESSIONS} expressions; give this or `expression`.",
    )
    reference_date = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The date the text appeared, for dates written without a year ('Thursday, February 29').",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("expression" in attrs) == ("expressions" in attrs):
            raise serializers.ValidationError({"expression": ["Give either `expression` or `expressions`."]})
        return attrs


class ParsedPartSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ClaimValue.Kind.choices)
    low = serializers.CharField(allow_null=True, help_text="A decimal or an ISO date, as a string; null: unbounded.")
    high = serializers.CharField(allow_null=True, help_text="A decimal or an ISO date, as a string; null: unbounded.")
    low_inclusive = serializers.BooleanField()
    high_inclusive = serializers.BooleanField()
    qualifier = serializers.ChoiceField(choices=ValueQualifier.choices)
    unit = serializers.CharField(allow_blank=True, help_text="Quantities: USD, percent, or the noun after the figure.")
    precision = serializers.ChoiceField(
        choices=DatePrecision.choices, allow_blank=True, help_text="Dates: day, month or year; blank for quantities."
    )
    weekday = serializers.CharField(allow_null=True, help_text="The weekday the text names, if any, unchecked.")


class ParsedValueSerializer(ParsedPartSerializer):
    expression = serializers.CharField()
    parts = ParsedPartSerializer(
        many=True, required=False, help_text="One per date when the text names several ('in March 2008 and May 2009')."
    )


class ValueParseErrorSerializer(serializers.Serializer):
    expression = serializers.CharField()
    error = serializers.CharField(help_text="Why the expression cannot be read.")


class ParsedValueListSerializer(serializers.Serializer):
    results = PolymorphicProxySerializer(
        component_name="ParsedValueOrError",
        serializers=[ParsedValueSerializer, ValueParseErrorSerializer],
        resource_type_field_name=None,
        many=True,
    )


class ValueParseSchema(AutoSchema):
    def _error_responses(self) -> dict[str, str]:
        return {
            "400": "The body is invalid, or its one `expression` cannot be read; the error names the field.",
            "401": "The credentials given are not valid.",
        }


def _read(expression: str, reference: dt.date | None) -> dict[str, Any]:
    try:
        return {"expression": expression, **to_json(parse(expression, reference=reference))}
    except ParseError as error:
        return {"expression": expression, "error": str(error)}
    except (ValueError, OverflowError) as error:
        # A text the rules did not foresee is this expression's error, never the request's 500.
        return {"expression": expression, "error": f"Cannot be read as a value ({error})."}


class ValueParseView(APIView):
    """Reads English quantity and date expressions as intervals, by the rules in the README ("Values from text").

    With `expression`: the value, or 400 naming `expression` when it cannot be read. With `expressions`: 200 and
    `results` in the same order, each the value or `{"expression", "error"}`.
    """

    permission_classes = [AllowAny]
    schema = ValueParseSchema()

    @extend_schema(
        operation_id="values_parse",
        request=ValueParseRequestSerializer,
        responses={
            200: PolymorphicProxySerializer(
                component_name="ValueParseResult",
                serializers=[ParsedValueSerializer, ParsedValueListSerializer],
                resource_type_field_name=None,
            )
        },
        examples=[
            OpenApiExample("One expression", value={"expression": "nearly a thousand"}, request_only=True),
            OpenApiExample(
                "Several",
                value={"expressions": ["Thursday, February 29", "over ten"], "reference_date": "2024-02-29"},
                request_only=True,
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        serializer = ValueParseRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        reference = data["reference_date"]
        if "expressions" in data:
            return Response({"results": [_read(expression, reference) for expression in data["expressions"]]})
        result = _read(data["expression"], reference)
        if "error" in result:
            raise serializers.ValidationError({"expression": [result["error"]]})
        return Response(result)

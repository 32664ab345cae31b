"""The API's JSON renderer (orjson) writes byte for byte what DRF's JSONRenderer writes."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy
from rest_framework import renderers
from rest_framework.exceptions import ErrorDetail
from rest_framework.utils.serializer_helpers import ReturnDict

from factcheck.renderers import JSONRenderer

SAMPLES = [
    {"a": 1, "b": [1, 2.5, None, True, False], "c": "ünïcode «quotes» \u2028 and \u2029", "d": {}},
    {"when": dt.datetime(2024, 2, 29, 12, 30, 45, 123456, tzinfo=dt.UTC), "day": dt.date(2024, 2, 29)},
    {"naive": dt.datetime(2024, 2, 29, 12, 30), "time": dt.time(9, 5, 7, 250000)},
    {"decimal": Decimal("12.50"), "uuid": uuid.UUID(int=7), "lazy": gettext_lazy("This field is required.")},
    {"error": ErrorDetail("Bad value.", code="invalid"), "ordered": ReturnDict({"x": 1}, serializer=None)},
    {1: "integer keys become strings", "tuple": (1, 2)},
    {"big": 2**70, "small": -(2**70)},
    [],
    "a string",
]


@pytest.mark.parametrize("data", SAMPLES)
def test_it_writes_what_drfs_renderer_writes(data):
    assert JSONRenderer().render(data) == renderers.JSONRenderer().render(data)


def test_it_indents_when_the_client_asks_like_drf():
    media_type = "application/json; indent=2"
    data = {"a": [1, 2], "b": "c"}

    assert JSONRenderer().render(data, media_type) == renderers.JSONRenderer().render(data, media_type)
    assert b"\n" in JSONRenderer().render(data, media_type)


def test_floats_are_the_same_numbers_and_the_same_bytes_but_where_python_writes_an_exponent():
    plain = {"score": 0.55, "big": 123456.5, "negative": -2.25}
    tiny = {"score": 1e-05}

    assert JSONRenderer().render(plain) == renderers.JSONRenderer().render(plain)
    assert JSONRenderer().render(tiny) == b'{"score":0.00001}'
    assert json.loads(JSONRenderer().render(tiny)) == json.loads(renderers.JSONRenderer().render(tiny))


def test_non_default_drf_settings_are_left_to_drfs_renderer(settings):
    renderer = JSONRenderer()
    renderer.ensure_ascii = True

    assert renderer.render({"a": "ü"}) == b'{"a":"\\u00fc"}'


def test_nothing_renders_as_an_empty_body():
    assert JSONRenderer().render(None) == b""

"""Serializer fields both apps' APIs share."""

from __future__ import annotations

from typing import Any

from django.core.validators import URLValidator
from django.db.models import Model
from rest_framework import serializers


class IdRelatedField(serializers.PrimaryKeyRelatedField):
    """A related object by id. Only whole numbers: Django would read 1.5 or true as id 1."""

    def to_internal_value(self, data: Any) -> Model:
        is_whole = isinstance(data, int) and not isinstance(data, bool)
        if not (is_whole or (isinstance(data, str) and data.isascii() and data.isdigit())):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


class HttpUrlField(serializers.URLField):
    """An http(s) address; DRF's URLField would also take ftp, which the database refuses."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, URLValidator)]
        self.validators.append(URLValidator(schemes=["http", "https"], message=self.error_messages["invalid"]))

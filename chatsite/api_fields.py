"""Request fields that take JSON's own types only, as the API schema says: DRF's own take
0 and "yes" for a boolean, "5" for an integer and 5 for a string, so a client's mistake
passed unnoticed (the conformance suite, tests/api/test_conformance.py, checks)."""

from rest_framework import serializers


class StrictCharField(serializers.CharField):
    """A JSON string only."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """JSON's ``true`` or ``false`` only (DRF's own also takes 0, 1, "yes", "off" ...)."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class StrictIntegerField(serializers.IntegerField):
    """A JSON integer only (DRF's own also takes "5" and 5.0)."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)

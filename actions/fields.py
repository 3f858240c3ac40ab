"""Input fields the apps' actions share."""

from rest_framework import serializers

# The largest id a row can have: BigAutoField, a 64-bit signed integer on SQLite and
# PostgreSQL alike. A larger number is no row's id, and the databases refuse to
# compare with it (SQLite: OverflowError), so it is refused as input.
MAX_ID = 2**63 - 1


class IdField(serializers.IntegerField):
    """The id of a row: a whole number from 1 to MAX_ID (the schemas say so too)."""

    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)

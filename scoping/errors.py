from django.db import DatabaseError


class ScopeViolation(DatabaseError):
    """A statement tried to reach rows outside its scope, or around the scoping."""

"""The site's name and monogram, from the one setting `SITE_NAME`.

Template tags rather than a context processor so the pages rendered without a
request context (500, 503: config/views.py) carry them too, without a query.
"""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def site_name() -> str:
    return settings.SITE_NAME


@register.simple_tag
def site_monogram() -> str:
    """The logo: the name's first letter, drawn as a badge by the stylesheet."""
    return next((c.upper() for c in settings.SITE_NAME if c.isalnum()), "·")

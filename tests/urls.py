"""Every URL pattern of the project, with an example path for each."""

import re
from dataclasses import dataclass

from django.urls import URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    route: str  # the pattern, as Django shows it
    name: str | None
    callback: object

    @property
    def example_path(self) -> str:
        path = re.sub(r"<(?:\w+:)?\w+>", "1", self.route)  # <int:pk>, <str:x>, <id>
        path = re.sub(r"\(\?P<\w+>[^)]*\)", "abc", path)  # (?P<key>[-:\w]+)
        return "/" + path.replace("^", "").replace("$", "")


def all_routes(patterns=None, prefix: str = "") -> list[Route]:
    routes = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            routes += all_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            routes.append(
                Route(prefix + str(pattern.pattern), pattern.name, pattern.callback)
            )
    return routes

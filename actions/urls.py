from django.urls import path

from actions import registry
from actions.views import (
    ActionListView,
    ActionView,
    SchemaView,
    UnknownActionView,
    docs,
)

urlpatterns = [
    path("api/actions/", ActionListView.as_view(), name="actions"),
    *[
        path(
            f"api/actions/{action.name}/",
            ActionView.for_action(action),
            name=f"action-{action.name}",
        )
        for action in registry.all_actions()
    ],
    path("api/actions/<str:name>/", UnknownActionView.as_view(), name="action-unknown"),
    path("api/schema/", SchemaView.as_view(), name="api-schema"),
    path("api/docs/", docs, name="api-docs"),
]

from django.urls import path

from actions.mcp import views

app_name = "mcp"

# Both spellings: hosts are configured with either, and a redirect would turn the
# POST into something else for some clients.
urlpatterns = [
    path("mcp", views.endpoint, name="mcp"),
    path("mcp/", views.endpoint, name="mcp-slash"),
]

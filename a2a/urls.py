from django.urls import path

from a2a import views

app_name = "a2a"

urlpatterns = [
    path(".well-known/agent-card.json", views.card, name="agent-card"),
    path("a2a/", views.endpoint, name="endpoint"),
]

from django.urls import path

from webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("webhooks/<str:provider>/", views.receive, name="receive"),
    # SendGrid Inbound Parse can carry its secret in the path instead of Basic auth.
    path("webhooks/<str:provider>/<str:secret>/", views.receive, name="receive-secret"),
]

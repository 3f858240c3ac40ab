from django.urls import path

from notes import views

app_name = "notes"

urlpatterns = [
    path("notes/", views.note_list, name="list"),
    path("notes/<int:note_id>/", views.note_edit, name="edit"),
    path("notes/<int:note_id>/delete/", views.note_delete, name="delete"),
    path("notes/notebooks/", views.notebook_create, name="notebook_create"),
]

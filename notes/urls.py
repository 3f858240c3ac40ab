from django.urls import path

from notes import views

app_name = "notes"

urlpatterns = [
    path("notes/", views.note_list, name="list"),
    path("notes/<int:note_id>/", views.note_edit, name="edit"),
    path("notes/<int:note_id>/share/", views.note_share, name="share"),
    path("notes/<int:note_id>/delete/", views.note_delete, name="delete"),
    path("notes/shared/<int:shared_note_id>/", views.shared_note, name="shared"),
    path(
        "notes/shared/<int:shared_note_id>/unshare/",
        views.shared_note_unshare,
        name="shared_unshare",
    ),
    path(
        "notes/shared/<int:shared_note_id>/delete/",
        views.shared_note_delete,
        name="shared_delete",
    ),
    path("notes/notebooks/", views.notebook_create, name="notebook_create"),
    path("notes/notebooks/<int:notebook_id>/", views.notebook_detail, name="notebook"),
    path(
        "notes/notebooks/<int:notebook_id>/delete/",
        views.notebook_delete,
        name="notebook_delete",
    ),
]

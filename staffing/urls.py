from django.urls import path

from staffing import views

app_name = "staffing"

urlpatterns = [
    path("townships/<str:code>/staff/", views.staff_list, name="staff_list"),
    path("townships/<str:code>/staff/add/", views.staff_add, name="staff_add"),
    path("townships/<str:code>/staff/<int:pk>/edit/", views.staff_edit, name="staff_edit"),
    path("townships/<str:code>/staff/<int:pk>/end/", views.staff_end, name="staff_end"),
    path("townships/<str:code>/posts/", views.posts_edit, name="posts_edit"),
    path("townships/<str:code>/director-opinion/", views.director_opinion, name="director_opinion"),
    path("townships/<str:code>/assistants/", views.assistant_list, name="assistant_list"),
    path("townships/<str:code>/assistants/add/", views.assistant_add, name="assistant_add"),
    path("townships/<str:code>/assistants/<int:pk>/edit/", views.assistant_edit, name="assistant_edit"),
    path("townships/<str:code>/assistants/<int:pk>/end/", views.assistant_end, name="assistant_end"),
    path("townships/<str:code>/assistants/<int:pk>/file/", views.assistant_file, name="assistant_file"),
]

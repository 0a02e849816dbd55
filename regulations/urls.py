from django.urls import path

from regulations import views

app_name = "regulations"

urlpatterns = [
    path("townships/<str:code>/regulations/", views.regulation_list, name="list"),
    path("townships/<str:code>/regulations/add/", views.regulation_add, name="add"),
    path("townships/<str:code>/regulations/<int:pk>/replace/", views.regulation_replace, name="replace"),
    path("townships/<str:code>/regulations/<int:pk>/retire/", views.regulation_retire, name="retire"),
    path("townships/<str:code>/regulations/<int:pk>/download/", views.regulation_download, name="download"),
]

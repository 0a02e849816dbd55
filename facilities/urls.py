from django.urls import path

from facilities import views

app_name = "facilities"

urlpatterns = [
    path("townships/<str:code>/rooms/", views.rooms, name="rooms"),
    path("townships/<str:code>/rooms/add/", views.room_add, name="room_add"),
    path("townships/<str:code>/rooms/<int:pk>/", views.room_edit, name="room_edit"),
    path("townships/<str:code>/rooms/<int:pk>/delete/", views.room_delete, name="room_delete"),
    path("townships/<str:code>/equipment/", views.equipment, name="equipment"),
    path("townships/<str:code>/equipment/add/", views.equipment_add, name="equipment_add"),
    path("townships/<str:code>/equipment/<int:pk>/", views.equipment_edit, name="equipment_edit"),
    path("townships/<str:code>/equipment/<int:pk>/delete/", views.equipment_delete, name="equipment_delete"),
    path("townships/<str:code>/stations/", views.stations, name="stations"),
]

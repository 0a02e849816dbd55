from django.urls import path

from reporting import views

app_name = "reporting"

urlpatterns = [
    path("todo/", views.todo, name="todo"),
    path("calendar/<int:year>/", views.calendar, name="calendar"),
    path("county/<str:code>/<int:year>/", views.county, name="county"),
    path("city/<str:code>/<int:year>/", views.city, name="city"),
    path("<str:code>/<int:year>/", views.report, name="report"),
]

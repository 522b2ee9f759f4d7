from django.urls import path

from ytcs.web import views

urlpatterns = [
    path("", views.home, name="home"),
]

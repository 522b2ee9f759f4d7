from django.urls import path

from ytcs.people import views

app_name = "people"
urlpatterns = [
    path("search/", views.search, name="search"),
    path("<int:pk>/", views.detail, name="detail"),
]

from django.urls import path

from ytcs.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.audit_list, name="list"),
    path("resident/<int:pk>/", views.audit_resident, name="resident"),
    path("user/<int:pk>/", views.audit_user, name="user"),
]

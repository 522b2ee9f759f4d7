from django.urls import path

from ytcs.surveillance import views

app_name = "surveillance"
urlpatterns = [
    path("", views.index, name="index"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/new/", views.case_create, name="case_create"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("weekly-report/", views.weekly_report, name="weekly_report"),
    path("curve/", views.curve, name="curve"),
    path("signals/", views.signal_list, name="signal_list"),
    path("signals/<int:pk>/", views.signal_detail, name="signal_detail"),
    path("alerts/", views.alert_list, name="alert_list"),
    path("alerts/<int:pk>/acknowledge/", views.alert_acknowledge, name="alert_acknowledge"),
    path("completeness/", views.completeness, name="completeness"),
]

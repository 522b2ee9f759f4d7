from django.urls import path

from ytcs.clinical import views

app_name = "clinical"
urlpatterns = [
    path("residents/<int:resident_pk>/visits/new/", views.visit_new, name="visit_new"),
    path("residents/<int:resident_pk>/timeline/", views.timeline, name="timeline"),
    path("residents/<int:resident_pk>/conditions/new/", views.condition_new, name="condition_new"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/edit/", views.visit_edit, name="visit_edit"),
    path("visits/<int:pk>/void/", views.visit_void, name="visit_void"),
    path("conditions/<int:pk>/resolve/", views.condition_resolve, name="condition_resolve"),
    path("icd10/search/", views.icd10_picker, name="icd10_picker"),
    path("icd10/row/", views.diagnosis_row, name="diagnosis_row"),
    path("prescriptions/row/", views.prescription_row, name="prescription_row"),
]

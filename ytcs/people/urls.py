from django.urls import path

from ytcs.people import views, views_dedup, views_record
from ytcs.people import views_register as register

app_name = "people"
urlpatterns = [
    path("search/", views.search, name="search"),
    path("<int:pk>/", views.detail, name="detail"),
    path("duplicates/", views_dedup.queue, name="dedup-queue"),
    path("duplicates/scan/", views_dedup.scan, name="dedup-scan"),
    path("duplicates/<int:pk>/", views_dedup.pair, name="dedup-pair"),
    path("duplicates/<int:pk>/decide/", views_dedup.decide, name="dedup-decide"),
    path("merges/<int:pk>/", views_dedup.merge_detail, name="dedup-merge"),
    path("merges/<int:pk>/undo/", views_dedup.merge_undo, name="dedup-undo"),
]

# Register: household registration, the record and its sections, life events, import, export.
urlpatterns += [
    path("register/", register.start, name="register_start"),
    path("register/household/new/", register.household_new, name="register_household"),
    path("register/household/member-row/", register.member_row, name="register_member_row"),
    path("register/household/member-duplicates/", register.member_duplicates, name="register_member_duplicates"),
    path("register/import/", register.import_upload, name="register_import"),
    path("register/import/template.csv", register.import_template, name="register_import_template"),
    path("register/resident/<int:resident_id>/", views_record.record, name="register_record"),
    path("register/resident/<int:resident_id>/edit/", register.resident_edit, name="register_resident_edit"),
    path("register/resident/<int:resident_id>/section/<str:section>/", register.section_post,
         name="register_section"),
    path("register/resident/<int:resident_id>/entry/<str:section>/", register.entry_add, name="register_entry_add"),
    path("register/resident/<int:resident_id>/entry/<str:section>/<int:entry_id>/delete/", register.entry_delete,
         name="register_entry_delete"),
    path("register/resident/<int:resident_id>/event/<str:kind>/", register.life_event, name="register_event"),
    path("register/resident/<int:resident_id>/print/", views_record.export_print, name="register_export_print"),
    path("register/resident/<int:resident_id>/record.pdf", views_record.export_pdf, name="register_export_pdf"),
    path("register/resident/<int:resident_id>/record.json", views_record.export_json, name="register_export_json"),
]

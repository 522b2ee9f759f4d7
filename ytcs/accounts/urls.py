from django.urls import path

from ytcs.accounts import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("users/to-move/", views.users_to_move_list, name="users_to_move"),
]

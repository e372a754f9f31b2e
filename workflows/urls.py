from django.urls import path

from . import views

app_name = "workflows"

urlpatterns = [
    path("<int:task_state_id>/", views.medical_review, name="medical_review"),
]

"""The Django groups Vetted's roles map to (PRODUCT.md section 1)."""

WRITERS = "Writers"
EDITORS = "Editors"
CLINICIANS = "Clinicians"

WORKFLOW_NAME = "Medical review"
EDITORIAL_TASK_NAME = "Editorial review"
MEDICAL_TASK_NAME = "Medical review"

"""The clinical workflow's models: the approval record and the medical review task."""

from .records import (
    ImmutableRecordError,
    MedicalApproval,
    MedicalApprovalQuerySet,
    MedicalRejection,
    PermanentRecord,
)
from .tasks import MedicalReviewRefused, MedicalReviewTask

__all__ = [
    "ImmutableRecordError",
    "MedicalApproval",
    "MedicalApprovalQuerySet",
    "MedicalRejection",
    "MedicalReviewRefused",
    "MedicalReviewTask",
    "PermanentRecord",
]

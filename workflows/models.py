"""The clinical workflow's models: the approval record, the corrections log and the medical
review task."""

from .corrections import Correction
from .records import (
    ImmutableRecordError,
    MedicalApproval,
    MedicalApprovalQuerySet,
    MedicalRejection,
    PermanentRecord,
)
from .tasks import MedicalReviewRefused, MedicalReviewTask

__all__ = [
    "Correction",
    "ImmutableRecordError",
    "MedicalApproval",
    "MedicalApprovalQuerySet",
    "MedicalRejection",
    "MedicalReviewRefused",
    "MedicalReviewTask",
    "PermanentRecord",
]

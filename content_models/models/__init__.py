from .pages import ArticleIndexPage, ArticlePage
from .people import (
    Author,
    CredentialVerification,
    DeclaredInterest,
    DeclaredInterestTopic,
    InterestDeclaration,
    MedicalReviewer,
)
from .topics import Specialty, Topic

__all__ = [
    "ArticleIndexPage",
    "ArticlePage",
    "Author",
    "CredentialVerification",
    "DeclaredInterest",
    "DeclaredInterestTopic",
    "InterestDeclaration",
    "MedicalReviewer",
    "Specialty",
    "Topic",
]

from .pages import ArticleIndexPage, ArticlePage
from .people import Author, CredentialVerification, MedicalReviewer
from .topics import Topic

__all__ = [
    "ArticleIndexPage",
    "ArticlePage",
    "Author",
    "CredentialVerification",
    "MedicalReviewer",
    "Topic",
]

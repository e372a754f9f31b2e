from .pages import ArticleIndexPage, ArticlePage
from .people import Author, MedicalReviewer
from .topics import Topic

__all__ = ["ArticleIndexPage", "ArticlePage", "Author", "MedicalReviewer", "Topic"]

"""Where the public frontend serves an article."""

from cms.options import vetted_option


def article_frontend_path(*, slug):
    """``FRONTEND_BASE_URL`` + slug + "/": the article's address on the frontend."""
    return f"{vetted_option('FRONTEND_BASE_URL').rstrip('/')}/{slug}/"


def article_frontend_prefix():
    """``FRONTEND_BASE_URL`` with one trailing slash: where every article address starts."""
    return f"{vetted_option('FRONTEND_BASE_URL').rstrip('/')}/"

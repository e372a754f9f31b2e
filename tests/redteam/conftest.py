from tests.workflows.conftest import article, index, on_commit, people  # noqa: F401

"""Full-text search of the delivery documents: what readers can find is what they are served.

Each document stores `search_text`, the words of its reader document that a
search matches (`search_text()`), written with the document in the gate's
transaction. The database indexes that column itself, so no write path can
update one without the other:

- PostgreSQL: two stored generated columns, ``search_lexemes`` (the words,
  ``strip(to_tsvector('english', search_text))``, with a GIN index) and
  ``search_vector`` (the same with their positions, read only to check a phrase);
- SQLite (the embedded default): an FTS5 table over the documents, kept by
  triggers on the documents table.

`documents_matching()` narrows a queryset of documents in SQL (a semi-join on
the index), so a search never moves ids or vectors through Python and the
list's count and page stay one statement each, under the public rule of
`api.selectors`.

The words searched and how a query is read follow Wagtail's database search
backend, which the API used before: the same fields of an article (title,
summary, the searchable text of the body, topic and people's names), the same
parsing (`"quoted words"` are a phrase, every other word must appear), the same
text search configuration (PostgreSQL's ``english``, with its stemming) and
SQLite's default FTS5 tokenizer, so results do not change with the move
(`tests/api/test_search.py` compares the two on the demo content).
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchVectorExact, SearchVectorField
from django.core.exceptions import ImproperlyConfigured
from django.db import OperationalError
from django.db import connection as default_connection
from django.db.models import BooleanField, Expression, Q
from modelsearch.query import And, Or, Phrase, PlainText
from wagtail.rich_text import get_text_for_indexing
from wagtail.search.utils import parse_query_string

# PostgreSQL's text search configuration, fixed in the generated column's definition.
POSTGRESQL_CONFIG = "english"
DOCUMENTS_TABLE = "api_articledocument"
SQLITE_INDEX = "api_articledocument_search"
# What each callout tone reads as to the search (Wagtail indexes a choice by its label).
CALLOUT_TONES = {"info": "Information", "tip": "Tip", "warning": "Warning"}


def search_text(document):
    """The words of `document` (a reader document) that a search matches, as one text.

    Per block, what Wagtail's StreamField indexing takes: the text of headings,
    paragraphs and lists, a "read more" block's own link text, an image's alt
    text and caption, a callout's tone, title and text, a citation's title,
    source, DOI and PubMed id. Addresses, dates and ids are not words a reader
    searches for.
    """
    parts = [document["title"], document["summary"]]
    for block in document["body"]:
        parts.extend(_block_words(block["type"], block["value"]))
    parts.extend(topic["name"] for topic in document["topics"])
    for person in (document["author"], document["medical_reviewer"]):
        if person:
            parts.append(person["name"])
    return "\n".join(part for part in parts if part)


def _block_words(kind, value):
    if isinstance(value, dict) and value.get("unreviewed"):
        return []  # never served: a document showing one is not the approved one
    if kind == "heading":
        return [value]
    if kind == "paragraph":
        return [_text(value)]
    if kind == "bullet_list":
        return [_item_text(item) for item in value]
    if kind == "read_more":
        return [value["text"]] if value["text"] != value["title"] else []
    if kind == "image":
        return [value["alt"], value["caption"]]
    if kind == "callout":
        return [CALLOUT_TONES.get(value["tone"], ""), value["title"], _text(value["text"])]
    if kind == "citation":
        return [value["title"], value["source"], value["doi"], value["pubmed_id"]]
    return []


def _item_text(item):
    # A list item stored from Python may hold its ``{"type": "item", "value": …}`` wrapper.
    while isinstance(item, dict):
        item = item.get("value", "")
    return str(item)


def _text(html):
    return get_text_for_indexing(html) if html else ""


def documents_matching(*, queryset, text):
    """The documents of `queryset` whose `search_text` matches `text`, in `queryset`'s order.

    `text` is read as Wagtail reads a search box. Words that the index cannot
    match at all (only punctuation, only stop words) match nothing.
    """
    _filters, query = parse_query_string(text)
    vendor = default_connection.vendor
    if vendor == "postgresql":
        condition = _postgresql_condition(query)
    elif vendor == "sqlite":
        condition = _sqlite_condition(query)
    else:
        raise NotImplementedError(f"Search of delivery documents has no {vendor} index.")
    if condition is None:
        return queryset.none()
    return queryset.filter(condition)


def plain_expression(text):
    """What `plain_condition` takes to match `text`, when `text` is plain words (no
    phrase, as nearly every search is), or None.

    Every plain search is then the same SQL with one value, which the list
    compiles once (`api.lists`); any other search goes through
    `documents_matching`, which the same words match alike.
    """
    _filters, query = parse_query_string(text)
    if not isinstance(query, PlainText):
        return None
    vendor = default_connection.vendor
    if vendor == "postgresql":
        return _lexemes(query)
    if vendor == "sqlite":
        return _fts5_expression(query)
    return None


def plain_condition(expression):
    """The condition of the documents matching `expression` (`plain_expression`)."""
    if default_connection.vendor == "postgresql":
        return Q(
            SearchVectorExact(
                _DocumentsColumn("search_lexemes", SearchVectorField()),
                SearchQuery(expression, search_type="raw", config=POSTGRESQL_CONFIG),
            )
        )
    return _Fts5Match(expression)


# PostgreSQL


class _DocumentsColumn(Expression):
    """A column of the documents table under the alias the query gives it (``U0`` in a
    subquery), for the columns the model does not declare."""

    def __init__(self, column, output_field):
        super().__init__(output_field=output_field)
        self.column = column

    def as_sql(self, compiler, connection):
        alias = compiler.quote_name_unless_alias(compiler.query.base_table)
        return f"{alias}.{connection.ops.quote_name(self.column)}", []


def _postgresql_condition(query):
    """Every word in ``search_lexemes`` (the GIN index's column, small enough to stay in
    the row); for a phrase, also the words in order in ``search_vector``, which keeps
    their positions but is read only for the rows that have all of them."""
    words = _tsquery(query, phrases=False)
    if words is None:
        return None
    condition = Q(
        SearchVectorExact(_DocumentsColumn("search_lexemes", SearchVectorField()), words)
    )
    if _has_phrase(query):
        positions = _DocumentsColumn("search_vector", SearchVectorField())
        condition &= Q(SearchVectorExact(positions, _tsquery(query)))
    return condition


def _lexemes(query):
    """`query` (plain words) as the text of a raw ``tsquery``, as Wagtail's backend writes
    it (its ``Lexeme``): each word quoted, combined in order with its operator."""
    terms = [term for term in re.split(r"[\s\-]+", query.query_string) if term]
    if not terms:
        return None
    connector = " & " if query.operator == "and" else " | "
    quoted = ["'" + term.replace("'", "''").replace("\\", "\\\\") + "'" for term in terms]
    lexemes = quoted[0]
    for term in quoted[1:]:
        lexemes = f"({lexemes}{connector}{term})"
    return lexemes


def _has_phrase(query):
    if isinstance(query, Phrase):
        return True
    return isinstance(query, (And, Or)) and any(map(_has_phrase, query.subqueries))


def _tsquery(query, *, phrases=True):
    """`query` (Wagtail's parsed search) as a ``tsquery``, term by term as Wagtail's backend
    builds it: each word a lexeme, normalised by the configuration, all of them required.
    Without `phrases`, a phrase is only its words, in any order."""
    if isinstance(query, PlainText):
        lexemes = _lexemes(query)
        if lexemes is None:
            return None
        return SearchQuery(lexemes, search_type="raw", config=POSTGRESQL_CONFIG)
    if isinstance(query, Phrase):
        search_type = "phrase" if phrases else "plain"
        return SearchQuery(query.query_string, search_type=search_type, config=POSTGRESQL_CONFIG)
    if isinstance(query, (And, Or)):
        parts = [_tsquery(part, phrases=phrases) for part in query.subqueries]
        parts = [part for part in parts if part is not None]
        if not parts:
            return None
        combined = parts[0]
        for part in parts[1:]:
            combined = combined & part if isinstance(query, And) else combined | part
        return combined
    return None  # MATCH_NONE: nothing searched for


# SQLite


class _Fts5Match(Expression):
    """``<document id> IN (the FTS5 index's rows matching <expression>)``."""

    conditional = True

    def __init__(self, expression):
        super().__init__(output_field=BooleanField())
        self.expression = expression

    def as_sql(self, compiler, connection):
        article_id, _params = _DocumentsColumn("article_id", None).as_sql(compiler, connection)
        return (
            f"{article_id} IN (SELECT rowid FROM {SQLITE_INDEX} WHERE {SQLITE_INDEX} MATCH %s)",
            [self.expression],
        )


def _sqlite_condition(query):
    expression = _fts5_expression(query)
    if expression is None:
        return None
    return _Fts5Match(expression)


def _fts5_expression(query):
    """`query` as an FTS5 query string: each word a quoted string (so no word is read as
    FTS5 syntax), all of them required; a phrase one quoted string."""
    if isinstance(query, PlainText):
        terms = query.query_string.split()
        if not terms:
            return None
        connector = " AND " if query.operator == "and" else " OR "
        return "(" + connector.join(_fts5_string(term) for term in terms) + ")"
    if isinstance(query, Phrase):
        return _fts5_string(query.query_string)
    if isinstance(query, (And, Or)):
        parts = [part for part in map(_fts5_expression, query.subqueries) if part is not None]
        if not parts:
            return None
        connector = " AND " if isinstance(query, And) else " OR "
        return "(" + connector.join(parts) + ")"
    return None


def _fts5_string(text):
    return '"' + text.replace('"', '""') + '"'


# The indexes, installed by the migration that adds `search_text` and checked after
# every migrate (`index_ensure`): SQLite drops a table's triggers when a migration
# rebuilds the table.

_SQLITE_TRIGGERS = {
    f"{SQLITE_INDEX}_insert": (
        f"AFTER INSERT ON {DOCUMENTS_TABLE} BEGIN "
        f"INSERT INTO {SQLITE_INDEX} (rowid, search_text) "
        "VALUES (new.article_id, new.search_text); END"
    ),
    f"{SQLITE_INDEX}_delete": (
        f"AFTER DELETE ON {DOCUMENTS_TABLE} BEGIN "
        f"INSERT INTO {SQLITE_INDEX} ({SQLITE_INDEX}, rowid, search_text) "
        "VALUES ('delete', old.article_id, old.search_text); END"
    ),
    f"{SQLITE_INDEX}_update": (
        f"AFTER UPDATE OF search_text, article_id ON {DOCUMENTS_TABLE} BEGIN "
        f"INSERT INTO {SQLITE_INDEX} ({SQLITE_INDEX}, rowid, search_text) "
        "VALUES ('delete', old.article_id, old.search_text); "
        f"INSERT INTO {SQLITE_INDEX} (rowid, search_text) "
        "VALUES (new.article_id, new.search_text); END"
    ),
}


def index_ensure(connection):
    """Create the search index of the documents if it is missing (idempotent)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            vector = f"to_tsvector('{POSTGRESQL_CONFIG}'::regconfig, search_text)"
            # The words with their positions, for phrases: a few kilobytes, kept out of line.
            cursor.execute(
                f"ALTER TABLE {DOCUMENTS_TABLE} ADD COLUMN IF NOT EXISTS search_vector tsvector "
                f"GENERATED ALWAYS AS ({vector}) STORED"
            )
            # The words alone, indexed: about half the size, so a row keeps them inline and
            # a scan that checks them (a count of a common word) does not fetch them.
            cursor.execute(
                f"ALTER TABLE {DOCUMENTS_TABLE} ADD COLUMN IF NOT EXISTS search_lexemes tsvector "
                f"GENERATED ALWAYS AS (strip({vector})) STORED"
            )
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS api_document_search_lexemes ON {DOCUMENTS_TABLE} "
                "USING gin (search_lexemes)"
            )
            lexemes_kept_in_row(cursor)
            cursor.execute("DROP INDEX IF EXISTS api_document_search")
        elif connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [DOCUMENTS_TABLE],
            )
            present = {name for (name,) in cursor.fetchall()}
            if present >= set(_SQLITE_TRIGGERS):
                return
            # External content: the index reads the documents' own column.
            try:
                cursor.execute(
                    f"CREATE VIRTUAL TABLE IF NOT EXISTS {SQLITE_INDEX} USING fts5("
                    f"search_text, content='{DOCUMENTS_TABLE}', content_rowid='article_id')"
                )
            except OperationalError as missing:
                raise ImproperlyConfigured(
                    "This Python's SQLite has no FTS5, which the API's search needs: use a "
                    "Python built with a current SQLite (python.org's and Debian's are), "
                    "or PostgreSQL (DATABASE_URL)."
                ) from missing
            for name, body in _SQLITE_TRIGGERS.items():
                cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")
            # Triggers were missing, so the index may be behind the documents.
            cursor.execute(f"INSERT INTO {SQLITE_INDEX} ({SQLITE_INDEX}) VALUES ('rebuild')")


def lexemes_kept_in_row(cursor):
    """Store ``search_lexemes`` in the row itself (compressed), not out of line with the
    document's long columns (PostgreSQL).

    A search checks the words of every row it reads, and reading them from the
    TOAST table costs about forty times more per row (a count at 1,000 articles:
    9.7 ms instead of 0.24 ms). Out of line, the table's own pages also look so
    few to the planner that it scans the whole table for a word in one article in
    ten rather than use the GIN index. Rows written before this keep their old
    storage until they are written again (migration 0006 rewrites them).
    """
    cursor.execute(
        "SELECT attstorage FROM pg_attribute WHERE attrelid = %s::regclass AND attname = %s",
        [DOCUMENTS_TABLE, "search_lexemes"],
    )
    if cursor.fetchone() != ("m",):
        cursor.execute(
            f"ALTER TABLE {DOCUMENTS_TABLE} ALTER COLUMN search_lexemes SET STORAGE MAIN"
        )


def index_remove(connection):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for column in ("search_lexemes", "search_vector"):
                cursor.execute(f"ALTER TABLE {DOCUMENTS_TABLE} DROP COLUMN IF EXISTS {column}")
        elif connection.vendor == "sqlite":
            for name in _SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"DROP TABLE IF EXISTS {SQLITE_INDEX}")

"""Read queries compiled to SQL once per database connection, then run with new values.

Building a queryset and compiling it to SQL costs the API more than the
database takes to answer a detail: about 1 ms of Python for a query whose
shape never changes, only its values. A `CompiledQuery` builds its queryset
once per connection, with a marker in place of each value, and keeps the SQL,
its parameters and the positions of the markers; each request puts its values
there and runs the same SQL text, which `api.prepared` then lets PostgreSQL
keep prepared. What is public is still decided by the queryset the selector
builds: only the moment of compiling moves.
"""

import uuid

from django.db import DEFAULT_DB_ALIAS, connections


class CompiledQuery:
    """`build(**values)` (a queryset) compiled once per connection; `rows(**values)` runs it."""

    def __init__(self, build):
        self.build = build
        self.key = f"vetted_compiled_{uuid.uuid4().hex}"

    def rows(self, *, using=DEFAULT_DB_ALIAS, **values):
        connection = connections[using]
        compiled = getattr(connection, self.key, None)
        if compiled is None or compiled.names != frozenset(values):
            compiled = _Compiled(self.build, connection, names=frozenset(values))
            setattr(connection, self.key, compiled)
        return compiled.rows(values)

    def first(self, *, using=DEFAULT_DB_ALIAS, **values):
        rows = self.rows(using=using, **values)
        return rows[0] if rows else None


class _Compiled:
    def __init__(self, build, connection, *, names):
        self.names = names
        self.connection = connection
        markers = {name: f"\x00vetted-marker-{name}-{uuid.uuid4().hex}\x00" for name in names}
        queryset = build(**markers)
        self.compiler = queryset.query.get_compiler(connection=connection)
        self.sql, params = self.compiler.as_sql()
        self.params = list(params)
        self.slots = []
        for name, marker in markers.items():
            slots = [index for index, param in enumerate(self.params) if param == marker]
            if not slots:
                raise ValueError(f"The query does not take {name!r} as a parameter.")
            self.slots += [(index, name) for index in slots]
        self.converters = self.compiler.get_converters(
            [expression for expression, _sql, _alias in self.compiler.select]
        )

    def rows(self, values):
        params = list(self.params)
        for index, name in self.slots:
            params[index] = values[name]
        with self.connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.converters:
            rows = [tuple(row) for row in self.compiler.apply_converters(rows, self.converters)]
        return rows

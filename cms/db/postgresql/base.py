"""Django's PostgreSQL backend, with a health check that costs no round trip.

With ``CONN_HEALTH_CHECKS`` Django asks a persistent connection ``SELECT 1``
before the first query of every request, so an uncached API request pays a
round trip to PostgreSQL before the one query it needs. An idle connection is
sent nothing unless the server is ending it (a restart, a terminated backend,
an idle timeout: the server writes the reason and closes the socket), so the
connection is checked where that shows, locally: libpq's state, the
transaction state, and whether its socket has anything to read. A connection
with unread input is closed and opened again; the server sends nothing unasked
that Vetted needs (it never LISTENs).
"""

import select

from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        connection = self.connection
        if connection is None or connection.closed:
            return False
        pgconn = connection.pgconn
        if pgconn.status != pq.ConnStatus.OK:
            return False
        if pgconn.transaction_status not in (
            pq.TransactionStatus.IDLE,
            pq.TransactionStatus.INTRANS,
        ):
            return False
        poller = select.poll()
        poller.register(pgconn.socket, select.POLLIN | select.POLLPRI)
        try:
            return not poller.poll(0)
        except OSError:
            return False

"""Signals the clinical workflow sends, for apps that act on what readers can see.

Receivers are connected in `cms.apps` (the place that wires the apps), never
by import side effects.
"""

from django.dispatch import Signal

# Sent by the gate inside the transaction that writes a gated page's live row,
# whenever that row is (or was) live: it went live, its live content changed,
# or it was taken down. Arguments: ``instance``, ``was_live``, ``is_live``; when
# the gate checked the row as written (it is live), also ``row`` (that row:
# ``instance``, or for a save of some fields the stored row with them written
# over), ``approval`` (the approval that covers it) and ``rendered`` (its reader
# document as checked), found under the row's lock in this transaction.
# A receiver that raises rolls the change back: nothing is live that the
# receivers did not see.
live_content_changed = Signal()

# Sent when a live article is sent back for re-review because its review is
# overdue. Arguments: ``instance`` (the article).
review_overdue = Signal()

"""`make bench`: Vetted's delivery API against Wagtail's API v2 and a bare ceiling view.

Nothing here is imported by the project; the benchmark's own settings
(`bench.settings`) mount the extra endpoints it compares against.
"""

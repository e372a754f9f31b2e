"""The reader document: an article exactly as readers get it, rendered from one revision.

What the clinician is shown, what is fingerprinted and approved, and what the
API stores and serves are this one rendering (`reader.document`). It reads
the article only through its attributes, and what it shows from elsewhere
(linked articles, images, topics, people) only through `reader.sources`, so
the same snapshot always renders the same document.
"""

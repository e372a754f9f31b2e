from django.db import models
from wagtail.search import index


class Topic(index.Indexed, models.Model):
    """A subject an article is filed under, such as "HER2" or "Breast cancer"."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

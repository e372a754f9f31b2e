from django import forms
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class Specialty(models.Model):
    """A clinical specialty from the publisher's controlled list, such as "Oncology".

    Reviewers have specialties; topics name the specialties that may review them.
    """

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "specialties"

    def __str__(self):
        return self.name


class Topic(index.Indexed, models.Model):
    """A subject an article is filed under, such as "HER2" or "Breast cancer"."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    specialties = models.ManyToManyField(
        Specialty,
        blank=True,
        related_name="topics",
        help_text="The specialties whose reviewers are suggested for articles on this topic.",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("specialties", widget=forms.CheckboxSelectMultiple),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

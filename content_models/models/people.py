from django.conf import settings
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.search import index


class Author(index.Indexed, models.Model):
    """The person credited with "Article written by …"."""

    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150, unique=True)
    bio = models.TextField(help_text="Two or three sentences shown at the foot of each article.")
    photo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author_profile",
        help_text="The writer's account, if the author writes in Vetted.",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("bio"),
        FieldPanel("photo"),
        FieldPanel("user"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class MedicalReviewer(index.Indexed, models.Model):
    """The clinician credited with "Medically reviewed by …" and who approves articles."""

    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150, unique=True)
    credentials = models.CharField(max_length=100, help_text='For example "M.D." or "Pharm.D."')
    specialty = models.CharField(max_length=150)
    organization = models.CharField(max_length=150, blank=True)
    bio = models.TextField(help_text="Two or three sentences shown at the foot of each article.")
    photo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="medical_reviewer_profile",
        help_text="The clinician's account: only this user can approve their articles.",
    )
    credentials_verified_until = models.DateField(
        help_text="The date until which these credentials were verified. "
        "A reviewer whose verification has lapsed cannot approve."
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("slug"), FieldPanel("credentials")], heading="Byline"
        ),
        FieldPanel("specialty"),
        FieldPanel("organization"),
        FieldPanel("bio"),
        FieldPanel("photo"),
        MultiFieldPanel(
            [FieldPanel("user"), FieldPanel("credentials_verified_until")], heading="Verification"
        ),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}, {self.credentials}"

    @property
    def byline(self):
        return f"{self.name}, {self.credentials}"

    def credentials_valid_on(self, day=None):
        day = day or timezone.localdate()
        return self.credentials_verified_until >= day

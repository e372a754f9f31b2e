from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel
from wagtail.search import index

from workflows.records import MedicalApproval, PermanentRecord

ACCOUNT_LOCKED = (
    "This reviewer profile has approvals on record, so its account cannot change: readers "
    "were told this person reviewed those articles. Create a new reviewer profile for the "
    "other account, and assign its articles to it."
)
VERIFICATION_UNRECORDED = (
    "The credentials verification date is changed only with a record of who verified "
    "them and on what evidence. Record it in the Verification section of the reviewer's "
    "profile (in Python: `reviewer_credentials_verify`)."
)
SELF_VERIFICATION = (
    "You cannot verify your own credentials. Ask an editor to check them with the "
    "registry and record the verification."
)
EVIDENCE_MISSING = (
    "Say what the verification rests on: the registry and licence number, or a note "
    "describing the evidence."
)


class ReviewerProfileRefused(PermissionDenied):
    """A change to a reviewer profile that would rewrite who vouched for what."""


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


def _refuse_identity_writes(fields):
    if {"user", "user_id"} & set(fields):
        raise ReviewerProfileRefused(ACCOUNT_LOCKED)
    if "credentials_verified_until" in fields:
        raise ReviewerProfileRefused(VERIFICATION_UNRECORDED)


class MedicalReviewerQuerySet(models.QuerySet):
    """Bulk writes never change who a profile is or how long it is verified for."""

    def update(self, **kwargs):
        _refuse_identity_writes(kwargs)
        return super().update(**kwargs)

    def bulk_update(self, objs, fields, batch_size=None):
        # Refused before Django's own transaction, which would be left broken.
        _refuse_identity_writes(fields)
        return super().bulk_update(objs, fields, batch_size=batch_size)

    def bulk_create(self, objs, *args, update_conflicts=False, update_fields=None, **kwargs):
        if update_conflicts:
            _refuse_identity_writes(update_fields or ())
        return super().bulk_create(
            objs, *args, update_conflicts=update_conflicts, update_fields=update_fields, **kwargs
        )


class MedicalReviewerForm(WagtailAdminModelForm):
    """The reviewer profile in the admin: a verification is recorded with its evidence."""

    registry = forms.CharField(
        required=False,
        max_length=100,
        help_text='The register checked, for example "GMC" or "General Pharmaceutical Council".',
    )
    licence_number = forms.CharField(
        required=False,
        max_length=50,
        help_text="The reviewer's registration or licence number on that register.",
    )
    evidence_note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What else the verification rests on (when the register has no number).",
    )

    def verifying(self):
        return self.instance.pk is None or "credentials_verified_until" in self.changed_data

    def clean(self):
        cleaned = super().clean()
        if "user" in self.changed_data and self.instance.has_approvals():
            self.add_error("user", ACCOUNT_LOCKED)
        if self.verifying():
            account = cleaned.get("user")
            if (
                self.for_user is not None
                and account is not None
                and account.pk == self.for_user.pk
            ):
                self.add_error("credentials_verified_until", SELF_VERIFICATION)
            if not (
                (cleaned.get("registry") and cleaned.get("licence_number"))
                or cleaned.get("evidence_note", "").strip()
            ):
                self.add_error("registry", EVIDENCE_MISSING)
        return cleaned

    def save(self, commit=True):
        verifying = self.verifying()
        until = self.cleaned_data["credentials_verified_until"]
        reviewer = super().save(commit=False)
        if not commit:
            return reviewer
        with transaction.atomic():
            if reviewer.pk is not None and verifying:
                reviewer.credentials_verified_until = reviewer.stored_verified_until()
            reviewer.save()
            self.save_m2m()
            if verifying:
                reviewer_credentials_verify(
                    reviewer=reviewer,
                    verified_by=self.for_user,
                    verified_until=until,
                    registry=self.cleaned_data.get("registry", ""),
                    licence_number=self.cleaned_data.get("licence_number", ""),
                    note=self.cleaned_data.get("evidence_note", ""),
                )
        return reviewer


class MedicalReviewer(index.Indexed, models.Model):
    """The clinician credited with "Medically reviewed by …" and who approves articles.

    A profile is an identity, not a label: once it has approvals its account
    never changes, and its verification date moves only with a
    `CredentialVerification` saying who checked and on what evidence.
    """

    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150, unique=True)
    credentials = models.CharField(max_length=100, help_text='For example "M.D." or "Pharm.D."')
    specialty = models.CharField(
        max_length=150, help_text='As shown to readers, for example "Consultant oncologist".'
    )
    specialties = models.ManyToManyField(
        "content_models.Specialty",
        blank=True,
        related_name="reviewers",
        help_text="The specialties this reviewer may be suggested for.",
    )
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
        FieldPanel("specialties", widget=forms.CheckboxSelectMultiple),
        FieldPanel("organization"),
        FieldPanel("bio"),
        FieldPanel("photo"),
        MultiFieldPanel(
            [
                FieldPanel("user"),
                FieldPanel("credentials_verified_until"),
                FieldPanel("registry"),
                FieldPanel("licence_number"),
                FieldPanel("evidence_note"),
                HelpPanel(template="content_models/panels/verification_history.html"),
            ],
            heading="Verification",
        ),
        HelpPanel(
            template="content_models/panels/declared_interests.html", heading="Declared interests"
        ),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]
    base_form_class = MedicalReviewerForm

    objects = MedicalReviewerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        # Django's own internal writes go through the refusing queryset too.
        base_manager_name = "objects"

    def __str__(self):
        return f"{self.name}, {self.credentials}"

    _verification = None

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        writes = (
            None if update_fields is None else {name.removesuffix("_id") for name in update_fields}
        )
        if self.pk is not None and (
            writes is None or writes & {"user", "credentials_verified_until"}
        ):
            stored = (
                type(self)
                .objects.filter(pk=self.pk)
                .values("user_id", "credentials_verified_until")
                .first()
            )
            if stored is not None:
                if (
                    (writes is None or "user" in writes)
                    and stored["user_id"] != self.user_id
                    and self.has_approvals()
                ):
                    raise ReviewerProfileRefused(ACCOUNT_LOCKED)
                recorded = self._verification
                if (
                    (writes is None or "credentials_verified_until" in writes)
                    and stored["credentials_verified_until"] != self.credentials_verified_until
                    and (
                        recorded is None
                        or recorded.pk is None
                        or recorded.reviewer_id != self.pk
                        or recorded.verified_until != self.credentials_verified_until
                        or recorded.verified_by_id == self.user_id
                        or not CredentialVerification.objects.filter(pk=recorded.pk).exists()
                    )
                ):
                    raise ReviewerProfileRefused(VERIFICATION_UNRECORDED)
        return super().save(*args, **kwargs)

    def has_approvals(self):
        return (
            self.pk is not None
            and MedicalApproval.objects.filter(reviewer_profile_id=self.pk).exists()
        )

    def stored_verified_until(self):
        return (
            type(self)
            .objects.filter(pk=self.pk)
            .values_list("credentials_verified_until", flat=True)
            .first()
        )

    @property
    def byline(self):
        return f"{self.name}, {self.credentials}"

    def credentials_valid_on(self, day=None):
        day = day or timezone.localdate()
        return self.credentials_verified_until >= day


class CredentialVerification(PermanentRecord):
    """Who verified a reviewer's credentials, when, until when, and on what evidence.

    Kept for good (inserted only), shown on the reviewer's profile: the trail
    behind every `credentials_verified_until`.
    """

    reviewer = models.ForeignKey(
        MedicalReviewer, on_delete=models.PROTECT, related_name="verifications"
    )
    verified_until = models.DateField()
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(default=timezone.now)
    registry = models.CharField(max_length=100, blank=True)
    licence_number = models.CharField(max_length=50, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-verified_at", "-pk"]
        default_permissions = ("view",)
        base_manager_name = "objects"

    def __str__(self):
        return f"{self.reviewer.name}: verified until {self.verified_until:%d %B %Y}"

    @property
    def evidence(self):
        number = " ".join(filter(None, [self.registry, self.licence_number]))
        return "; ".join(filter(None, [number, self.note]))


@transaction.atomic
def reviewer_credentials_verify(
    *, reviewer, verified_by, verified_until, registry="", licence_number="", note=""
):
    """Record that `verified_by` checked `reviewer`'s credentials, valid until `verified_until`.

    The only way the verification date moves. Refused for the reviewer's own
    account and without evidence (a registry and licence number, or a note).
    """
    if verified_by is None or not verified_by.pk:
        raise ReviewerProfileRefused(
            "Say who verified the credentials: a verification is recorded in someone's name."
        )
    # The profile as stored, locked: whose credentials these are is the row's account,
    # not what a stale copy in memory says.
    stored = MedicalReviewer.objects.select_for_update().get(pk=reviewer.pk)
    if verified_by.pk == stored.user_id:
        raise ReviewerProfileRefused(SELF_VERIFICATION)
    if not ((registry and licence_number) or note.strip()):
        raise ValidationError(EVIDENCE_MISSING)
    record = CredentialVerification.objects.create(
        reviewer=reviewer,
        verified_until=verified_until,
        verified_by=verified_by,
        registry=registry,
        licence_number=licence_number,
        note=note,
    )
    stored.credentials_verified_until = verified_until
    stored._verification = record
    stored.save(update_fields=["credentials_verified_until"])
    reviewer.credentials_verified_until = verified_until
    return record


INTEREST_UNDATED = "Say from when the interest applies."
INTEREST_ENDS_BEFORE = "An interest cannot end before it starts."
INTEREST_CONCERNS_NOTHING = (
    "Name the topics or the products this interest concerns: an interest that concerns "
    "nothing cannot be checked against the articles you review."
)
DECLARING_FOR_OTHERS = (
    "Only the clinician, or an editor recording their signed declaration, can declare "
    "a reviewer's interests."
)


class InterestDeclaration(PermanentRecord):
    """A reviewer's interests as declared on one day: the whole list, in `interests`.

    Each declaration replaces the one before (which stays, as history); an empty
    one says there is nothing to declare. The latest is what readers are shown
    and what `workflows.rules` checks an article's topics against.
    """

    reviewer = models.ForeignKey(
        MedicalReviewer, on_delete=models.PROTECT, related_name="declarations"
    )
    declared_at = models.DateTimeField(default=timezone.now)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-declared_at", "-pk"]
        get_latest_by = ["declared_at", "pk"]
        default_permissions = ("view",)
        base_manager_name = "objects"

    def __str__(self):
        return f"{self.reviewer.name}: interests declared {self.declared_at:%d %B %Y}"


class DeclaredInterest(PermanentRecord):
    """One interest of a declaration: a relation with an organisation, and what it concerns."""

    class Relation(models.TextChoices):
        EMPLOYMENT = "employment", "Employment"
        CONSULTANCY = "consultancy", "Consultancy or advisory role"
        SPEAKER_FEES = "speaker_fees", "Speaker fees"
        RESEARCH_FUNDING = "research_funding", "Research funding"
        SHARES = "shares", "Shares or other financial holding"

    declaration = models.ForeignKey(
        InterestDeclaration, on_delete=models.PROTECT, related_name="interests"
    )
    organization = models.CharField(max_length=200)
    relation = models.CharField(max_length=20, choices=Relation.choices)
    topics = models.ManyToManyField(
        "content_models.Topic", through="DeclaredInterestTopic", related_name="+", blank=True
    )
    products = models.CharField(
        max_length=300, blank=True, help_text="The products or treatments it concerns."
    )
    started = models.DateField()
    ended = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["started", "pk"]
        default_permissions = ("view",)
        base_manager_name = "objects"

    def __str__(self):
        return f"{self.get_relation_display()}: {self.organization}"

    def current_on(self, day):
        return self.started <= day and (self.ended is None or self.ended >= day)


class DeclaredInterestTopic(PermanentRecord):
    """A topic a declared interest concerns (kept for good, like the interest)."""

    interest = models.ForeignKey(DeclaredInterest, on_delete=models.PROTECT, related_name="+")
    topic = models.ForeignKey("content_models.Topic", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["interest", "topic"], name="declared_interest_topic")
        ]
        default_permissions = ()
        base_manager_name = "objects"


def interest_errors(interest):
    """What is wrong with `interest` (a dict of `DeclaredInterest` fields and ``topics``)."""
    errors = {}
    if not (interest.get("organization") or "").strip():
        errors["organization"] = "Name the organisation."
    if interest.get("relation") not in DeclaredInterest.Relation.values:
        errors["relation"] = (
            "Choose what the relation is: "
            + ", ".join(str(label) for label in DeclaredInterest.Relation.labels).lower()
            + "."
        )
    started, ended = interest.get("started"), interest.get("ended")
    if started is None:
        errors["started"] = INTEREST_UNDATED
    elif ended is not None and ended < started:
        errors["ended"] = INTEREST_ENDS_BEFORE
    if not interest.get("topics") and not (interest.get("products") or "").strip():
        errors["topics"] = INTEREST_CONCERNS_NOTHING
    return errors


def may_declare_for(*, user, reviewer):
    """Whether `user` may record `reviewer`'s declaration: the clinician, or an editor."""
    if user is None or not user.pk or not user.is_active:
        return False
    return user.pk == reviewer.user_id or user.has_perm("content_models.change_medicalreviewer")


@transaction.atomic
def interests_declare(*, reviewer, declared_by, interests):
    """Record `reviewer`'s interests as of now, declared by `declared_by`.

    `interests` is the whole list (each a dict of `DeclaredInterest` fields, with
    ``topics`` a list of topics); an empty list declares that there is nothing to
    declare. Bad input raises `ValidationError` and records nothing.
    """
    if not may_declare_for(user=declared_by, reviewer=reviewer):
        raise ReviewerProfileRefused(DECLARING_FOR_OTHERS)
    problems = {}
    for number, interest in enumerate(interests, start=1):
        for field, message in interest_errors(interest).items():
            problems.setdefault(field, []).append(f"Interest {number}: {message}")
    if problems:
        raise ValidationError(problems)
    # One declaration at a time per reviewer: the latest is always a whole list.
    MedicalReviewer.objects.select_for_update().filter(pk=reviewer.pk).first()
    declaration = InterestDeclaration.objects.create(reviewer=reviewer, declared_by=declared_by)
    for interest in interests:
        fields = {key: value for key, value in interest.items() if key != "topics"}
        fields["organization"] = fields["organization"].strip()
        fields["products"] = (fields.get("products") or "").strip()
        recorded = DeclaredInterest.objects.create(declaration=declaration, **fields)
        DeclaredInterestTopic.objects.bulk_create(
            DeclaredInterestTopic(interest=recorded, topic=topic)
            for topic in interest.get("topics") or ()
        )
    return declaration

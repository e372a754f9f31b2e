"""The reviewer list follows the topics a writer ticks, in Chromium, before any save."""

from django.contrib.auth.models import Group
from playwright.sync_api import expect

from cms.roles import roles_ensure
from content_models.models import Specialty
from tests.factories import MedicalReviewerFactory, TopicFactory, article_index, clinician, writer
from workflows.roles import EDITORS
from workflows.services import medical_review_workflow_ensure


def test_ticking_a_topic_suggests_the_reviewers_whose_specialties_cover_it(page, admin_login):
    index = article_index()
    roles_ensure(article_index=index)
    medical_review_workflow_ensure(page=index, editors_group=Group.objects.get(name=EDITORS))
    oncology = Specialty.objects.create(name="Oncology", slug="oncology")
    cardiology = Specialty.objects.create(name="Cardiology", slug="cardiology")
    her2 = TopicFactory(name="HER2", slug="her2")
    her2.specialties.set([oncology])
    for name, username, specialty in (
        ("Asha Rao", "dr_rao", oncology),
        ("Henry Hart", "dr_hart", cardiology),
    ):
        MedicalReviewerFactory(name=name, user=clinician(username=username)).specialties.set(
            [specialty]
        )
    writer(username="wendy")

    admin_login("wendy")
    page.goto(f"/admin/pages/add/content_models/articlepage/{index.pk}/")
    select = page.locator("#id_medical_reviewer")
    expect(select.locator("optgroup")).to_have_count(0)

    page.get_by_label("HER2").check()

    suggested = select.locator("optgroup[label^='Suggested for this article']")
    expect(suggested.locator("option")).to_have_count(1)
    expect(suggested.locator("option")).to_contain_text("Asha Rao")
    others = select.locator("optgroup[label^='Other reviewers']")
    expect(others.locator("option")).to_contain_text("Henry Hart")
    # A choice made stays chosen as the list is read again.
    page.select_option("#id_medical_reviewer", label=suggested.locator("option").inner_text())
    page.get_by_label("HER2").uncheck()
    expect(select.locator("optgroup")).to_have_count(0)
    expect(select.locator("option:checked")).to_contain_text("Asha Rao")

"""POST data for the article editor, as the admin's form sends it."""

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

# The defaults are the text `tests.factories.article_draft` writes, so a form
# posted with them carries exactly an existing draft's content.
PARAGRAPH = "HER2 is a growth receptor found on breast cells."
TAKEAWAY = "HER2-positive cancers respond to targeted drugs."


def article_form(*, title, summary, author, reviewer=None, paragraph=PARAGRAPH, **extra):
    data = nested_form_data(
        {
            "title": title,
            "slug": extra.pop("slug", "what-is-her2"),
            "summary": summary,
            "key_takeaways": streamfield([("takeaway", TAKEAWAY)]),
            "body": streamfield(
                [("heading", "What it is"), ("paragraph", rich_text(f"<p>{paragraph}</p>"))]
            ),
            "author": author.pk,
            "medical_reviewer": reviewer.pk if reviewer else "",
            "comments": inline_formset([]),
        }
    )
    data.update(extra)
    return data

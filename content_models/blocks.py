"""The blocks an article body is written with."""

from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "superscript", "subscript"]


class ReadMoreBlock(blocks.StructBlock):
    """A "Read more about …" link to another article."""

    article = blocks.PageChooserBlock(page_type="content_models.ArticlePage")
    text = blocks.CharBlock(
        required=False,
        max_length=200,
        help_text='The link text, for example "diagnostic tests for HER2-positive breast '
        "cancer\". Defaults to the article's title.",
    )

    class Meta:
        icon = "link"
        label = "Read more"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        max_length=250, help_text="Describe the image for readers who cannot see it."
    )
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "image"


class CalloutBlock(blocks.StructBlock):
    tone = blocks.ChoiceBlock(
        choices=[("info", "Information"), ("tip", "Tip"), ("warning", "Warning")],
        default="info",
    )
    title = blocks.CharBlock(required=False, max_length=120)
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "warning"


class CitationBlock(blocks.StructBlock):
    """A source the article relies on; structured so it can be re-checked at review."""

    title = blocks.CharBlock(max_length=300)
    source = blocks.CharBlock(max_length=200, help_text="Journal, organisation or publisher.")
    url = blocks.URLBlock(required=False)
    doi = blocks.CharBlock(required=False, max_length=100, label="DOI")
    pubmed_id = blocks.CharBlock(required=False, max_length=20, label="PubMed ID")
    accessed = blocks.DateBlock(required=False, help_text="When the source was last checked.")

    class Meta:
        icon = "doc-full"


class ArticleBodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        max_length=150, form_classname="title", icon="title", help_text="A section title."
    )
    paragraph = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, icon="pilcrow")
    bullet_list = blocks.ListBlock(
        blocks.CharBlock(max_length=500), icon="list-ul", label="Bullet list"
    )
    read_more = ReadMoreBlock()
    image = ImageBlock()
    callout = CalloutBlock()
    citation = CitationBlock()


class KeyTakeawaysBlock(blocks.StreamBlock):
    takeaway = blocks.CharBlock(max_length=300, icon="tick")

    class Meta:
        max_num = 6

"""Images as readers get them: one rendition with its size and alt text."""

import logging

from wagtail.images.models import SourceImageIOError
from wagtail.utils.file import hash_filelike

logger = logging.getLogger(__name__)

PHOTO_FILTER = "fill-400x400"
BODY_IMAGE_FILTER = "max-1600x1600"


def image_rendition(*, image, filter_spec, alt):
    """``{"url", "width", "height", "alt"}`` of `image` rendered by `filter_spec`, or None.

    None when the original file is missing from storage: a lost file must not
    turn an article into a server error.
    """
    try:
        rendition = image.get_rendition(filter_spec)
    except SourceImageIOError:
        logger.warning("Image %s has no readable file; left out of the API.", image.pk)
        return None
    return {
        "url": rendition.full_url,
        "width": rendition.width,
        "height": rendition.height,
        "alt": alt,
    }


def image_file_hash(image):
    """The SHA-1 of `image`'s file: what identifies the picture a reader sees.

    Wagtail records it on upload; an image created another way may lack it, and
    then the file is hashed here (without saving, so reading never writes).
    """
    if image.file_hash:
        return image.file_hash
    with image.open_file() as file:
        return hash_filelike(file)


def person_photo(person):
    """The rendition of an author's or reviewer's photo, or None."""
    if person is None or person.photo is None:
        return None
    return image_rendition(image=person.photo, filter_spec=PHOTO_FILTER, alt=person.name)

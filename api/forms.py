"""The admin's image form, refusing early what `api.shared_changes` refuses at save."""

from django import forms
from wagtail.images.forms import BaseImageForm

from .shared_changes import image_file_refusal


class ImageForm(BaseImageForm):
    def clean_file(self):
        file = self.cleaned_data.get("file")
        if self.instance.pk and "file" in self.changed_data:
            reason = image_file_refusal(image_id=self.instance.pk)
            if reason is not None:
                raise forms.ValidationError(reason)
        return file

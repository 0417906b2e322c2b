import zipfile
from pathlib import PurePosixPath

from django import forms
from django.utils.translation import gettext_lazy as _

from .markdown_io.upload import MAX_FILES, MAX_TOTAL_BYTES, UPLOAD_SUFFIXES, zip_members


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ",".join(sorted(UPLOAD_SUFFIXES))})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data] if data else [single(None, initial)]
        return [single(data, initial)]


class MarkdownUploadForm(forms.Form):
    files = MultipleFileField(
        label=_("Files"),
        help_text=_(
            "Markdown files (.md) with their images, or one .zip of a folder. "
            "Each file starts with front matter: title and language are required."
        ),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: show what would change and save nothing"), required=False, initial=True
    )
    strip_unknown = forms.BooleanField(
        label=_("Remove other tools' macros and includes ({!…!}, {% … %}, {{ … }})"),
        required=False,
    )
    link_prefix = forms.CharField(
        label=_("The old site's help folder"),
        required=False,
        max_length=200,
        help_text=_(
            "e.g. /help/: links to /help/refunds then lead to the page imported from refunds.md."
        ),
    )
    old_site = forms.URLField(
        label=_("The old site's address"),
        required=False,
        assume_scheme="https",
        help_text=_("Links to its pages that were not imported lead there."),
    )

    def options(self):
        data = self.cleaned_data
        return {
            "strip_unknown": data["strip_unknown"],
            "link_prefixes": [data["link_prefix"]] if data["link_prefix"] else [],
            "old_site": data["old_site"],
        }

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(
                _("Upload at most %(count)d files at a time.") % {"count": MAX_FILES}
            )
        if sum(f.size for f in files) > MAX_TOTAL_BYTES:
            raise forms.ValidationError(
                _("The files add up to more than %(mb)d MB.")
                % {"mb": MAX_TOTAL_BYTES // (1024 * 1024)}
            )
        for upload in files:
            suffix = PurePosixPath(upload.name).suffix.lower()
            if suffix not in UPLOAD_SUFFIXES:
                raise forms.ValidationError(
                    _("“%(name)s” is not a Markdown file, an image, a video, captions or a .zip.")
                    % {"name": upload.name}
                )
            if suffix == ".zip":
                try:
                    zip_members(upload)
                except (zipfile.BadZipFile, ValueError) as err:
                    raise forms.ValidationError(
                        _("“%(name)s” cannot be used: %(problem)s")
                        % {"name": upload.name, "problem": err}
                    ) from err
        return files

"""The page editor's form for help pages: publishing rules shown beside the fields."""

from collections import defaultdict

from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminPageForm


class HelpPageForm(WagtailAdminPageForm):
    def _post_clean(self):
        super()._post_clean()
        # "Save draft" defers the rules, unless the page is in review: the revision a
        # reviewer approves must be publishable as it stands.
        if self.is_deferred_validation and not self.instance.workflow_in_progress:
            return
        messages = defaultdict(list)
        for problem in self.instance.publishing_problems():
            field = problem.field if problem.field in self.fields else None
            if field is None or field not in self.errors:
                messages[field].append(problem.message)
        for field, texts in messages.items():
            # One error per field: a stream field shows only the first error it is given.
            self.add_error(field, ValidationError(" ".join(texts)))

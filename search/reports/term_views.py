"""One search term: its wordings and figures, the one-step fixes, and re-running it."""

from django.db.models import Sum
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from ..models import SearchTerm
from . import fixes
from .access import InsightsAccessMixin
from .forms import DraftFixForm, PromoteFixForm, StatusFixForm, SynonymFixForm
from .queries import Period
from .views import LANGUAGE_NAMES

_MAX_ID = 2**63 - 1


class SearchTermView(InsightsAccessMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "search/reports/term.html"
    header_icon = "search"

    @cached_property
    def term(self):
        pk = self.kwargs["pk"]
        term = SearchTerm.objects.filter(pk=pk).first() if pk <= _MAX_ID else None
        if term is None:
            raise Http404
        return term

    def get_page_title(self):
        return gettext("Search: %(query)s") % {"query": self.term.display}

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("search_insights:failed"), "label": gettext("Failed searches")},
            {"url": "", "label": self.term.display},
        ]

    @cached_property
    def draft_parents(self):
        return fixes.draft_parents(self.term, self.request.user)

    def make_form(self, name, data=None):
        term = self.term
        wording = fixes.searchable(term.display)
        if name == "synonym":
            return SynonymFixForm(data, term=term, initial={"wording": wording})
        if name == "promote":
            return PromoteFixForm(data, term=term)
        if name == "draft":
            return DraftFixForm(
                data, term=term, parents=self.draft_parents, initial={"title": capfirst(wording)}
            )
        initial = {
            "status": SearchTerm.HANDLED if term.status == SearchTerm.OPEN else SearchTerm.OPEN
        }
        return StatusFixForm(data, term=term, initial=initial)

    def figures(self):
        period = Period.default(self.term.locale)
        return self.term.daily.filter(date__gte=period.start, date__lte=period.end).aggregate(
            searches=Sum("searches"),
            failed=Sum("failed"),
            no_click=Sum("no_click"),
            clicked=Sum("clicked"),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        forms = {name: self.make_form(name) for name in ("synonym", "promote", "draft", "status")}
        forms.update(kwargs.get("bound_forms", {}))
        context.update(
            term=self.term,
            language=LANGUAGE_NAMES.get(self.term.locale, self.term.locale),
            figures=self.figures(),
            wordings=fixes.wordings(self.term),
            forms=forms,
            can_draft=self.draft_parents.exists(),
            rerun=fixes.rerun(self.term) if self.request.GET.get("rerun") else None,
            rerun_url=f"{reverse('search_insights:term', args=[self.term.pk])}?rerun=1",
        )
        return context


class SearchTermFixView(SearchTermView):
    """Applies one fix (``action``) and comes back to the term, re-running its wordings."""

    http_method_names = ["post"]
    action = None
    FIXES = ("synonym", "promote", "draft", "status")

    def post(self, request, *args, **kwargs):
        form = self.make_form(self.action, request.POST)
        if self.action == "draft" and not self.draft_parents.exists():
            form.add_error(None, gettext("You may not start pages in this language."))
        if not form.is_valid():
            context = self.get_context_data(bound_forms={self.action: form})
            return self.render_to_response(context, status=400)
        message, buttons = self.apply(form)
        messages.success(request, message, buttons=buttons)
        return redirect(f"{reverse('search_insights:term', args=[self.term.pk])}?rerun=1#rerun")

    def apply(self, form):
        term, user, data = self.term, self.request.user, form.cleaned_data
        if self.action == "synonym":
            group = fixes.add_synonym(term, data["wording"], data["means"], user, data["group"])
            return gettext("Synonyms saved: %(terms)s") % {"terms": group.terms}, []
        if self.action == "promote":
            fixes.promote_page(term, data["page"], user)
            return gettext("“%(title)s” is now shown first for this search.") % {
                "title": data["page"].title
            }, []
        if self.action == "draft":
            page = fixes.start_draft(term, data["parent"], data["title"], user)
            edit = messages.button(
                reverse("wagtailadmin_pages:edit", args=[page.pk]), _("Edit the draft")
            )
            return gettext("Draft “%(title)s” started (not published).") % {"title": page.title}, [
                edit
            ]
        fixes.set_status(term, data["status"], user, data["note"])
        return gettext("Marked as %(status)s.") % {"status": term.get_status_display().lower()}, []

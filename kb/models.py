from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from home import help_types
from home.addresses import page_address
from home.blocks import ANSWER_FEATURES, help_body_blocks
from home.models import HelpPage
from home.publishing import PublishingProblem
from home.searchable import SearchPart, rich_text_to_index
from home.structured_data import common

from .blocks import FaqItemBlock


class CategoryPage(Page):
    """A topic that groups help items, e.g. "Billing and payments"."""

    intro = models.TextField(_("introduction"), blank=True)
    icon = models.CharField(
        _("icon"), max_length=32, blank=True, help_text=_("An emoji or short symbol.")
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("icon")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = help_types.PAGE_MODELS

    def route(self, request, path_components):
        # Search and the sitemap hide the items of an unpublished category; so does the site.
        if path_components and not self.live:
            raise Http404
        return super().route(request, path_components)

    def help_items(self):
        return self.get_children().live().public().specific()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["items"] = self.help_items()
        return context


class ArticlePage(HelpPage):
    help_type = "article"

    body = StreamField(help_body_blocks(), blank=True, verbose_name=_("body"))

    content_panels = HelpPage.content_panels + [FieldPanel("summary"), FieldPanel("body")]
    search_fields = HelpPage.search_fields + [index.SearchField("body")]

    class Meta:
        verbose_name = _("article")

    def body_text(self):
        return self.stream_text(self.body)


class FaqPage(HelpPage):
    help_type = "faq"

    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=ANSWER_FEATURES,
        help_text=_("Optional text shown before the questions."),
    )
    faqs = StreamField(
        [("faq", FaqItemBlock())], min_num=1, verbose_name=_("questions and answers")
    )

    content_panels = HelpPage.content_panels + [
        FieldPanel("summary"),
        FieldPanel("intro"),
        FieldPanel("faqs"),
    ]
    search_fields = HelpPage.search_fields + [index.SearchField("faqs")]

    class Meta:
        verbose_name = _("FAQ page")

    @staticmethod
    def anchor_for(block):
        # The block id survives edits and reordering, so links to an answer stay valid.
        return f"q-{block.id[:8]}" if block.id else ""

    def questions(self):
        return [(self.anchor_for(b), b.value) for b in self.faqs]

    def structured_data(self, request):
        url = page_address(self, request)
        return {
            **common(self, request, "FAQPage"),
            "mainEntity": [
                {
                    "@type": "Question",
                    "name": item["question"],
                    "url": f"{url}#{anchor}" if anchor else None,
                    "acceptedAnswer": {"@type": "Answer", "text": item.answer_text()},
                }
                for anchor, item in self.questions()
            ],
        }

    def search_parts(self):
        parts = []
        intro = rich_text_to_index(self.intro).strip() if self.intro else ""
        if intro:
            # The introduction is found as the page itself, before its answers.
            parts.append(
                SearchPart(
                    title=self.title, summary=self.summary, body=intro, keywords=self.keyword_list()
                )
            )
        # The page title ("Billing questions") gives every answer its context.
        keywords = [self.title, *self.keyword_list()]
        for block in self.faqs:
            answer = block.value.answer_text()
            parts.append(
                SearchPart(
                    title=block.value["question"],
                    summary=answer[:300],
                    body=answer,
                    anchor=self.anchor_for(block),
                    keywords=keywords,
                )
            )
        return parts

    def publishing_problems(self):
        problems = super().publishing_problems()
        if not len(self.faqs):
            problems.append(
                PublishingProblem("faqs", str(_("Add at least one question and its answer.")))
            )
        for block in self.faqs:
            if not block.value.has_answer():
                problems.append(
                    PublishingProblem(
                        "faqs",
                        str(
                            _("The question “%(question)s” has no answer.")
                            % {"question": block.value["question"]}
                        ),
                    )
                )
        return problems


from . import abuse, contact, feedback  # noqa: E402, F401 (customer-side models)

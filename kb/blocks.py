from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from home.blocks import ANSWER_FEATURES, DetailsBlock, ReusableAnswerBlock
from home.searchable import rich_text_to_index


class FaqItemValue(blocks.StructValue):
    def answer_text(self):
        """The answer as customers read it: the written text, then the reusable answer."""
        answer = self.get("answer")
        reusable = self.get("reusable_answer")
        details = self.get("details")
        pieces = [rich_text_to_index(answer.source) if answer else ""]
        if details:
            pieces.extend(details.stream_block.get_searchable_content(details))
        if reusable is not None and reusable.live:
            pieces.append(reusable.text())
        return " ".join(p.strip() for p in pieces if p.strip())

    def has_answer(self):
        answer = self.get("answer")
        written = answer and rich_text_to_index(answer.source).strip()
        return bool(written or self.get("details") or self.get("reusable_answer"))


class FaqItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(max_length=250)
    answer = blocks.RichTextBlock(features=ANSWER_FEATURES, required=False)
    details = DetailsBlock(
        required=False, help_text="Code, tables, notes or more text after the answer."
    )
    reusable_answer = ReusableAnswerBlock(
        required=False,
        help_text="Use an answer kept in one place instead of, or after, the text above.",
    )

    class Meta:
        # Named for what the editor adds; the block's name alone would read "Faq".
        label = gettext_lazy("Question and answer")
        icon = "help"
        template = "blocks/faq_item.html"
        description = "A question and its answer; each gets its own link"
        preview_value = {
            "question": "How do I find my invoice?",
            "answer": "<p>Open My account, then Invoices.</p>",
        }
        value_class = FaqItemValue

    def clean(self, value):
        value = super().clean(value)
        if not self.is_deferred_validation and not value.has_answer():
            raise StructBlockValidationError(
                block_errors={
                    "answer": ValidationError(_("Write an answer or choose a reusable answer."))
                }
            )
        return value

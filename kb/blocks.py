from wagtail import blocks


class FaqItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(max_length=250)
    answer = blocks.RichTextBlock(features=["bold", "italic", "ol", "ul", "link"])

    class Meta:
        icon = "help"
        template = "blocks/faq_item.html"
        description = "A question and its answer; each gets its own link"
        preview_value = {"question": "How do I find my invoice?", "answer": "<p>Open My account, then Invoices.</p>"}

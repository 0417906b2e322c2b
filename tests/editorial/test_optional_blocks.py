"""A guide step's tip is optional: a guide without tips goes through review unchanged."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from editorial.markdown_io.writer import PageWriter
from guides.models import GuidePage
from home.blocks import CalloutBlock

from .conftest import client_for


def step(title, text, tip=""):
    return (
        "step",
        {
            "title": title,
            "text": rich_text(f"<p>{text}</p>"),
            "reusable_answer": "",
            "image": {"image": "", "decorative": "", "alt_text": ""},
            # An empty rich text editor posts "null".
            "callout": {"kind": "tip", "text": rich_text(f"<p>{tip}</p>") if tip else "null"},
            "details": streamfield([]),
        },
    )


def guide_form(page, steps, action="action-submit"):
    data = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "summary": page.summary,
            "keywords": "",
            "prerequisites": rich_text(""),
            "estimated_minutes": "5",
            "steps": streamfield(steps),
            "review_by": "2031-01-01",
            "comments": inline_formset([]),
        }
    )
    data[action] = "1"
    return data


@pytest.mark.django_db
def test_editor_submits_a_guide_whose_steps_have_no_tip(tree, editor):
    page = tree.guide([("Open the app", "Tap Billing.")])
    response = client_for(editor).post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        guide_form(page, [step("Open the app", "Tap Billing."), step("Add it", "Tap Add.")]),
    )
    assert response.status_code == 302, response.context["form"].errors
    page.refresh_from_db()
    assert page.workflow_in_progress
    submitted = page.get_latest_revision_as_object()
    assert [s.value["title"] for s in submitted.steps] == ["Open the app", "Add it"]
    # Nothing of an empty tip is kept, shown or exported.
    assert not submitted.steps[0].value["callout"]["text"]
    assert "Tip" not in PageWriter(str).guide_body(submitted)


@pytest.mark.django_db
def test_a_tip_once_started_still_needs_its_text(tree, editor):
    page = tree.guide([("Open the app", "Tap Billing.")])
    data = guide_form(page, [step("Open the app", "Tap Billing.")])
    data["steps-0-value-callout-kind"] = "warning"
    response = client_for(editor).post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    assert response.status_code == 200
    assert "steps" in response.context["form"].errors
    page.refresh_from_db()
    assert not page.workflow_in_progress


def test_an_empty_optional_callout_is_valid_and_a_required_one_is_not():
    optional, required = CalloutBlock(required=False), CalloutBlock()
    empty = optional.to_python({"kind": "tip", "text": "<p></p>"})
    assert optional.clean(empty) == optional.get_default()
    with pytest.raises(Exception):  # noqa: B017 - Wagtail's StructBlockValidationError
        required.clean(required.to_python({"kind": "tip", "text": ""}))


@pytest.mark.django_db
def test_every_demo_guide_passes_the_checks_the_review_form_runs():
    call_command("load_demo", verbosity=0)
    guides = [p.specific for p in Page.objects.type(GuidePage)]
    assert guides
    for guide in guides:
        guide.steps.stream_block.clean(guide.steps)
        assert guide.publishing_problems() == [], guide.title

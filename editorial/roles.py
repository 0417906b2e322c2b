"""The editorial roles, by group name; created by migrations/0001_roles_and_review_workflow."""

EDITORS = "Editors"
REVIEWERS = "Reviewers"
SEARCH_MANAGERS = "Search managers"

# The workflow every help page and reusable answer goes through before it is published.
REVIEW_WORKFLOW = "Review"
REVIEW_TASK = "Reviewer approval"

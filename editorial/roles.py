"""The editorial roles, by group name; created by migrations/0001_roles_and_review_workflow,
except the search managers' group, which the search app creates and names."""

from search.reports.access import SEARCH_MANAGERS as SEARCH_MANAGERS  # one name, search's

EDITORS = "Editors"
REVIEWERS = "Reviewers"

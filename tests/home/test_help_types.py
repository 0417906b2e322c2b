"""The help types are listed once (home.help_types): every help page class is there under the
type it says it is, and the search filters, badges and tree rules read that list."""

from home import help_types
from home.models import HelpPage, HomePage
from kb.models import CategoryPage
from search.forms import SearchForm


def concrete_help_pages():
    found, todo = [], [HelpPage]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if not cls._meta.abstract:
            found.append(cls)
    return found


def test_every_help_page_class_is_listed_under_its_own_type():
    assert help_types.page_models() == {cls.help_type: cls for cls in concrete_help_pages()}


def test_the_tree_rules_and_the_search_filter_read_the_list():
    assert CategoryPage.allowed_subpage_models() == list(help_types.page_models().values())
    assert SearchForm().fields["type"].choices == help_types.CHOICES
    popular = HomePage._meta.get_field("popular").stream_block.child_blocks["page"]
    assert list(popular.target_models) == list(help_types.page_models().values())

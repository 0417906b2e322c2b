from django.urls import path

from . import views

urlpatterns = [
    path("api/search/", views.search_api, name="search_api"),
    path("api/search/suggest/", views.suggest_api, name="search_suggest_api"),
    # A search result opened from the results page or an API client (counts the click).
    path("go/<slug:key>/<int:rank>/", views.search_click, name="search_click"),
]

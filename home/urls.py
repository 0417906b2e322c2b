"""Site-wide routes at the site root, whatever page apps the site has: the sitemap,
robots.txt and the OpenSearch description."""

from django.urls import path

from . import site_files
from .sitemap import sitemap_xml

urlpatterns = [
    path("sitemap.xml", sitemap_xml, name="sitemap"),
    path("opensearch.xml", site_files.opensearch, name="opensearch"),
    path("robots.txt", site_files.robots_txt, name="robots_txt"),
]

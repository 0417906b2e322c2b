import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_wsgi_application()

# A web server keeps its embedded index current with the other servers' publishes
# (search/index_feed.py; does nothing when the index is in the content's database).
from search import index_feed  # noqa: E402

index_feed.start()

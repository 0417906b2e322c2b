import mimetypes

from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Home and shared content"

    def ready(self):
        # Caption tracks must be served as text/vtt or browsers ignore them.
        mimetypes.add_type("text/vtt", ".vtt")
        mimetypes.add_type("video/webm", ".webm")

        from . import retention

        retention.register_purger("sessions", retention.purge_expired_sessions)

        from . import fragments

        fragments.connect()

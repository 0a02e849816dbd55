from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficesConfig(AppConfig):
    name = "offices"
    verbose_name = _("行政区划、民政办与标准")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from offices.accounts import sessions

        # Every login (the app's, the admin's) starts the session's lifetime and idle clocks.
        user_logged_in.connect(sessions.start, dispatch_uid="offices.accounts.sessions.start")

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter

from . import views
from .services import CLOSED, RECEIVED


class ReaderReportsMenuItem(MenuItem):
    def is_shown(self, request):
        return views.is_shown_queue(request.user)


@hooks.register("register_admin_urls")
def register_reader_report_urls():
    return [
        path("reports/reader-reports/", views.reader_reports, name="reader_reports"),
        path("reports/reader-reports/<int:report_id>/", views.reader_report, name="reader_report"),
    ]


@hooks.register("register_reports_menu_item")
def register_reader_reports_menu_item():
    return ReaderReportsMenuItem(
        "Reader reports",
        reverse("reader_reports"),
        name="reader-reports",
        icon_name="mail",
        order=660,
    )


class ReportClosedFormatter(LogFormatter):
    label = "Reader report closed"

    def format_message(self, log_entry):
        data = log_entry.data or {}
        return (
            f"Reader report {data.get('report')} closed: {data.get('outcome', '')} "
            f"\u2014 \u201c{data.get('note', '')}\u201d"
        )


@hooks.register("register_log_actions")
def register_reader_report_log_actions(actions):
    actions.register_action(RECEIVED, "Reader report received", "A reader reported a problem")
    actions.register_action(CLOSED)(ReportClosedFormatter)

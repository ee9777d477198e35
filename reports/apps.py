from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"

    def ready(self):
        from bapas.data_version import office_data_changed
        from reports.summaries import on_office_data_changed

        # The dashboards' summary rows are recomputed in the background after an office's data changed.
        office_data_changed.connect(on_office_data_changed, dispatch_uid="reports_refresh_summaries")

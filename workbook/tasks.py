"""Background imports: large workbooks run in the task worker (``manage.py db_worker``, queue "imports")."""

from django_tasks import task

from workbook.jobs import import_job_execute


@task(queue_name="imports")
def run_import_job(job_id: int) -> dict:
    return import_job_execute(job_id)

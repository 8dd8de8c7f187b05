"""Background jobs of the registry (run by `scpvn db_worker`)."""

from django_tasks import task

from scpvn.registry.importing import run_import_job
from scpvn.registry.models import ImportJob


@task()
def run_registry_import(job_id: int) -> str:
    """Import a large uploaded file; the job row carries the progress the page shows."""
    return run_import_job(ImportJob.objects.get(pk=job_id)).status

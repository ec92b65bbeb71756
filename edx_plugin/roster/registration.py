"""What the roster area contributes to core's registry: its background import job."""
from ..core.registry import JobKind, Registry
from . import jobs
from .models import RosterImportJob


def register(registry: Registry) -> None:
    registry.add_job_kind(JobKind(model=RosterImportJob, run=jobs.run_import_job, files=jobs.job_files))

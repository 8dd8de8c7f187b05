"""Background capture of EPCIS documents too large to store inside the request."""

from django_tasks import task

from scpvn.trace.models import Capture


@task()
def process_capture(capture_id: str) -> str:
    from scpvn.trace.repository import process_queued_capture
    from scpvn.trace.services import capture_scope

    capture = Capture.objects.select_related("user").get(pk=capture_id)
    if capture.state != Capture.State.QUEUED:
        return capture.state
    process_queued_capture(capture, capture_scope(capture.user))
    return capture.state

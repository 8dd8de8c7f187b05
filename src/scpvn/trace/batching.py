"""Single events sent at the same time are captured together (group commit).

A scanner, a till or a partner's system often sends each event on its own
(`POST /epcis/events`). Alone, each one pays a whole capture: a transaction and its commit,
the lookups of the chronology rules, a capture record, about a dozen round trips, for one
event. When requests overlap in one server process (gunicorn's threads), the events that
arrive while one capture is being stored wait for it to finish and are then stored together,
as one document, by one of their requests (the next leader); each request still answers
for its own event only. Nothing waits on purpose: a lone request is captured at once, as
before, and batches form only under load, as large as the requests that queued meanwhile
(at most `BATCH_LIMIT`).

A batch is one document only if it passes every rule as one document. Requests are grouped
by user (each user's write scope and daily quota are their own) and by JSON-LD `@context`
(it gives the words their meaning). If a group is refused, for any one of its events, each of
its requests is captured alone, in the order they arrived, so that a bad event is refused on
its own, with its own error, and no good one is lost. Each event's hash eventID is computed
from its own request before the merge, so an event has the same eventID however it was
batched.
"""

import json
import threading
from dataclasses import dataclass, field

from scpvn.trace.capture import capture_document
from scpvn.trace.eventhash import event_hash_id
from scpvn.trace.validation import event_list, validate_document

BATCH_LIMIT = 100  # events in one capture; far below the synchronous limit (SYNC_LIMIT)


@dataclass(eq=False)
class Ticket:
    """One request's event waiting to be captured, and what came of it."""

    actor: object
    document: dict  # a one-event document (`validation.read_single_event`)
    woken: threading.Event = field(default_factory=threading.Event)
    lead: bool = False  # this request's thread stores the next batch
    event_id: str = ""  # set once the event is stored
    error: BaseException | None = None

    @property
    def event(self) -> dict:
        return event_list(self.document)[0]


def _named(ticket: Ticket) -> bool:
    """Validate the ticket's event and write its eventID into it (the hash ID, from its own
    document, when it came without one). False when the event is refused: it is then captured
    alone, which reports the error exactly as a lone capture would."""
    try:
        validate_document(ticket.document)
        event = ticket.event
        if "eventID" not in event:
            event["eventID"] = event_hash_id(event, document=ticket.document)
    except Exception:  # captured alone, which raises it to its own request
        return False
    return True


def _stored(tickets: list[Ticket]) -> None:
    """Their events are committed: only now may their requests answer with the eventID."""
    for ticket in tickets:
        ticket.event_id = ticket.event.get("eventID", "")


def _alone(ticket: Ticket) -> None:
    try:
        capture_document(ticket.actor, ticket.document)
    except Exception as error:  # raised again in the request it belongs to
        ticket.error = error
    else:
        _stored([ticket])


def store_batch(tickets: list[Ticket]) -> None:
    """Capture the tickets' events: one capture per group of the same user and context when
    the group passes as one document, else each alone. Every ticket ends with its eventID or
    its error; this never raises."""
    groups: dict[tuple, list[Ticket]] = {}
    for ticket in tickets:
        if not _named(ticket):
            groups[("alone", id(ticket))] = [ticket]
            continue
        context = json.dumps(ticket.document.get("@context"), sort_keys=True)
        groups.setdefault((getattr(ticket.actor, "pk", None), context), []).append(ticket)
    for group in groups.values():
        if len(group) > 1:
            merged = {**group[0].document, "epcisBody": {"eventList": [t.event for t in group]}}
            try:
                capture_document(group[0].actor, merged)
            except Exception:  # each event is captured alone, with its own error
                pass
            else:
                _stored(group)
                continue
        for ticket in group:
            _alone(ticket)


class SingleEventBatcher:
    """The queue of one server process's single-event captures (leader and followers: the
    request that finds nobody storing stores the batch, then hands the next batch to the
    first request still waiting)."""

    def __init__(self, limit: int = BATCH_LIMIT) -> None:
        self.limit = limit  # 1: every event captured alone, as before batching
        self._lock = threading.Lock()
        self._waiting: list[Ticket] = []
        self._leading = False

    def capture(self, actor, document: dict) -> str:
        """Capture a one-event document for `actor`; returns the event's eventID, or raises
        what capturing it raised (EventError for a refusal)."""
        ticket = Ticket(actor, document)
        with self._lock:
            self._waiting.append(ticket)
            if not self._leading:
                self._leading = ticket.lead = True
        if not ticket.lead:
            ticket.woken.wait()
        if ticket.lead:
            self._lead()
        if ticket.error is not None:
            raise ticket.error
        return ticket.event_id

    def _lead(self) -> None:
        with self._lock:
            batch, self._waiting = self._waiting[: self.limit], self._waiting[self.limit :]
        try:
            store_batch(batch)
        finally:  # the next batch's leader is woken even if this one failed
            for ticket in batch:  # never a 201 for an event that was not stored
                if not ticket.event_id and ticket.error is None:
                    ticket.error = RuntimeError("sự kiện chưa được ghi nhận (capture interrupted)")
            with self._lock:
                if self._waiting:
                    self._waiting[0].lead = True
                    self._waiting[0].woken.set()
                else:
                    self._leading = False
            for ticket in batch:
                ticket.woken.set()


single_events = SingleEventBatcher()

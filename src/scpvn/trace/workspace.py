"""The workspace section the trace app contributes: the enterprise's products and lots."""

from scpvn.core.workspace import WorkspaceRow
from scpvn.trace.capture import lots_visible_to, products_visible_to


def product_rows(user) -> list[WorkspaceRow]:
    lots: dict[int, list[str]] = {}
    for lot in lots_visible_to(user).order_by("code"):
        lots.setdefault(lot.product_id, []).append(lot.code)
    return [
        WorkspaceRow(str(p), "", ", ".join(lots.get(p.pk, [])))
        for p in products_visible_to(user).order_by("name")
    ]

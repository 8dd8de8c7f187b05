from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse

from scpvn.core.problems import database_unavailable


def health(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers and monitoring: the process answers and its database does.
    Public and cheap (one `SELECT 1`); says nothing about the data."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return database_unavailable(request)
    return JsonResponse({"status": "ok"})

"""Where a page sends the user after a save: back where they came from when the link said so
(`?next=`), on this site only, so a crafted link cannot send an officer elsewhere."""

from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def back_or(request: HttpRequest, default, *args, **kwargs) -> HttpResponseRedirect:
    """Redirect to the request's `next` (a path on this site), else to `default` (a URL name
    with its arguments, or a URL)."""
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(resolve_url(default, *args, **kwargs))

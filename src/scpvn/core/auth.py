"""Login throttling (django-axes) for every sign-in that comes with a request."""

from axes.backends import AxesStandaloneBackend


class ThrottledLoginBackend(AxesStandaloneBackend):
    """Counts and refuses sign-ins per user name and client address.

    A sign-in without an HTTP request (a management command, the test client's `login()`)
    has no client address to throttle and is not an attack surface, so it passes through to
    the next backend instead of failing as stock django-axes does.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

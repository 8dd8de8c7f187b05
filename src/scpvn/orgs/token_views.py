"""The owner's API tokens: `/accounts/tokens/` (page) and `/api/tokens/` (list, revoke)."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from rest_framework import mixins, serializers, viewsets
from rest_framework.authtoken.models import Token

from scpvn.core.tokens import expires_at
from scpvn.orgs.access import ALL_ROLES, HasRole


class TokenSerializer(serializers.ModelSerializer):
    id = serializers.SerializerMethodField()
    expires = serializers.SerializerMethodField()

    class Meta:
        model = Token
        fields = ["id", "created", "expires"]

    def get_id(self, token: Token) -> str:
        return token.key[:8]  # enough to tell tokens apart, never the secret

    def get_expires(self, token: Token) -> dt.datetime:
        return expires_at(token)


class TokenViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """The signed-in user's own tokens; DELETE /api/tokens/{id}/ revokes one."""

    queryset = Token.objects.none()  # the schema's model; rows are the caller's own
    serializer_class = TokenSerializer
    permission_classes = [HasRole]
    allowed_roles = ALL_ROLES
    pagination_class = None

    def get_queryset(self):
        return Token.objects.filter(user=self.request.user)

    def get_object(self):
        prefix = self.kwargs["pk"]
        token = self.get_queryset().filter(key__startswith=prefix).first()
        if token is None or len(prefix) < 8:
            raise Http404
        return token


class TokenPageView(LoginRequiredMixin, TemplateView):
    """The owner's tokens: when each expires, revoke, or make a new one (shown once)."""

    template_name = "core/tokens.html"

    def get_context_data(self, **kwargs):
        tokens = [
            {"id": t.key[:8], "created": t.created, "expires": expires_at(t)}
            for t in Token.objects.filter(user=self.request.user)
        ]
        return super().get_context_data(tokens=tokens, **kwargs)

    def post(self, request):
        Token.objects.filter(user=request.user).delete()
        if request.POST.get("action") == "create":
            token = Token.objects.create(user=request.user)
            messages.success(
                request,
                _("Token mới (chỉ hiện một lần, hãy lưu lại): %(key)s") % {"key": token.key},
            )
        else:
            messages.success(request, _("Đã thu hồi token."))
        return redirect("tokens")

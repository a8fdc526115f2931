"""API token authentication with tokens that expire (``API_TOKEN_TTL``)."""

from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from chatsite.users.selectors import token_is_live


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key: str):
        user, token = super().authenticate_credentials(key)
        if not token_is_live(token):
            raise AuthenticationFailed(
                "That token has expired: get a new one with POST /api/auth/token/."
            )
        return user, token

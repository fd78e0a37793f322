from django.contrib.auth.backends import ModelBackend


class EmailCodeBackend(ModelBackend):
    """
    Marks sessions opened with an e-mailed code. The code itself is checked by
    ``accounts.services.sign_in_code_verify``; this backend never authenticates credentials,
    it only lets Django restore the user from such a session. The staff admin refuses these
    sessions (``config.admin_site``): staff sign in there with a password, behind django-axes.
    """

    def authenticate(self, request, **credentials):
        return None

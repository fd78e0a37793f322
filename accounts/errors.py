from config.errors import DomainError


class SignInError(DomainError):
    code = "sign_in_failed"


class SignInRateLimited(SignInError):
    code = "rate_limited"
    status_code = 429


class SignInCodeRecentlySent(SignInRateLimited):
    """A code for this address went out under a minute ago: it is still the one to enter."""


class SignInCodeInvalid(SignInError):
    code = "invalid_code"


class SignInCodeExpired(SignInError):
    code = "code_expired"


class AccountDisabled(SignInError):
    code = "account_disabled"
    status_code = 403

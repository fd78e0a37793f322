from django.conf import settings


def client_ip(request):
    """
    The caller's address. Behind ``NUM_PROXIES`` trusted reverse proxies it is the address the
    outermost of them saw (read from the right of X-Forwarded-For, which a client cannot forge).
    """
    proxies = settings.NUM_PROXIES
    if proxies:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None

"""
Encryption at rest for secrets the app must read back (merchants' webhook signing secrets).
Fernet (AES-128-CBC + HMAC-SHA256) keyed by ENCRYPTION_KEY, or by a key derived from
SECRET_KEY when none is set. Rotating SECRET_KEY without setting ENCRYPTION_KEY to the old
derived key makes stored secrets unreadable: set ENCRYPTION_KEY explicitly in production.
"""

import base64
import hashlib

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


def _fernet():
    keys = [key for key in settings.ENCRYPTION_KEYS if key]
    if not keys:
        derived = hashlib.sha256(f"rampart-encryption:{settings.SECRET_KEY}".encode()).digest()
        keys = [base64.urlsafe_b64encode(derived).decode()]
    return MultiFernet([Fernet(key) for key in keys])


def encrypt(text):
    return _fernet().encrypt(text.encode()).decode()


def decrypt(token):
    return _fernet().decrypt(token.encode()).decode()

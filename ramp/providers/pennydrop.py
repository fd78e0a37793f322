"""
Penny-drop verification over HTTP: the provider credits ₹1 to the account (or resolves the VPA)
and returns the name the bank holds for it.

    POST {PENNYDROP_BASE_URL}/v1/bank-accounts/verify  {"account_number", "ifsc", "name"}
    POST {PENNYDROP_BASE_URL}/v1/upi/verify            {"vpa", "name"}
    → 200 {"status": "VALID" | "INVALID", "registered_name": "...", "reference_id": "...",
           "message": "..."}

Authentication is ``Authorization: Bearer PENNYDROP_API_KEY``. A penny drop costs money, so a
request is never repeated automatically after it may have reached the provider; only a failure
to connect is retried once.
"""

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from ramp.providers.base import BankAccountCheck, ProviderError, UpiCheck, VerifiedHolder

CONNECT_TIMEOUT = 3.05
READ_TIMEOUT = 15


class PennyDropVerifier:
    name = "pennydrop"

    def __init__(self, *, base_url, api_key, session=None):
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.session = session or self._session()

    @staticmethod
    def _session():
        session = requests.Session()
        retry = Retry(total=1, connect=1, read=0, status=0, allowed_methods=None)
        session.mount("https://", HTTPAdapter(max_retries=retry))
        session.mount("http://", HTTPAdapter(max_retries=retry))
        return session

    def verify_bank_account(self, check: BankAccountCheck) -> VerifiedHolder:
        return self._verify(
            "/v1/bank-accounts/verify",
            {
                "account_number": check.account_number,
                "ifsc": check.ifsc,
                "name": check.name_on_record,
            },
            kind="bank account",
        )

    def verify_upi(self, check: UpiCheck) -> VerifiedHolder:
        return self._verify(
            "/v1/upi/verify", {"vpa": check.vpa, "name": check.name_on_record}, kind="UPI ID"
        )

    def _verify(self, path, payload, *, kind):
        try:
            response = self.session.post(
                self.base_url + path,
                json=payload,
                headers={"Authorization": f"Bearer {self.api_key}", "Accept": "application/json"},
                timeout=(CONNECT_TIMEOUT, READ_TIMEOUT),
                allow_redirects=False,
            )
        except requests.Timeout as error:
            raise ProviderError(
                "The verification service did not answer in time.", permanent=False
            ) from error
        except requests.RequestException as error:
            raise ProviderError(
                "The verification service cannot be reached.", permanent=False
            ) from error

        if response.status_code >= 500 or response.status_code == 429:
            raise ProviderError("The verification service is having trouble.", permanent=False)
        if response.status_code in (401, 403):
            raise ProviderError("Verification is misconfigured on our side.", permanent=False)
        try:
            body = response.json()
        except ValueError as error:
            raise ProviderError(
                "The verification service sent an unreadable answer.", permanent=False
            ) from error
        if response.status_code >= 400 or body.get("status") == "INVALID":
            raise ProviderError(f"The bank could not verify this {kind}.", permanent=True)
        name = (body.get("registered_name") or "").strip()
        reference = str(body.get("reference_id") or "")
        if body.get("status") != "VALID" or not name or not reference:
            raise ProviderError(
                "The verification service sent an incomplete answer.", permanent=False
            )
        return VerifiedHolder(holder_name=name, reference=reference, provider=self.name)

"""
The neutral interface the rest of the app sees for outside systems: dataclasses in and out, one
error type that says whether trying again can help. Provider modules only translate.
"""

from dataclasses import dataclass
from typing import Protocol


class ProviderError(Exception):
    """An outside system said no or could not answer. ``permanent`` = retrying will not help."""

    def __init__(self, message, *, permanent):
        super().__init__(message)
        self.message = message
        self.permanent = permanent


@dataclass(frozen=True)
class BankAccountCheck:
    account_number: str
    ifsc: str
    # The KYC name on record. Name-match providers take it; the sandbox echoes it.
    name_on_record: str


@dataclass(frozen=True)
class UpiCheck:
    vpa: str
    name_on_record: str


@dataclass(frozen=True)
class VerifiedHolder:
    holder_name: str
    reference: str
    provider: str


class AccountVerifier(Protocol):
    name: str

    def verify_bank_account(self, check: BankAccountCheck) -> VerifiedHolder: ...

    def verify_upi(self, check: UpiCheck) -> VerifiedHolder: ...

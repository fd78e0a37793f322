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


# --- card and wallet checkouts -------------------------------------------------------------


@dataclass(frozen=True)
class CardDetails:
    """Passed straight to the provider; never stored, logged or put in a session."""

    number: str
    expiry_month: int
    expiry_year: int
    cvv: str
    holder_name: str

    def __repr__(self):
        return f"CardDetails(last4={self.number[-4:]!r})"


@dataclass(frozen=True)
class BillingAddress:
    line1: str
    city: str
    postal_code: str
    country: str


@dataclass(frozen=True)
class CheckoutRequest:
    order_reference: str
    amount: object  # Decimal
    currency: str
    customer_id: str
    customer_email: str
    success_url: str
    failure_url: str
    callback_url: str
    card: CardDetails | None = None
    billing: BillingAddress | None = None


@dataclass(frozen=True)
class CheckoutSession:
    reference: str
    redirect_url: str
    card_brand: str = ""
    card_last4: str = ""
    provider_card_id: str = ""


@dataclass(frozen=True)
class CheckoutStatus:
    reference: str
    state: str  # "pending" | "succeeded" | "failed"
    amount: object  # Decimal
    currency: str
    reason: str = ""


class CheckoutProvider(Protocol):
    name: str

    def start(self, request: CheckoutRequest) -> CheckoutSession: ...

    def status(self, reference: str) -> CheckoutStatus: ...

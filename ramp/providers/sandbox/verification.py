"""
Sandbox account verification: answers like a penny-drop provider without moving money.

Any account or UPI ID returns the person's KYC name as the registered holder, except these test
values, which exercise the other paths (also listed in the README):

| account number  | UPI ID               | answer                                  |
| --------------- | -------------------- | --------------------------------------- |
| 999999990001    | othername@sandbox    | registered to "RAHUL VERMA" (mismatch)  |
| 999999990002    | invalid@sandbox      | account / VPA does not exist            |
| 999999990003    | timeout@sandbox      | the provider times out (try again)      |
"""

import uuid

from ramp.providers.base import BankAccountCheck, ProviderError, UpiCheck, VerifiedHolder

OTHER_HOLDER = "RAHUL VERMA"


class SandboxVerifier:
    name = "sandbox"

    def verify_bank_account(self, check: BankAccountCheck) -> VerifiedHolder:
        return self._answer(check.account_number, check.name_on_record, kind="bank account")

    def verify_upi(self, check: UpiCheck) -> VerifiedHolder:
        local = check.vpa.split("@", 1)[0]
        outcome = {
            "othername": "999999990001",
            "invalid": "999999990002",
            "timeout": "999999990003",
        }
        key = outcome.get(local) if check.vpa.endswith("@sandbox") else None
        return self._answer(key or check.vpa, check.name_on_record, kind="UPI ID")

    def _answer(self, key, name_on_record, *, kind):
        if key == "999999990002":
            raise ProviderError(f"This {kind} does not exist at the bank.", permanent=True)
        if key == "999999990003":
            raise ProviderError("The verification service did not answer in time.", permanent=False)
        holder = OTHER_HOLDER if key == "999999990001" else name_on_record.upper()
        return VerifiedHolder(
            holder_name=holder, reference=f"sbx_{uuid.uuid4().hex[:16]}", provider=self.name
        )

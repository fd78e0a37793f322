"""
Bank statement reconciliation: credits in the platform's collection account are matched to
orders waiting in ``orderReceived`` by UTR and exact amount, and those orders move to
``fiatReceived`` through the same service staff use by hand.

Accepted CSV layouts (header names are matched case-insensitively; see docs/operations.md):

- generic: ``date, reference, amount, type`` (type ``credit`` / ``debit``, or ``CR`` / ``DR``)
- HDFC-style: ``Date, Narration, Chq./Ref.No., Value Dt, Withdrawal Amt., Deposit Amt., …``
- ICICI-style: ``Transaction Date, Transaction Remarks, Withdrawal Amount (INR ), Deposit Amount
  (INR ), …``

The UTR is the reference column when it is 12 digits, else the first 12-digit number in the
narration. A file already imported (same SHA-256) changes nothing and returns the first report;
a different file with lines already matched reports them as already confirmed.
"""

import csv
import hashlib
import io
import re
from collections import Counter
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction

from config.errors import DomainError, SelfDealing
from ramp.errors import OrderStateChanged
from ramp.models import BankStatement, Order, OrderStatus, Side, StatementLine
from ramp.services.orders import order_confirm_fiat

MAX_BYTES = 2 * 1024 * 1024
UTR_IN_TEXT = re.compile(r"(?<!\d)(\d{12})(?!\d)")
Outcome = StatementLine.Outcome
CONFIRMED_OR_LATER = {OrderStatus.FIAT_RECEIVED, OrderStatus.TRANSFERRED, OrderStatus.COMPLETED}

LAYOUTS = {
    "generic": {
        "date": ["date"],
        "reference": ["reference", "utr"],
        "amount": ["amount"],
        "type": ["type"],
    },
    "hdfc": {
        "date": ["date"],
        "description": ["narration"],
        "reference": ["chq./ref.no.", "chq/ref no", "ref no"],
        "debit": ["withdrawal amt.", "withdrawal amt"],
        "credit": ["deposit amt.", "deposit amt"],
    },
    "icici": {
        "date": ["transaction date", "value date"],
        "description": ["transaction remarks"],
        "debit": ["withdrawal amount (inr )", "withdrawal amount (inr)", "withdrawal amount"],
        "credit": ["deposit amount (inr )", "deposit amount (inr)", "deposit amount"],
    },
}


class StatementInvalid(DomainError):
    code = "statement_invalid"


def _decode(content):
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise StatementInvalid("The file is not text: export the statement as CSV.")


def _header_index(row):
    return {cell.strip().lower(): index for index, cell in enumerate(row)}


def _layout(header):
    names = _header_index(header)
    for name, columns in LAYOUTS.items():
        found = {}
        for role, candidates in columns.items():
            index = next((names[c] for c in candidates if c in names), None)
            if index is None:
                break
            found[role] = index
        else:
            return name, found
    raise StatementInvalid(
        "Unknown statement layout. Use the generic CSV (date, reference, amount, type) or an "
        "HDFC or ICICI CSV export."
    )


def _money(text):
    cleaned = (text or "").replace(",", "").replace("₹", "").strip()
    if not cleaned:
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def _parse(content):
    """Yield (line_number, date, description, utr, amount, is_credit) for each data row."""
    rows = [
        row
        for row in csv.reader(io.StringIO(_decode(content)))
        if any(cell.strip() for cell in row)
    ]
    header_at = next((i for i, row in enumerate(rows[:30]) if _try_layout(row)), None)
    if header_at is None:
        _layout(rows[0] if rows else [])
    layout, columns = _layout(rows[header_at])
    for offset, row in enumerate(rows[header_at + 1 :], start=header_at + 2):

        def cell(role, row=row):
            index = columns.get(role)
            return row[index].strip() if index is not None and index < len(row) else ""

        description = cell("description")
        reference = re.sub(r"\D", "", cell("reference"))
        utr = (
            reference
            if len(reference) == 12
            else next(iter(UTR_IN_TEXT.findall(description + " " + cell("reference"))), "")
        )
        if layout == "generic":
            amount = _money(cell("amount"))
            is_credit = cell("type").lower() in ("credit", "cr", "c")
        else:
            credit, debit = _money(cell("credit")), _money(cell("debit"))
            amount, is_credit = (credit, True) if credit else (debit, False)
        yield offset, cell("date"), description[:300], utr, amount, is_credit, layout


def _try_layout(row):
    try:
        _layout(row)
    except StatementInvalid:
        return False
    return True


def statement_import(*, file_name, content, staff) -> BankStatement:
    if len(content) > MAX_BYTES:
        raise StatementInvalid("The statement is larger than 2 MB; split it by date.")
    digest = hashlib.sha256(content).hexdigest()
    existing = BankStatement.objects.filter(sha256=digest).first()
    if existing:
        return existing
    lines = list(_parse(content))
    if not lines:
        raise StatementInvalid("The statement has no transactions.")
    utr_counts = Counter(line[3] for line in lines if line[3] and line[5])
    try:
        with transaction.atomic():
            statement = BankStatement.objects.create(
                sha256=digest, file_name=file_name[:200], imported_by=staff, format=lines[0][6]
            )
            for number, date, description, utr, amount, is_credit, _ in lines:
                outcome, order = _reconcile(utr, amount, is_credit, utr_counts, staff, file_name)
                StatementLine.objects.create(
                    statement=statement,
                    line_number=number,
                    value_date=date[:20],
                    description=description,
                    utr=utr,
                    amount=amount,
                    outcome=outcome,
                    order=order,
                )
    except IntegrityError:
        # The same file imported at the same moment by someone else: theirs is the report.
        return BankStatement.objects.get(sha256=digest)
    return statement


def _reconcile(utr, amount, is_credit, utr_counts, staff, file_name):
    if not is_credit:
        return Outcome.DEBIT, None
    if not utr:
        return Outcome.NO_UTR, None
    if utr_counts[utr] > 1:
        return Outcome.DUPLICATE, None
    # Purchases and merchant pay-ins are both paid into the collection account by UTR.
    order = Order.objects.filter(utr=utr, side__in=(Side.BUY, Side.PAY)).first()
    if order is None:
        return Outcome.UNKNOWN_UTR, None
    if order.status == OrderStatus.ORDER_RECEIVED and amount != order.fiat_amount:
        return Outcome.AMOUNT_MISMATCH, order
    if order.status == OrderStatus.ORDER_RECEIVED:
        try:
            order_confirm_fiat(
                order=order, staff=staff, note=f"Matched UTR {utr} in statement {file_name}"
            )
            return Outcome.MATCHED, order
        except SelfDealing:
            return Outcome.OWN_ORDER, order
        except OrderStateChanged:
            order.refresh_from_db()  # staff acted on it meanwhile: report where it is now
    if order.status in CONFIRMED_OR_LATER:
        return Outcome.ALREADY_CONFIRMED, order
    return Outcome.NOT_AWAITING, order

from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import User
from config.errors import SelfDealing
from ramp.models import BankStatement, Order, OrderStatus, StatementLine
from ramp.services import orders
from ramp.services.quotes import quote_create
from ramp.services.reconciliation import statement_import
from tests.ramp.conftest import TRON_WALLET

pytestmark = pytest.mark.django_db
S = OrderStatus
Outcome = StatementLine.Outcome


def staff_in(group, email):
    user = User.objects.create_user(email, "staff password 2026!", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def operations(db):
    return staff_in("Operations", "ops-desk@example.com")


@pytest.fixture
def finance(db):
    return staff_in("Finance", "finance-desk@example.com")


def as_staff(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def paid_buy(user, usdt, utr="123456789012", fiat="2500"):
    quote = quote_create(
        user=user, side="buy", asset=usdt, payment_method="INR_UPI", fiat_amount=fiat
    )
    order = orders.order_create_onramp(user=user, quote_id=quote.pk, wallet_address=TRON_WALLET)
    return orders.order_submit_utr(order=order, utr=utr)


def act(client, order, action, **data):
    return client.post(reverse("admin:ramp_order_act", args=[order.pk, action]), data)


def test_operations_confirm_fiat_and_send_crypto_from_the_order_page(
    client, buyer, usdt, operations
):
    order = paid_buy(buyer, usdt)
    as_staff(client, operations)

    page = client.get(reverse("admin:ramp_order_change", args=[order.pk])).content.decode()
    assert (
        "Confirm fiat received" in page
        and "Reject UTR" in page
        and "Record fiat payout" not in page
    )
    act(client, order, "confirm-fiat")
    response = act(client, order, "crypto-sent", tx_hash="zz")
    assert "Not a transaction hash" in response.content.decode()
    act(client, order, "crypto-sent", tx_hash="ab" * 32)
    act(client, order, "complete")

    order.refresh_from_db()
    assert order.status == S.COMPLETED
    assert {e.actor for e in order.events.all()[2:]} == {operations}


def test_rejecting_a_utr_needs_a_reason(client, buyer, usdt, operations):
    order = paid_buy(buyer, usdt)
    as_staff(client, operations)

    assert "Say why" in act(client, order, "reject-utr", reason="").content.decode()
    act(client, order, "reject-utr", reason="No such credit")
    order.refresh_from_db()
    assert (order.status, order.failure_reason) == (S.FIAT_PENDING, "No such credit")


def test_two_confirmations_of_one_order_make_one_event(client, buyer, usdt, operations):
    order = paid_buy(buyer, usdt)
    as_staff(client, operations)

    act(client, order, "confirm-fiat")
    response = act(client, order, "confirm-fiat")

    assert "has moved on" in response.content.decode()
    assert order.events.filter(to_status=S.FIAT_RECEIVED).count() == 1


def test_least_privilege_operations_cannot_pay_out_and_finance_cannot_send_crypto(
    client, buyer, usdt, operations, finance, alice_bank
):
    quote = quote_create(
        user=buyer, side="sell", asset=usdt, payment_method="INR_IMPS", crypto_amount="50"
    )
    sell = orders.order_create_offramp(user=buyer, quote_id=quote.pk)
    orders.order_submit_tx_hash(order=sell, tx_hash="cd" * 32)
    buy = paid_buy(buyer, usdt)

    as_staff(client, finance)
    assert act(client, buy, "confirm-fiat").status_code == 403
    as_staff(client, operations)
    act(client, sell, "confirm-crypto")
    assert act(client, sell, "payout", reference="IMPS123").status_code == 403
    as_staff(client, finance)
    act(client, sell, "payout", reference="IMPS123")

    sell.refresh_from_db()
    assert (sell.status, sell.payout_reference) == (S.COMPLETED, "IMPS123")


def test_the_order_list_is_searchable_by_utr_and_email(client, buyer, usdt, operations):
    order = paid_buy(buyer, usdt)
    as_staff(client, operations)

    for term in ("123456789012", "alice@example.com", order.reference):
        response = client.get(reverse("admin:ramp_order_changelist"), {"q": term})
        assert list(response.context["cl"].result_list) == [order]


# --- reconciliation --------------------------------------------------------------------------


GENERIC = """date,reference,amount,type
2026-11-20,123456789012,{amount},credit
2026-11-20,999999999999,1000.00,credit
2026-11-20,222222222222,750.00,credit
2026-11-20,222222222222,750.00,credit
2026-11-20,333333333333,500.00,debit
2026-11-20,NEFT-ABC,100.00,credit
"""


def test_a_statement_confirms_matching_orders_and_reports_the_rest(buyer, usdt, finance):
    matched = paid_buy(buyer, usdt, utr="123456789012")
    statement = statement_import(
        file_name="nov20.csv",
        content=GENERIC.format(amount=matched.fiat_amount).encode(),
        staff=finance,
    )

    outcomes = list(statement.lines.values_list("utr", "outcome"))
    assert outcomes == [
        ("123456789012", Outcome.MATCHED),
        ("999999999999", Outcome.UNKNOWN_UTR),
        ("222222222222", Outcome.DUPLICATE),
        ("222222222222", Outcome.DUPLICATE),
        ("333333333333", Outcome.DEBIT),
        ("", Outcome.NO_UTR),
    ]
    matched.refresh_from_db()
    assert matched.status == S.FIAT_RECEIVED
    assert matched.events.last().actor == finance


def test_a_statement_settles_merchant_pay_ins_too(buyer, finance):
    """Invoice pay-ins are paid into the same collection account, by UTR like a purchase."""
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from accounts.merchants import merchant_create
    from invoices.models import MerchantBalance
    from invoices.services import invoice_create, invoice_pay_start

    merchant, _, _ = merchant_create(name="Acme Games", owner_email="owner@acme.test")
    invoice = invoice_create(
        merchant=merchant,
        kind="ingress",
        amount=Decimal("2500.00"),
        currency="INR",
        reference="order-42",
        callback_url="https://merchant.example.com/hooks",
        expires_at=timezone.now() + timedelta(hours=2),
    )
    order = invoice_pay_start(invoice=invoice, user=buyer, payment_method="INR_UPI")
    orders.order_submit_utr(order=order, utr="123456789012")

    statement = statement_import(
        file_name="nov20.csv", content=GENERIC.format(amount="2500.00").encode(), staff=finance
    )

    line = statement.lines.get(utr="123456789012")
    assert (line.outcome, line.order) == (Outcome.MATCHED, order)
    invoice.refresh_from_db()
    assert invoice.status == "paid"
    assert MerchantBalance.objects.get(merchant=merchant).available == Decimal("2475.00")


def test_an_amount_mismatch_is_reported_not_confirmed(buyer, usdt, finance):
    order = paid_buy(buyer, usdt)

    statement = statement_import(
        file_name="x.csv", content=GENERIC.format(amount="2499.00").encode(), staff=finance
    )

    assert statement.lines.first().outcome == Outcome.AMOUNT_MISMATCH
    order.refresh_from_db()
    assert order.status == S.ORDER_RECEIVED


def test_importing_the_same_file_twice_changes_nothing(buyer, usdt, finance):
    order = paid_buy(buyer, usdt)
    content = GENERIC.format(amount=order.fiat_amount).encode()

    first = statement_import(file_name="a.csv", content=content, staff=finance)
    again = statement_import(file_name="a-again.csv", content=content, staff=finance)
    other = statement_import(file_name="b.csv", content=content + b"\n", staff=finance)

    assert again == first and BankStatement.objects.count() == 2
    assert other.lines.first().outcome == Outcome.ALREADY_CONFIRMED
    assert order.events.filter(to_status=S.FIAT_RECEIVED).count() == 1


STATEMENTS = Path(__file__).parent / "fixtures" / "statements"


@pytest.mark.parametrize("layout", ["hdfc", "icici"])
def test_common_bank_exports_are_understood(buyer, usdt, finance, layout):
    order = paid_buy(buyer, usdt)
    template = (STATEMENTS / f"{layout}.csv").read_text()
    content = template.format(amount=f"{order.fiat_amount:,.2f}").encode()

    statement = statement_import(file_name=f"{layout}.csv", content=content, staff=finance)

    assert statement.format == layout
    assert statement.lines.first().outcome == Outcome.MATCHED


def test_an_unknown_layout_is_refused_clearly(finance):
    from ramp.services.reconciliation import StatementInvalid

    with pytest.raises(StatementInvalid, match="Unknown statement layout"):
        statement_import(file_name="x.csv", content=b"foo,bar\n1,2\n", staff=finance)
    with pytest.raises(StatementInvalid, match="not text"):
        statement_import(file_name="x.csv", content=b"\x81\x8d\x8f\x90\x9d" * 10, staff=finance)


def test_finance_imports_a_statement_in_the_admin(client, buyer, usdt, finance, operations):
    order = paid_buy(buyer, usdt)
    upload = SimpleUploadedFile(
        "nov20.csv", GENERIC.format(amount=order.fiat_amount).encode(), "text/csv"
    )

    as_staff(client, operations)
    assert client.get(reverse("admin:ramp_bankstatement_add")).status_code == 403
    as_staff(client, finance)
    response = client.post(reverse("admin:ramp_bankstatement_add"), {"statement": upload})

    statement = BankStatement.objects.get()
    assert response["Location"] == reverse("admin:ramp_bankstatement_change", args=[statement.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Matched: order moved to fiatReceived: 1" in page
    assert Order.objects.get().status == S.FIAT_RECEIVED


@pytest.fixture
def trading_operator(operations, market):
    """A member of the Operations desk who also buys and sells with us."""
    from ramp.services.destinations import bank_account_link, upi_id_link
    from tests.conftest import verify_kyc

    verify_kyc(operations, full_name="Omar Shaikh", pan_number="OMAPS1234O")
    upi_id_link(user=operations, upi_id="omar@okaxis")
    bank_account_link(user=operations, account_number="111122223333", ifsc="HDFC0001234")
    return operations


def test_staff_never_move_money_on_their_own_orders(client, trading_operator, usdt, staff):
    me, colleague = trading_operator, staff
    buy = paid_buy(me, usdt)

    response = act(as_staff(client, me), buy, "confirm-fiat")

    assert "ask a colleague" in response.content.decode()
    buy.refresh_from_db()
    assert buy.status == S.ORDER_RECEIVED
    for service, inputs in [
        (orders.order_reject_utr, {"reason": "no such payment"}),
        (orders.order_refund, {"reason": "asked for it"}),
        (orders.order_fail, {"reason": "no such payment"}),
    ]:
        with pytest.raises(SelfDealing):
            service(order=buy, staff=me, **inputs)
    orders.order_confirm_fiat(order=buy, staff=colleague)
    with pytest.raises(SelfDealing):
        orders.order_record_crypto_sent(order=buy, staff=me, tx_hash="ab" * 32)
    orders.order_record_crypto_sent(order=buy, staff=colleague, tx_hash="ab" * 32)
    with pytest.raises(SelfDealing):
        orders.order_mark_completed(order=buy, staff=me)

    quote = quote_create(
        user=me, side="sell", asset=usdt, payment_method="INR_IMPS", crypto_amount="50"
    )
    sell = orders.order_submit_tx_hash(
        order=orders.order_create_offramp(user=me, quote_id=quote.pk), tx_hash="cd" * 32
    )
    with pytest.raises(SelfDealing):
        orders.order_confirm_crypto(order=sell, staff=me)
    orders.order_confirm_crypto(order=sell, staff=colleague)
    with pytest.raises(SelfDealing):
        orders.order_record_payout(order=sell, staff=me, reference="IMPS123")
    assert buy.events.filter(actor=me).count() == 2  # created it and gave its UTR: nothing else
    quote = quote_create(
        user=me, side="buy", asset=usdt, payment_method="INR_UPI", fiat_amount="900"
    )
    unpaid = orders.order_create_onramp(user=me, quote_id=quote.pk, wallet_address=TRON_WALLET)
    orders.order_cancel(order=unpaid, actor=me)  # cancelling their own moves no money: allowed


def test_a_statement_never_confirms_the_importers_own_order(finance, usdt, market):
    from ramp.services.destinations import upi_id_link
    from tests.conftest import verify_kyc

    verify_kyc(finance, full_name="Farah Khan", pan_number="FARPK1234F")
    upi_id_link(user=finance, upi_id="farah@okaxis")
    order = paid_buy(finance, usdt)

    statement = statement_import(
        file_name="own.csv",
        content=GENERIC.format(amount=order.fiat_amount).encode(),
        staff=finance,
    )

    assert statement.lines.get(utr="123456789012").outcome == Outcome.OWN_ORDER
    order.refresh_from_db()
    assert order.status == S.ORDER_RECEIVED

import pytest

from kyc.errors import KycRequired
from ramp.errors import (
    DestinationAlreadyLinked,
    DestinationFieldInvalid,
    DestinationNameMismatch,
    VerificationRefused,
    VerificationUnavailable,
)
from ramp.models import BankAccount, DestinationEvent, DestinationFlag, UpiId
from ramp.services.destinations import (
    bank_account_link,
    destination_remove,
    destination_set_default,
    upi_id_link,
)
from tests.kyc.documents import submit

pytestmark = pytest.mark.django_db


def test_a_bank_account_is_linked_with_the_name_the_bank_holds(verified_alice):
    account = bank_account_link(
        user=verified_alice, account_number="1234 5678 9012", ifsc="hdfc0001234"
    )

    assert account.account_number == "123456789012"
    assert account.ifsc == "HDFC0001234"
    assert account.bank_name == "HDFC Bank"
    assert account.holder_name == "ALICE KUMAR"
    assert account.verification_provider == "sandbox"
    assert account.is_default
    assert account.masked == "•••• 9012"
    assert DestinationEvent.objects.get(bank_account=account).action == "linked"


def test_a_upi_id_is_linked(verified_alice):
    upi = upi_id_link(user=verified_alice, upi_id=" Alice.Kumar@OKAXIS ")

    assert upi.vpa == "alice.kumar@okaxis"
    assert upi.is_default
    assert upi.masked == "al•••ar@okaxis"


@pytest.mark.parametrize(
    ("link", "value"),
    [
        (
            lambda user: bank_account_link(
                user=user, account_number="999999990001", ifsc="SBIN0000001"
            ),
            None,
        ),
        (lambda user: upi_id_link(user=user, upi_id="othername@sandbox"), None),
    ],
)
def test_a_name_mismatch_is_explained_and_nothing_is_linked(verified_alice, link, value):
    with pytest.raises(DestinationNameMismatch, match="RAHUL VERMA") as error:
        link(verified_alice)

    assert "Alice Kumar" in error.value.message
    assert not BankAccount.objects.exists() and not UpiId.objects.exists()


def test_an_account_the_bank_does_not_know_is_refused(verified_alice):
    with pytest.raises(VerificationRefused, match="does not exist"):
        bank_account_link(user=verified_alice, account_number="999999990002", ifsc="SBIN0000001")
    with pytest.raises(VerificationRefused):
        upi_id_link(user=verified_alice, upi_id="invalid@sandbox")
    assert not BankAccount.objects.exists() and not UpiId.objects.exists()


def test_a_provider_timeout_says_try_again_and_links_nothing(verified_alice):
    with pytest.raises(VerificationUnavailable, match="try again") as error:
        bank_account_link(user=verified_alice, account_number="999999990003", ifsc="SBIN0000001")
    with pytest.raises(VerificationUnavailable):
        upi_id_link(user=verified_alice, upi_id="timeout@sandbox")

    assert error.value.status_code == 503
    assert not BankAccount.objects.exists() and not UpiId.objects.exists()
    assert not DestinationEvent.objects.exists()


def test_only_a_verified_person_can_link(alice):
    with pytest.raises(KycRequired):
        bank_account_link(user=alice, account_number="123456789012", ifsc="HDFC0001234")

    submit(alice)  # pending is not verified either
    with pytest.raises(KycRequired):
        upi_id_link(user=alice, upi_id="alice@okaxis")


@pytest.mark.parametrize(
    ("account_number", "ifsc", "field"),
    [
        ("12345678", "HDFC0001234", "account_number"),
        ("1234567890123456789", "HDFC0001234", "account_number"),
        ("12345678901A", "HDFC0001234", "account_number"),
        ("123456789012", "HDFC1001234", "ifsc"),
        ("123456789012", "HDF0001234", "ifsc"),
        ("123456789012", "HDFC000123$", "ifsc"),
    ],
)
def test_malformed_bank_details_are_refused(verified_alice, account_number, ifsc, field):
    with pytest.raises(DestinationFieldInvalid) as error:
        bank_account_link(user=verified_alice, account_number=account_number, ifsc=ifsc)

    assert error.value.field == field


@pytest.mark.parametrize(
    "upi_id", ["alice", "alice@", "@okaxis", "al ice@okaxis", "alice@ok-axis", "a@b"]
)
def test_malformed_upi_ids_are_refused(verified_alice, upi_id):
    with pytest.raises(DestinationFieldInvalid, match="name@bank"):
        upi_id_link(user=verified_alice, upi_id=upi_id)


def test_the_same_account_cannot_be_linked_twice(verified_alice):
    bank_account_link(user=verified_alice, account_number="123456789012", ifsc="HDFC0001234")

    with pytest.raises(DestinationAlreadyLinked, match="already linked to your profile"):
        bank_account_link(user=verified_alice, account_number="123456789012", ifsc="HDFC0001234")
    assert not DestinationFlag.objects.exists()


def test_another_persons_account_is_refused_and_flagged_for_staff(verified_alice, verified_bob):
    upi_id_link(user=verified_alice, upi_id="alice@okaxis")
    bank_account_link(user=verified_alice, account_number="123456789012", ifsc="HDFC0001234")

    with pytest.raises(DestinationAlreadyLinked, match="another profile"):
        bank_account_link(user=verified_bob, account_number="123456789012", ifsc="HDFC0001234")
    with pytest.raises(DestinationAlreadyLinked):
        upi_id_link(user=verified_bob, upi_id="ALICE@okaxis")

    flags = DestinationFlag.objects.order_by("created_at")
    assert [(f.user, f.other_user, f.kind) for f in flags] == [
        (verified_bob, verified_alice, "bank"),
        (verified_bob, verified_alice, "upi"),
    ]
    assert BankAccount.objects.get().user == verified_alice


def test_making_another_account_the_default(verified_alice):
    first = bank_account_link(
        user=verified_alice, account_number="123456789012", ifsc="HDFC0001234"
    )
    second = bank_account_link(
        user=verified_alice, account_number="223456789012", ifsc="SBIN0001234"
    )
    assert not second.is_default

    destination_set_default(user=verified_alice, destination=second)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.is_default, second.is_default) == (False, True)
    assert second.events.filter(action="default").exists()


def test_removing_is_soft_and_hands_the_default_on(verified_alice):
    first = bank_account_link(
        user=verified_alice, account_number="123456789012", ifsc="HDFC0001234"
    )
    second = bank_account_link(
        user=verified_alice, account_number="223456789012", ifsc="SBIN0001234"
    )

    destination_remove(user=verified_alice, destination=first)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.removed_at is not None and not first.is_default
    assert second.is_default
    assert BankAccount.objects.count() == 2  # past orders keep pointing at the removed one


def test_a_removed_account_can_be_linked_again_even_by_someone_else(verified_alice, verified_bob):
    account = bank_account_link(
        user=verified_alice, account_number="123456789012", ifsc="HDFC0001234"
    )
    destination_remove(user=verified_alice, destination=account)

    relinked = bank_account_link(
        user=verified_bob, account_number="123456789012", ifsc="HDFC0001234"
    )

    assert relinked.user == verified_bob
    assert relinked.holder_name == "BOB MEHTA"


def test_someone_elses_destination_cannot_be_changed(verified_alice, verified_bob):
    from config.errors import NotFound

    account = bank_account_link(
        user=verified_alice, account_number="123456789012", ifsc="HDFC0001234"
    )

    with pytest.raises(NotFound):
        destination_remove(user=verified_bob, destination=account)
    with pytest.raises(NotFound):
        destination_set_default(user=verified_bob, destination=account)
    account.refresh_from_db()
    assert account.removed_at is None


def test_staff_mark_flags_reviewed_once(verified_alice, verified_bob, client, staff):
    from ramp.services.destinations import destination_flags_review

    upi_id_link(user=verified_alice, upi_id="alice@okaxis")
    with pytest.raises(DestinationAlreadyLinked):
        upi_id_link(user=verified_bob, upi_id="alice@okaxis")
    client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")

    client.post(
        "/admin/ramp/destinationflag/",
        {"action": "mark_reviewed", "_selected_action": [DestinationFlag.objects.get().pk]},
    )

    flag = DestinationFlag.objects.get()
    assert flag.reviewed_at is not None
    assert destination_flags_review(flags=DestinationFlag.objects.all()) == 0

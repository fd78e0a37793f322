import pytest

from ramp.names import names_match, normalize_name


@pytest.mark.parametrize(
    ("registered", "on_record"),
    [
        ("ALICE KUMAR", "Alice Kumar"),
        ("KUMAR ALICE", "Alice Kumar"),
        ("Mr. Alice Kumar", "Alice Kumar"),
        ("SMT ALICE  KUMAR", "alice kumar"),
        ("A KUMAR", "Alice Kumar"),
        ("A. Kumar", "Alice Kumar"),
        ("ALICE PRIYA KUMAR", "Alice Kumar"),
        ("Alice Kumar", "Alice P Kumar"),
        ("MOHAMMED RAFI", "Mohammad Rafi"),
        ("José Fernandes", "JOSE FERNANDES"),
        ("D'SOUZA ANNA", "Anna D Souza"),
        ("PRIYA", "Priya"),
    ],
)
def test_names_of_the_same_person_match(registered, on_record):
    assert names_match(registered, on_record)


@pytest.mark.parametrize(
    ("registered", "on_record"),
    [
        ("BOB KUMAR", "Alice Kumar"),
        ("KUMAR", "Alice Kumar"),
        ("A K", "Alice Kumar"),
        ("B KUMAR", "Alice Kumar"),
        ("ALICE KUMAR SHARMA VERMA", "Alice Kumar"),
        ("RAHUL VERMA", "Priya Sharma"),
        ("RAM", "Ravi"),
        ("", "Alice Kumar"),
        ("Mr.", "Mr."),
        ("ALICE KUMARI", "Alice Kumar"),
    ],
)
def test_names_of_different_people_do_not_match(registered, on_record):
    assert not names_match(registered, on_record)


def test_normalising_drops_honorifics_punctuation_and_accents():
    assert normalize_name("  Dr. Zoë  O'Brien-Smith ") == ["ZOE", "O", "BRIEN", "SMITH"]

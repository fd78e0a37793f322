"""
Does the name a bank holds for an account belong to the verified person?

Both names are normalised: accents folded, upper-cased, punctuation dropped, honorifics
(MR, MRS, MS, DR, SHRI, SMT, KUMARI, …) removed. They then match when:

- every word of the shorter name pairs with a different word of the longer one, in any order —
  equal words, an initial and a word starting with it (``A`` ↔ ``ALICE``), or words of 5+
  letters that differ by one letter (a transliteration: ``MOHAMMAD`` ↔ ``MOHAMMED``);
- the longer name has at most one word left over (a middle name the bank omits);
- at least one pair is a whole word of 2+ letters, and a one-word name only matches one word.

So ``Mr. Alice Kumar`` = ``KUMAR ALICE`` = ``A KUMAR`` = ``Alice Priya Kumar``; but not
``Bob Kumar``, ``Kumar``, or ``A K``.
"""

import re
import unicodedata

HONORIFICS = {
    "MR",
    "MRS",
    "MS",
    "MISS",
    "MX",
    "DR",
    "PROF",
    "SHRI",
    "SHREE",
    "SRI",
    "SMT",
    "SMT.",
    "KUMARI",
    "KUM",
    "MASTER",
    "LATE",
    "SIR",
}


def normalize_name(name):
    folded = unicodedata.normalize("NFKD", name or "")
    ascii_name = "".join(c for c in folded if not unicodedata.combining(c)).upper()
    words = re.sub(r"[^A-Z ]+", " ", ascii_name.replace(".", " ")).split()
    return [word for word in words if word not in HONORIFICS]


def _one_letter_apart(a, b):
    if min(len(a), len(b)) < 5 or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    shorter, longer = sorted((a, b), key=len)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


def _pair(a, b):
    """'word' for a whole-word pair, 'initial' for an initial pair, None for no pair."""
    if a == b or _one_letter_apart(a, b):
        return "word" if len(a) > 1 else "initial"
    if (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b)):
        return "initial"
    return None


def names_match(registered, on_record):
    first, second = normalize_name(registered), normalize_name(on_record)
    if not first or not second:
        return False
    shorter, longer = sorted((first, second), key=len)
    if len(longer) - len(shorter) > 1 or (len(shorter) == 1 and len(longer) > 1):
        return False
    return _pairs_all(shorter, list(longer), whole_word_seen=False)


def _pairs_all(words, candidates, *, whole_word_seen):
    """Backtracking over pairings: names are a handful of words."""
    if not words:
        return whole_word_seen
    word, rest = words[0], words[1:]
    for index, candidate in enumerate(candidates):
        kind = _pair(word, candidate)
        if kind and _pairs_all(
            rest,
            candidates[:index] + candidates[index + 1 :],
            whole_word_seen=whole_word_seen or kind == "word",
        ):
            return True
    return False

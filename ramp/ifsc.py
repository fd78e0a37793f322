"""IFSC format and a small table of bank names by IFSC prefix (the first four letters)."""

import re

IFSC_PATTERN = re.compile(r"^[A-Z]{4}0[A-Z0-9]{6}$")

BANKS = {
    "AIRP": "Airtel Payments Bank",
    "AUBL": "AU Small Finance Bank",
    "BARB": "Bank of Baroda",
    "BDBL": "Bandhan Bank",
    "BKID": "Bank of India",
    "CBIN": "Central Bank of India",
    "CITI": "Citibank",
    "CIUB": "City Union Bank",
    "CNRB": "Canara Bank",
    "CSBK": "CSB Bank",
    "DBSS": "DBS Bank India",
    "DLXB": "Dhanlaxmi Bank",
    "ESFB": "Equitas Small Finance Bank",
    "FDRL": "Federal Bank",
    "FINO": "Fino Payments Bank",
    "HDFC": "HDFC Bank",
    "HSBC": "HSBC",
    "ICIC": "ICICI Bank",
    "IDFB": "IDFC FIRST Bank",
    "IDIB": "Indian Bank",
    "INDB": "IndusInd Bank",
    "IOBA": "Indian Overseas Bank",
    "IPOS": "India Post Payments Bank",
    "JAKA": "Jammu & Kashmir Bank",
    "KARB": "Karnataka Bank",
    "KKBK": "Kotak Mahindra Bank",
    "KVBL": "Karur Vysya Bank",
    "MAHB": "Bank of Maharashtra",
    "PSIB": "Punjab & Sind Bank",
    "PUNB": "Punjab National Bank",
    "PYTM": "Paytm Payments Bank",
    "RATN": "RBL Bank",
    "SBIN": "State Bank of India",
    "SCBL": "Standard Chartered Bank",
    "SIBL": "South Indian Bank",
    "TMBL": "Tamilnad Mercantile Bank",
    "UBIN": "Union Bank of India",
    "UCBA": "UCO Bank",
    "UJVN": "Ujjivan Small Finance Bank",
    "UTIB": "Axis Bank",
    "YESB": "Yes Bank",
}


def normalize_ifsc(value):
    return (value or "").strip().upper().replace(" ", "")


def is_valid_ifsc(value):
    return bool(IFSC_PATTERN.match(value))


def bank_name_for(ifsc):
    """The bank's name when its prefix is in the table, else an empty string."""
    return BANKS.get(ifsc[:4], "")

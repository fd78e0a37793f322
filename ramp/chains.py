"""
Address and transaction-hash formats per network, checked before anything is stored.

- TRON (TRC20): base58check, 25 bytes starting 0x41 (addresses start with ``T``); tx hash 64 hex.
- EVM (ERC20, BEP20, POLYGON, ETH): ``0x`` + 40 hex; mixed case must carry a valid EIP-55
  checksum (keccak-256); tx hash ``0x`` + 64 hex.
- Bitcoin: base58check P2PKH (``1…``) / P2SH (``3…``), or bech32 / bech32m (``bc1…``, BIP-173 and
  BIP-350); tx hash 64 hex.

Hashes are normalised to lower case (EVM keeps its ``0x``), so one hash is one hash whatever
case it was typed in.
"""

import hashlib
import re

from Crypto.Hash import keccak

TRON, EVM, BITCOIN = "tron", "evm", "bitcoin"

_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


def _base58check(address):
    number = 0
    for char in address:
        index = _BASE58.find(char)
        if index < 0:
            return None
        number = number * 58 + index
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    raw = b"\x00" * (len(address) - len(address.lstrip("1"))) + raw
    payload, checksum = raw[:-4], raw[-4:]
    if len(raw) < 5 or hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4] != checksum:
        return None
    return payload


def _tron_address(address):
    payload = _base58check(address)
    return payload is not None and len(payload) == 21 and payload[0] == 0x41


def _keccak_hex(text):
    digest = keccak.new(digest_bits=256)
    digest.update(text.encode())
    return digest.hexdigest()


def eip55(address):
    """The EIP-55 mixed-case form of a 0x address."""
    lower = address[2:].lower()
    hashed = _keccak_hex(lower)
    return "0x" + "".join(
        char.upper() if int(hashed[i], 16) >= 8 else char for i, char in enumerate(lower)
    )


def _evm_address(address):
    if not re.fullmatch(r"0x[0-9a-fA-F]{40}", address):
        return False
    body = address[2:]
    if body == body.lower() or body == body.upper():
        return True
    return address == eip55(address)


def _bech32_polymod(values):
    generator = [0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3]
    checksum = 1
    for value in values:
        top = checksum >> 25
        checksum = (checksum & 0x1FFFFFF) << 5 ^ value
        for i in range(5):
            checksum ^= generator[i] if ((top >> i) & 1) else 0
    return checksum


def _segwit_address(address):
    if address.lower() != address and address.upper() != address:
        return False
    address = address.lower()
    hrp, _, data = address.rpartition("1")
    if hrp != "bc" or not 6 <= len(data) <= 87 or any(c not in _BECH32 for c in data):
        return False
    values = [_BECH32.index(c) for c in data]
    expanded = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    constant = _bech32_polymod(expanded + values)
    version = values[0]
    if version > 16 or constant != (1 if version == 0 else 0x2BC830A3):
        return False
    # Witness program length: 20 or 32 bytes for v0, 2..40 for later versions.
    program_bits = (len(values) - 7) * 5
    program_len = program_bits // 8
    return program_len in (20, 32) if version == 0 else 2 <= program_len <= 40


def _bitcoin_address(address):
    if address.lower().startswith("bc1"):
        return _segwit_address(address)
    payload = _base58check(address)
    return payload is not None and len(payload) == 21 and payload[0] in (0x00, 0x05)


_ADDRESS_CHECKS = {TRON: _tron_address, EVM: _evm_address, BITCOIN: _bitcoin_address}

ADDRESS_HINTS = {
    TRON: "a TRON address starts with T and has 34 characters",
    EVM: "an address is 0x followed by 40 hexadecimal characters",
    BITCOIN: "a Bitcoin address starts with 1, 3 or bc1",
}

TX_HASH_HINTS = {
    TRON: "a TRON transaction ID is 64 hexadecimal characters",
    EVM: "a transaction hash is 0x followed by 64 hexadecimal characters",
    BITCOIN: "a Bitcoin transaction ID is 64 hexadecimal characters",
}


def is_valid_address(chain, address):
    return bool(address) and _ADDRESS_CHECKS[chain](address.strip())


def normalize_tx_hash(chain, value):
    """The canonical form of a transaction hash, or None when it is not one for ``chain``."""
    value = (value or "").strip().lower()
    if chain == EVM:
        return value if value.startswith("0x") and _HEX64.match(value[2:]) else None
    value = value.removeprefix("0x") if chain == TRON else value
    return value if _HEX64.match(value) else None

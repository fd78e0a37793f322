"""Addresses valid on their networks, shared by the tests."""

TRON_WALLET = "TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU7"
EVM_WALLET = "0x52908400098527886E0F7030069857D2E4169EE7"
BTC_WALLET = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"

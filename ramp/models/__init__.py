from ramp.models.assets import Asset, AssetLimit, Network, PaymentMethod, PlatformSettings, Side
from ramp.models.checkouts import CardCheckout, ProviderEvent
from ramp.models.destinations import BankAccount, DestinationEvent, DestinationFlag, UpiId
from ramp.models.orders import BankStatement, Order, OrderEvent, OrderStatus, StatementLine
from ramp.models.quotes import Quote

__all__ = [
    "Asset",
    "AssetLimit",
    "BankAccount",
    "BankStatement",
    "CardCheckout",
    "DestinationEvent",
    "DestinationFlag",
    "Network",
    "Order",
    "OrderEvent",
    "OrderStatus",
    "PaymentMethod",
    "PlatformSettings",
    "ProviderEvent",
    "Quote",
    "Side",
    "StatementLine",
    "UpiId",
]

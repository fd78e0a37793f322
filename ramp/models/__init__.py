from ramp.models.assets import Asset, AssetLimit, Network, PaymentMethod, PlatformSettings, Side
from ramp.models.destinations import BankAccount, DestinationEvent, DestinationFlag, UpiId
from ramp.models.orders import Order, OrderEvent, OrderStatus
from ramp.models.quotes import Quote

__all__ = [
    "Asset",
    "AssetLimit",
    "BankAccount",
    "DestinationEvent",
    "DestinationFlag",
    "Network",
    "Order",
    "OrderEvent",
    "OrderStatus",
    "PaymentMethod",
    "PlatformSettings",
    "Quote",
    "Side",
    "UpiId",
]

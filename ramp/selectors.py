from ramp.models import BankAccount, Order, OrderStatus, UpiId


def bank_accounts_for(*, user):
    return BankAccount.objects.filter(user=user, removed_at=None).order_by(
        "-is_default", "-created_at"
    )


def upi_ids_for(*, user):
    return UpiId.objects.filter(user=user, removed_at=None).order_by("-is_default", "-created_at")


def destination_for(*, user, kind, destination_id):
    """The person's own live destination, or None (another person's is as good as missing)."""
    model = {"bank": BankAccount, "upi": UpiId}.get(kind)
    if model is None:
        return None
    return model.objects.filter(pk=destination_id, user=user, removed_at=None).first()


def orders_for(*, user, status=None, side=None):
    orders = Order.objects.filter(user=user).select_related("asset").order_by("-created_at")
    if status in OrderStatus.values:
        orders = orders.filter(status=status)
    if side in ("buy", "sell"):
        orders = orders.filter(side=side)
    return orders


def order_timeline(*, order):
    return list(order.events.all())

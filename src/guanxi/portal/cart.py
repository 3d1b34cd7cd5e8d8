"""The shopping cart lives in the session: {product id: quantity}; nothing is reserved
until the order is placed."""

MAX_ITEMS = 50
KEY = "portal_cart"


def items(session) -> dict[int, int]:
    return {int(k): int(v) for k, v in session.get(KEY, {}).items()}


def put(session, product_id: int, quantity: int) -> None:
    cart = items(session)
    if quantity <= 0:
        cart.pop(product_id, None)
    elif product_id in cart or len(cart) < MAX_ITEMS:
        cart[product_id] = min(quantity, 999)
    session[KEY] = {str(k): v for k, v in cart.items()}


def clear(session) -> None:
    session.pop(KEY, None)


def context(request) -> dict:
    """Context processor: how many products the cart holds, for the portal's top bar."""
    session = getattr(request, "session", None)
    return {"cart_count": len(items(session)) if session is not None else 0}

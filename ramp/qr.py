"""QR codes as data: URIs (the CSP allows images from data:, nothing else from outside)."""

import base64
import io
from urllib.parse import quote, urlencode

import qrcode
from qrcode.constants import ERROR_CORRECT_M


def qr_png(text, *, box_size=8):
    image = qrcode.make(text, error_correction=ERROR_CORRECT_M, box_size=box_size, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def qr_data_uri(text):
    return "data:image/png;base64," + base64.b64encode(qr_png(text)).decode()


def upi_link(*, vpa, payee_name, amount, reference, note):
    """The UPI deep link (NPCI's upi://pay) any UPI app opens with everything filled in."""
    params = {
        "pa": vpa,
        "pn": payee_name,
        "am": f"{amount:.2f}",
        "cu": "INR",
        "tn": note,
        "tr": reference,
    }
    return "upi://pay?" + urlencode(params, quote_via=quote)


def order_upi_link(order, platform):
    """The link that pays ``order`` into the platform's UPI ID (the page's QR, the API's link)."""
    return upi_link(
        vpa=platform.upi_vpa,
        payee_name=platform.upi_payee_name,
        amount=order.fiat_amount,
        reference=order.reference,
        note=f"Rampart {order.reference}",
    )

import re

from django import forms

from ramp.cards import clean_card_number, clean_expiry


class BankAccountForm(forms.Form):
    account_number = forms.CharField(
        label="Account number",
        max_length=24,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    ifsc = forms.CharField(
        label="IFSC",
        max_length=16,
        help_text="11 characters, printed on your cheque book or passbook.",
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "placeholder": "HDFC0001234", "class": "mono"}
        ),
    )


class UpiIdForm(forms.Form):
    upi_id = forms.CharField(
        label="UPI ID",
        max_length=255,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "placeholder": "name@bank", "inputmode": "email"}
        ),
    )


class TradeForm(forms.Form):
    """What the buy and sell pages post. It only parses; the rules live in the services."""

    asset = forms.ModelChoiceField(queryset=None, empty_label=None, label="Crypto")
    payment_method = forms.ChoiceField(label="Pay with", required=False)
    amount_in = forms.ChoiceField(
        choices=[("fiat", "INR"), ("crypto", "Crypto")], initial="fiat", widget=forms.RadioSelect
    )
    amount = forms.CharField(
        label="Amount",
        max_length=32,
        required=False,
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "autocomplete": "off", "placeholder": "0.00"}
        ),
    )
    wallet_address = forms.CharField(
        label="Your wallet address",
        max_length=120,
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "class": "mono"}
        ),
    )
    destination = forms.CharField(required=False, widget=forms.HiddenInput)
    quote_id = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, side, assets, methods, **kwargs):
        super().__init__(*args, **kwargs)
        self.side = side
        self.fields["asset"].queryset = assets
        self.fields["payment_method"].choices = methods
        self.fields["payment_method"].initial = methods[0][0]


class UtrForm(forms.Form):
    utr = forms.CharField(
        label="UTR / reference number",
        max_length=20,
        help_text="12 digits, shown in your bank or UPI app under the payment's details.",
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "class": "mono"}
        ),
    )


class TxHashForm(forms.Form):
    tx_hash = forms.CharField(
        label="Transaction hash",
        max_length=100,
        help_text="Copy it from your wallet after sending.",
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "class": "mono"}
        ),
    )


class CardForm(forms.Form):
    """Card and billing address for Vault. The number and CVV are never rendered back."""

    number = forms.CharField(
        label="Card number",
        max_length=23,
        widget=forms.TextInput(
            attrs={"autocomplete": "cc-number", "inputmode": "numeric", "class": "mono"}
        ),
    )
    expiry = forms.CharField(
        label="Expiry (MM/YY)",
        max_length=7,
        widget=forms.TextInput(attrs={"autocomplete": "cc-exp", "placeholder": "MM/YY"}),
    )
    cvv = forms.CharField(
        label="CVV",
        max_length=4,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "cc-csc", "inputmode": "numeric"}, render_value=False
        ),
    )
    holder_name = forms.CharField(
        label="Name on card",
        max_length=80,
        widget=forms.TextInput(attrs={"autocomplete": "cc-name"}),
    )
    line1 = forms.CharField(
        label="Billing address",
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    city = forms.CharField(
        max_length=60, widget=forms.TextInput(attrs={"autocomplete": "address-level2"})
    )
    postal_code = forms.CharField(
        label="PIN / postal code",
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    country = forms.CharField(
        max_length=2,
        initial="IN",
        help_text="Two-letter country code, e.g. IN.",
        widget=forms.TextInput(attrs={"autocomplete": "country"}),
    )

    def clean_number(self):
        number = clean_card_number(self.cleaned_data["number"])
        if number is None:
            raise forms.ValidationError("This card number is not valid; check the digits.")
        return number

    def clean_expiry(self):
        expiry = clean_expiry(self.cleaned_data["expiry"])
        if expiry is None:
            raise forms.ValidationError("Enter a future expiry date as MM/YY.")
        return expiry

    def clean_cvv(self):
        cvv = self.cleaned_data["cvv"]
        if not re.fullmatch(r"\d{3,4}", cvv):
            raise forms.ValidationError("The CVV is the 3 or 4 digits on the back of the card.")
        return cvv

    def clean_country(self):
        country = self.cleaned_data["country"].strip().upper()
        if not re.fullmatch(r"[A-Z]{2}", country):
            raise forms.ValidationError("Use the two-letter country code, e.g. IN.")
        return country

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A re-rendered form never carries the card number back to the browser.
        self.fields["number"].widget = forms.PasswordInput(
            attrs=self.fields["number"].widget.attrs, render_value=False
        )

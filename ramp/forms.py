from django import forms


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

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

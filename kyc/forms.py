from django import forms


class KycForm(forms.Form):
    """
    Parses what was typed, nothing more: every rule, a missing field's included, is
    ``kyc.services.kyc_submit``'s, which tells every mistake at once. So no field is required
    here (the inputs still say ``required`` to browsers and screen readers).
    """

    full_name = forms.CharField(
        label="Full name (as on your PAN card)",
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    date_of_birth = forms.DateField(
        label="Date of birth",
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter your date of birth as YYYY-MM-DD."},
    )
    pan_number = forms.CharField(
        label="PAN",
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "placeholder": "ABCPE1234F", "class": "mono"}
        ),
    )
    aadhaar_number = forms.CharField(
        label="Aadhaar number",
        max_length=14,
        help_text="We check it and keep only the last 4 digits.",
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "inputmode": "numeric", "placeholder": "1234 5678 9012"}
        ),
    )
    pan_image = forms.FileField(
        label="PAN card",
        help_text="Photo or scan: JPEG, PNG or PDF, up to 5 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )
    aadhaar_image = forms.FileField(
        label="Masked Aadhaar",
        help_text=(
            "Download the masked Aadhaar from the UIDAI website: only the last 4 digits may be "
            "visible. JPEG, PNG or PDF, up to 5 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )
    selfie = forms.FileField(
        label="Selfie",
        help_text="A clear photo of your face, JPEG or PNG.",
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png", "capture": "user"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
            field.widget.attrs["required"] = True

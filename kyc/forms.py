from django import forms

from kyc import services
from kyc.errors import KycFieldInvalid


def _checked_by(field, validator):
    """A ``clean_<field>`` applying the service's own rule, so every mistake shows at once."""

    def clean(form):
        value = form.cleaned_data[field]
        try:
            validator(value)
        except KycFieldInvalid as error:
            raise forms.ValidationError(error.message) from None
        return value  # as typed: the service normalises it again

    return clean


class KycForm(forms.Form):
    """
    Parses what was typed. The rules live in ``kyc.services`` (``kyc_submit`` applies them all
    again); the form runs the typed fields' rules too, so a person sees every mistake at once.
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

    clean_full_name = _checked_by("full_name", services.validate_full_name)
    clean_date_of_birth = _checked_by("date_of_birth", services.validate_date_of_birth)
    clean_pan_number = _checked_by("pan_number", services.validate_pan)
    clean_aadhaar_number = _checked_by("aadhaar_number", services.validate_aadhaar)

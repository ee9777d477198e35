"""Two small form helpers every app uses: list filters from a GET form, a service's errors on a form."""

from django.core.exceptions import ValidationError


def filter_values(form) -> dict:
    """The valid, non-empty values of a GET filter form; an invalid value is ignored (never a 500).

    A list page and its XLSX export read their filters through this one function and the same form.
    """
    form.is_valid()
    cleaned = getattr(form, "cleaned_data", {})  # an unbound form has none: no filter
    return {name: value for name, value in cleaned.items() if value not in (None, "", False)}


def apply_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: field errors on their fields, the rest on top."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)

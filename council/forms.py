"""What every form shares: fields that refuse what no person means (30 February, the year 1, a number too big to
store, infinity) with a message beside the field instead of an error deeper down, and refusals shown in the
reader's language beside the field they are about. tests/test_forms.py sends every form these values."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import fields
from wtforms.validators import StopValidation

from council.errors import DomainError, require

# The days a date on the platform may name: a term, a session, a campaign phase, a working day, a due date.
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)
# The largest whole number a form may send: every number column holds it (a 32-bit INTEGER on both engines).
LARGEST = 2**31 - 1


def _out_of_range() -> str:
    return _("Choose a date between the years %(first)s and %(last)s.", first=FIRST_DAY.year, last=LAST_DAY.year)


class _Bounded:
    """A date or date-and-time field: empty is left to the field's validators (DataRequired, Optional); a day that
    does not exist or cannot be read, or one outside FIRST_DAY…LAST_DAY, is refused with a message, and no
    validator after it sees the missing value."""

    def _refusal(self) -> str:
        raise NotImplementedError

    def process_formdata(self, valuelist):
        if not valuelist or not " ".join(valuelist).strip():
            self.data = None
            return
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(self._refusal()) from None

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()  # its message is already there
        day = self.data.date() if isinstance(self.data, datetime) else self.data
        if day is not None and not FIRST_DAY <= day <= LAST_DAY:
            raise StopValidation(_out_of_range())


class DateField(_Bounded, fields.DateField):
    def __init__(self, label=None, validators=None, format="%Y-%m-%d", **kwargs):
        kwargs["render_kw"] = {"min": FIRST_DAY.isoformat(), "max": LAST_DAY.isoformat(),
                               **(kwargs.get("render_kw") or {})}
        super().__init__(label, validators, format, **kwargs)

    def _refusal(self) -> str:
        return _("Write a date that exists, for example %(example)s.", example="2026-09-01")


class DateTimeLocalField(_Bounded, fields.DateTimeLocalField):
    def __init__(self, label=None, validators=None, format="%Y-%m-%dT%H:%M", **kwargs):
        kwargs["render_kw"] = {"min": f"{FIRST_DAY.isoformat()}T00:00", "max": f"{LAST_DAY.isoformat()}T23:59",
                               **(kwargs.get("render_kw") or {})}
        super().__init__(label, validators, format=format, **kwargs)

    def _refusal(self) -> str:
        return _("Write a date and time that exist, for example %(example)s.", example="2026-09-01 15:30")


class _OneMessage:
    """A number that cannot be read is refused with that one message, not again by NumberRange for its None."""

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()


class IntegerField(_OneMessage, fields.IntegerField):
    """A whole number a column can hold: a 20-digit one is refused here, not by the database."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and abs(self.data) > LARGEST:
            self.data = None
            raise ValueError(_("This number is too big."))


def whole_number(value: str) -> int:
    """For ``request.form.get(name, type=whole_number)``: an id or a count a column can hold. Anything else raises
    ValueError, which ``get`` turns into its default: a 20-digit id is "none chosen", not a database error."""
    number = int(value)
    if abs(number) > LARGEST:
        raise ValueError(value)
    return number


class FloatField(_OneMessage, fields.FloatField):
    """A number that is one: ``1e309`` (infinity) and ``nan`` are refused."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and not math.isfinite(self.data):
            self.data = None
            raise ValueError(_("Write a number, for example 2 or 4.5."))


def error_summary(form) -> str:
    """A refused form's errors as one message, each after its field's label ("Title: Give the campaign a title."),
    for the message above the form. Labels and messages are often lazy strings: each becomes a str here."""
    parts = []
    for name, errors in form.errors.items():
        label = form[name].label.text if name is not None and name in form else ""
        for message in errors:
            parts.append(_("%(label)s: %(message)s", label=str(label), message=str(message)) if label
                         else str(message))
    return " ".join(parts)


def add_error(form, name: str | None, message: str) -> None:
    """Show ``message`` beside the field ``name`` (above the form when it has none): a rule of an operation that
    refused what was typed there. Before ``validate`` a field's errors are a tuple; they become a list."""
    target = form[name] if name is not None and name in form else None
    if target is None:
        form.form_errors.append(str(message))
    else:
        target.errors = [*target.errors, str(message)]


@contextmanager
def about(field: str) -> Iterator[None]:
    """Refusals raised inside are about ``field``: an upload's checks know the file, not the form it came in."""
    try:
        yield
    except DomainError as refused:
        if refused.field is None:
            refused.field = field
        raise


class EmptyForm(FlaskForm):
    """CSRF only, for buttons."""


def checked_form() -> None:
    """A button's form came with its valid CSRF token (the page was not left open too long, nor sent from
    elsewhere); otherwise the action is refused with a message asking to press again, and nothing changes."""
    require(EmptyForm().validate_on_submit(), _("Please press the button again."), DomainError)


__all__ = ["FIRST_DAY", "LARGEST", "LAST_DAY", "DateField", "DateTimeLocalField", "EmptyForm", "FloatField",
           "IntegerField", "about", "add_error", "checked_form", "error_summary", "whole_number"]

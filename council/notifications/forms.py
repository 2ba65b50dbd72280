from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice
from wtforms.validators import AnyOf, Optional

from council.notifications.operations import ADULT_KINDS, ALWAYS_AT_ONCE, Delivery


def delivery_form(current: dict[str, Delivery], formdata=None) -> FlaskForm:
    """One choice per kind of message an adult can get; the safety kind is fixed at once and not offered."""

    class DeliveryForm(FlaskForm):
        pass

    for kind, label in ADULT_KINDS.items():
        if kind in ALWAYS_AT_ONCE:
            continue
        setattr(DeliveryForm, kind, RadioField(
            label, choices=[SelectChoice(d.value, d.label) for d in Delivery], default=current[kind].value,
            validate_choice=False,  # a kind left out keeps its choice; a value that is no choice gets these words
            validators=[Optional(), AnyOf([d.value for d in Delivery],
                                          message=_l("Choose how this kind of message reaches you."))]))
    return DeliveryForm(formdata=formdata)


def chosen(form) -> dict[str, str]:
    """The choices the form sent; a kind sent empty keeps the one made before."""
    return {kind: form[kind].data for kind in ADULT_KINDS if kind not in ALWAYS_AT_ONCE and form[kind].data}

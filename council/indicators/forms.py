from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from council.forms import FloatField

DONE_CHOICES = [SelectChoice("yes", _l("Done")), SelectChoice("no", _l("Not done yet"))]


class ReportForm(FlaskForm):
    period = SelectField(_l("Period"), validators=[InputRequired(_l("Choose the period."))])
    value = FloatField(_l("Value"), validators=[Optional()])
    done = RadioField(_l("Is it done?"), choices=DONE_CHOICES, validators=[Optional()])
    note = TextAreaField(_l("Note (how it was counted, what is planned)"), validators=[Length(max=2000)])
    evidence = FileField(_l("Evidence: a photo or a scan (optional)"))
    evidence_description = StringField(_l("What does the picture show?"), validators=[Length(max=200)])
    replaces = HiddenField()


class ReturnForm(FlaskForm):
    reason = TextAreaField(_l("What needs correcting"), validators=[Length(max=2000)])

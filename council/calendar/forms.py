from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, StringField
from wtforms.validators import DataRequired, Length

from council.calendar.operations import NOTE_LENGTH
from council.forms import DateField


class CalendarDayForm(FlaskForm):
    day = DateField(_l("Date"), validators=[DataRequired(_l("Choose a date."))])
    kind = RadioField(_l("On this date"), default="day_off",
                      choices=[SelectChoice("day_off", _l("Day off")), SelectChoice("workday", _l("Working day"))],
                      validators=[DataRequired(_l("Choose working day or day off."))])
    note = StringField(_l("Note"), validators=[Length(max=NOTE_LENGTH, message=_l(
        "Please keep the note under %(max)d characters."))],
        description=_l("For example: 春节 or 国庆节调休上班"))


class DeleteForm(FlaskForm):
    """CSRF only, for the remove buttons."""


class YearCompleteForm(FlaskForm):
    """CSRF only, for the "this year's holidays are all entered" buttons."""

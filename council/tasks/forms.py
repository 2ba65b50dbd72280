from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from council.forms import DateField
from council.tasks.operations import NOTE_MAX


class ReplyForm(FlaskForm):
    grade = RadioField(_l("Outcome"), validators=[DataRequired(_l("Choose the outcome."))])
    summary = TextAreaField(_l("The answer for children"), validators=[DataRequired(_l(
        "Write the answer for children.")), Length(max=300)], description=_l(
        "20 to 300 characters. Short sentences a 9-year-old understands: what you did or will do, and when."))
    reply_text = TextAreaField(_l("The full answer (for adults, optional)"), validators=[Length(max=5000)])
    reason = TextAreaField(_l("Why it is not possible (needed for D)"), validators=[Length(max=2000)])
    photo = FileField(_l("A photo of the result (optional)"))
    photo_description = StringField(_l("What does the photo show?"), validators=[Length(max=200)])


class ExtensionForm(FlaskForm):
    until = DateField(_l("New due date"), validators=[DataRequired(_l("Choose the new date."))])
    reason = TextAreaField(_l("Why more time is needed"), validators=[DataRequired(_l(
        "Write why more time is needed.")), Length(max=1000)])


# The unit's and the office's short notes on a task page (each form's own id: several have a "reason").

class ProgressForm(FlaskForm):
    text = TextAreaField(_l("What has been done"), id="progress-text", validators=[Length(max=NOTE_MAX)])


class ReturnForm(FlaskForm):
    reason = TextAreaField(_l("Reason, so the office can find the right unit"), id="return-reason",
                           validators=[Length(max=NOTE_MAX)])


class RedispatchForm(FlaskForm):
    note = TextAreaField(_l("Note to the unit, answering its reason"), id="redispatch-note",
                         validators=[Length(max=NOTE_MAX)])


class WithdrawForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), id="withdraw-reason", validators=[Length(max=NOTE_MAX)])


class RateForm(FlaskForm):
    value = RadioField(_l("Are you happy with the answer?"), validators=[DataRequired(_l("Choose one."))])
    comment = TextAreaField(_l("Tell us more (optional)"), validators=[Optional(), Length(max=500)])

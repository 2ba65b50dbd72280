from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectChoice, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from council.reports.models import FlagReason, HelpKind
from council.reports.operations import FLAG_NOTE_MAX, MESSAGE_MAX, NOTE_MAX

HELP_CHOICES = [SelectChoice(k.value, k.label) for k in HelpKind]
FLAG_CHOICES = [SelectChoice(r.value, r.label) for r in FlagReason]


class HelpForm(FlaskForm):
    kind = RadioField(_l("What happened?"), choices=HELP_CHOICES,
                      validators=[DataRequired(_l("Choose what happened. Any answer is fine."))])
    message = TextAreaField(_l("Do you want to tell us more? (You can leave this empty.)"), validators=[
        Optional(), Length(max=MESSAGE_MAX, message=_l("Please write less than %(max)d characters."))],
        description=_l("Only the adults who help you will read this."))
    page = HiddenField()
    key = HiddenField()


class CloseHelpForm(FlaskForm):
    note = TextAreaField(_l("A note for the child"), validators=[
        DataRequired(_l("Write a short note for the child: what has been done?")),
        Length(max=NOTE_MAX, message=_l("Please write less than %(max)d characters."))],
        description=_l("The child reads this on their help page. Write in words a child understands."))


class FlagForm(FlaskForm):
    reason = RadioField(_l("What is wrong with it?"), choices=FLAG_CHOICES,
                        validators=[DataRequired(_l("Choose what is wrong."))])
    note = TextAreaField(_l("Anything else? (optional)"), validators=[
        Optional(), Length(max=FLAG_NOTE_MAX, message=_l("Please write less than %(max)d characters."))])


class RemoveForm(FlaskForm):
    reason = TextAreaField(_l("Why is it taken down? (the authors read this)"), validators=[
        DataRequired(_l("Write the reason for the authors: why is it taken down?")), Length(max=1000)])

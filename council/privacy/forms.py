from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from council.accounts.forms import RELATIONS
from council.privacy.models import HUMAN_CHANNELS, RequestKind


class DataRequestForm(FlaskForm):
    kind = RadioField(_l("What the guardian asks for"), validators=[DataRequired(_l("Choose what is asked for."))],
                      choices=[SelectChoice(k.value, k.label) for k in RequestKind])
    requester_name = StringField(_l("Name of the person asking"), validators=[
        DataRequired(_l("Write the name of the person asking.")), Length(max=64)])
    relation = SelectField(_l("Relation to the child"), choices=RELATIONS)
    channel = RadioField(_l("How they asked"), validators=[DataRequired(_l("Choose how they asked."))],
                         choices=[SelectChoice(c.value, c.label) for c in HUMAN_CHANNELS])
    note = TextAreaField(_l("Note (optional)"), validators=[Length(max=1000)],
                         description=_l("For example how you checked that the person is the child's guardian."))


class CarryOutForm(FlaskForm):
    checked = BooleanField(_l("I have checked that the person asking is the child's guardian."),
                           validators=[DataRequired(_l("Check who is asking first."))])


class RefuseForm(FlaskForm):
    reason = TextAreaField(_l("Why the request is refused"), validators=[
        DataRequired(_l("Write why the request is refused; the guardian will be told.")), Length(max=2000)])

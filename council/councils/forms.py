
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import DataRequired, Optional, ValidationError

from council.accounts.models import CHILD_ROLES, MembershipRole
from council.calendar import clock
from council.forms import DateField


def _child_roles():
    return [(role.value, role.label) for role in CHILD_ROLES]


class MemberForm(FlaskForm):
    # Choices are the children of the council's area, filled in by the view.
    child = SelectField(_l("Child"), coerce=int, validators=[DataRequired(_l("Choose a child."))])
    role = SelectField(_l("Role"), coerce=MembershipRole, choices=_child_roles, default=MembershipRole.member.value)
    starts_on = DateField(_l("First day of the term"),
                          validators=[DataRequired(_l("Write the first day of the term."))])
    ends_on = DateField(_l("Last day of the term"), validators=[Optional()],
                        description=_l("Leave it empty if the end of the term is not known yet."))

    def validate_ends_on(self, field):
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError(_l("A term cannot end before it starts."))


class EndTermForm(FlaskForm):
    ends_on = DateField(_l("Last day of the term"), default=clock.today,
                        validators=[DataRequired(_l("Write the last day of the term."))])

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, RadioField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(_l("Write your username.")), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Write your password."))])
    next = HiddenField()


class LogoutForm(FlaskForm):
    pass


RELATIONS = [SelectChoice("父亲", _l("Father")), SelectChoice("母亲", _l("Mother")),
             SelectChoice("祖父母", _l("Grandparent")), SelectChoice("其他监护人", _l("Other legal guardian"))]


class ConsentForm(FlaskForm):
    guardian_name = StringField(_l("Guardian's name"), validators=[
        DataRequired(_l("Write the guardian's name.")), Length(max=64)])
    relation = SelectField(_l("Relation to the child"), choices=RELATIONS)
    method = RadioField(_l("How the guardian answered"), validators=[DataRequired(_l("Choose how."))])
    decision = RadioField(_l("The guardian's answer"), validators=[DataRequired(_l("Choose the answer."))])
    replaces = HiddenField()  # the answer on record when the page was shown (its id; 0: none), council/claims.py


TOO_LONG = _l("A password may have at most 128 characters.")


class WelcomeForm(FlaskForm):
    """An adult's first password, chosen with a one-time link (council/accounts/welcome.py)."""

    password = PasswordField(_l("New password"), validators=[DataRequired(_l("Write the new password.")),
                                                             Length(max=128, message=TOO_LONG)],
                             description=_l("At least 10 characters, not a common password. A short sentence works "
                                            "well."))
    again = PasswordField(_l("New password again"), validators=[DataRequired(_l("Write the new password again.")),
                                                                Length(max=128, message=TOO_LONG)])

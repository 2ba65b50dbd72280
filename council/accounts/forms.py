from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(_l("Write your username.")), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Write your password."))])
    next = HiddenField()


class LogoutForm(FlaskForm):
    pass

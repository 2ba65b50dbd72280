from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, PasswordField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from council.accounts.forms import RELATIONS


class ClassForm(FlaskForm):
    council = SelectField(_l("Council"), coerce=int)
    school = StringField(_l("School (leave empty to use the council's name)"), validators=[Length(max=120)])
    name = StringField(_l("Class name"), validators=[DataRequired(_l("Write the name of the class.")),
                                                      Length(max=64)], description=_l("For example 三年级二班."))


class UploadForm(FlaskForm):
    roster = FileField(_l("Class list (CSV or Excel .xlsx)"), description=_l(
        "First row: 姓名 (real name), 昵称 (nickname, may be empty: we choose a friendly one), 出生年份 (birth year). "
        "Other columns are ignored."))


class KidsClassForm(FlaskForm):
    code = StringField(_l("Class code"), validators=[DataRequired(_l("Write the class code from your card.")),
                                                     Length(max=12)])
    remember = BooleanField(_l("Remember this class on this device"), default=True)


class GuardianCodeForm(FlaskForm):
    code = StringField(_l("Code on the slip"), validators=[DataRequired(_l("Write the code from the slip.")),
                                                          Length(max=20)])


class GuardianConsentForm(FlaskForm):
    guardian_name = StringField(_l("Your name"), validators=[DataRequired(_l("Write your name.")), Length(max=64)])
    relation = SelectField(_l("You are the child's"), choices=RELATIONS)
    decision = RadioField(_l("Your answer"), validators=[DataRequired(_l("Choose yes or no."))])


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(_l("Write your current password."))])
    new = PasswordField(_l("New password"), validators=[DataRequired(_l("Write the new password."))],
                        description=_l("At least 10 characters, not a common password. A short sentence works well."))
    again = PasswordField(_l("New password again"), validators=[DataRequired(_l("Write the new password again."))])

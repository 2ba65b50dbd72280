from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from council.forms import DateTimeLocalField, IntegerField


class ScheduleForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(_l("Give the session a title.")), Length(max=120)],
                        description=_l("For example: 秋季第一次议事会议"))
    starts_at = DateTimeLocalField(_l("Date and time"), format="%Y-%m-%dT%H:%M",
                                   validators=[DataRequired(_l("Choose the date and time."))])
    place = StringField(_l("Place"), validators=[Length(max=200)], description=_l("Room, school or address"))
    online = BooleanField(_l("Online session"))


class MinutesForm(FlaskForm):
    minutes = TextAreaField(_l("Minutes"), validators=[Length(max=20000)],
                            description=_l("What was said and decided, for the children and the public."))


class RulesForm(FlaskForm):
    """The council's voting rules; their limits are the operation's (sessions.operations.set_rules)."""

    quorum_percent = IntegerField(_l("Quorum (per cent of members present)"), render_kw={"min": 1, "max": 100},
                                  validators=[InputRequired(_l("The quorum is a share between 1 and 100 per cent."))])
    majority_percent = IntegerField(_l("Majority (an idea needs more than this per cent of votes cast)"),
                                    render_kw={"min": 50, "max": 99}, validators=[InputRequired(_l(
                                        "The majority is a share from 50 to 99 per cent."))])


class MinutesFileForm(FlaskForm):
    file = FileField(_l("A photo for the minutes (no faces)"), render_kw={"accept": "image/*"})
    description = StringField(_l("What does the picture show?"), validators=[Length(max=200)])


class CloseVoteForm(FlaskForm):
    reason = TextAreaField(_l("If it is not adopted: the reason, written for children"),
                           validators=[Length(max=1000)])

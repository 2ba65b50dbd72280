from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateTimeLocalField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length


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

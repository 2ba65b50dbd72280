from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from council.forms import IntegerField
from council.proposals.operations import LIMITS


class ProblemForm(FlaskForm):
    title = StringField(_l("A short name for your idea"), validators=[
        DataRequired(_l("Give your idea a short name.")), Length(max=LIMITS["title"], message=_l(
            "Please keep the name under %(max)d characters."))],
        description=_l("For example: 路灯坏了 or 学校门口太挤"))
    problem = TextAreaField(_l("What is the problem?"), validators=[Length(max=LIMITS["problem"], message=_l(
        "This part is too long. Please keep it under %(max)d characters."))],
        description=_l("Tell us what you saw or what bothers you."))


class PlaceForm(FlaskForm):
    place = StringField(_l("Where is it?"), validators=[Length(max=LIMITS["place"], message=_l(
        "This part is too long. Please keep it under %(max)d characters."))],
        description=_l("A street, a park or a school is enough. Do not write your home address."))
    council = RadioField(_l("Which council should talk about it?"), coerce=int,
                         validators=[DataRequired(_l("Choose a council."))])


class IdeaForm(FlaskForm):
    idea = TextAreaField(_l("What is your idea?"), validators=[Length(max=LIMITS["idea"], message=_l(
        "This part is too long. Please keep it under %(max)d characters."))],
        description=_l("What would make it better?"))


class WhoForm(FlaskForm):
    who_helps = TextAreaField(_l("Who would it help?"), validators=[Length(max=LIMITS["who_helps"], message=_l(
        "This part is too long. Please keep it under %(max)d characters."))],
        description=_l("For example: little children, grandparents, everyone who walks to school."))


class UploadForm(FlaskForm):
    picture = FileField(_l("A drawing or photo"))
    description = StringField(_l("What does the picture show?"), validators=[Length(max=200)],
                              description=_l("This helps children who cannot see the picture."))
    voice = FileField(_l("A voice note (up to 2 minutes)"))


class TopicForm(FlaskForm):
    task = RadioField(_l("Topic"), validators=[DataRequired(_l("Pick a topic, or choose “Something else”."))])


class StartForm(FlaskForm):
    council = RadioField(_l("Which council should talk about it?"), coerce=int,
                         validators=[DataRequired(_l("Choose a council."))])


class OnBehalfForm(FlaskForm):
    council = SelectField(_l("Council"), coerce=int)


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason, written for the child"), validators=[
        DataRequired(_l("Write the reason for the child: what should they change?")), Length(max=1000)])


class RejectForm(FlaskForm):
    kind = RadioField(_l("Why is it not taken up?"), validators=[DataRequired(_l("Choose a reason."))])
    note = TextAreaField(_l("Reason, written for the child"), validators=[
        DataRequired(_l("Write the reason for the child.")), Length(max=1000)])
    duplicate_of = IntegerField(_l("Number of the idea it repeats"), validators=[Optional()])
    suggested_council = SelectField(_l("Council that should take it"), coerce=int, validate_choice=False)


class TranscriptionForm(FlaskForm):
    transcription = TextAreaField(_l("What the voice note says"), validators=[Length(max=2000)])


class WordForm(FlaskForm):
    word = StringField(_l("Word to look at twice"), validators=[DataRequired(_l("Write a word.")), Length(max=64)])


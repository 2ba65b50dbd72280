from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from council.accounts.models import ConsentMethod
from council.campaigns.models import CampaignKind
from council.forms import DateField, IntegerField

KIND_CHOICES = [SelectChoice(k.value, k.label) for k in CampaignKind]
CONSENT_CHOICES = [SelectChoice("", _l("Not yet: the guardian has not answered"))] + [
    SelectChoice(m.value, m.label) for m in ConsentMethod]


class CampaignForm(FlaskForm):
    council = SelectField(_l("Who may take part"), validate_choice=True)
    kind = SelectField(_l("Kind of work"), choices=KIND_CHOICES)
    title = StringField(_l("Title"), validators=[DataRequired(_l("Give the campaign a title.")), Length(max=120)])
    rules = TextAreaField(_l("Rules in plain words"), validators=[DataRequired(_l(
        "Write the rules in plain words for children.")), Length(max=5000)], description=_l(
        "What to make, how big, what makes a good entry. Short sentences a 9-year-old understands."))
    prizes = TextAreaField(_l("Prizes"), validators=[Length(max=2000)])
    age_groups = StringField(_l("Age groups"), default="6-8, 9-11, 12-14, 15-17", validators=[DataRequired(_l(
        "Write at least one age group, like 6-8."))], description=_l(
        "Entries are placed by the age the child reaches this year (from the birth year)."))
    reviewing_from = DateField(_l("Entries close on"), validators=[InputRequired(_l("Choose a date for each phase."))])
    voting_from = DateField(_l("Voting starts on"), validators=[InputRequired(_l("Choose a date for each phase."))])
    judging_from = DateField(_l("The jury starts on"), validators=[InputRequired(_l(
        "Choose a date for each phase."))])
    results_from = DateField(_l("Results on"), validators=[InputRequired(_l("Choose a date for each phase."))])
    entries_per_child = IntegerField(_l("Entries per child"), default=1, validators=[InputRequired(), NumberRange(
        1, 10)])
    votes_per_child = IntegerField(_l("Votes per child"), default=3, validators=[InputRequired(), NumberRange(1, 50)])
    jury_weight = IntegerField(_l("The jury's share of the final score (%)"), default=70, validators=[
        InputRequired(), NumberRange(0, 100)], description=_l("The children's votes count for the rest."))
    winners_per_group = IntegerField(_l("Winners per age group"), default=3, validators=[InputRequired(),
                                                                                           NumberRange(1, 20)])
    rubric = TextAreaField(_l("What the jury scores"), default="创意 | 40\n主题表达 | 30\n美观 | 30",
                           validators=[DataRequired(_l("Write at least one criterion for the jury."))],
                           description=_l("One criterion a line, with its weight: “Creativity | 40”. "
                                          "Each juror marks each criterion from 0 to 10."))
    jurors = TextAreaField(_l("Jury members (usernames)"), validators=[Optional(), Length(max=2000)],
                           description=_l("Adults only, separated by commas. Jurors never see who made a work, so "
                                          "whoever checks the entries cannot be on the jury."))


class EntryForm(FlaskForm):
    child = SelectField(_l("For which child"), coerce=int, validate_choice=False)
    title = StringField(_l("Title of your work"), validators=[DataRequired(_l("Give your work a title.")),
                                                              Length(max=100)])
    description = StringField(_l("What does your work show?"), validators=[DataRequired(_l(
        "Say in one sentence what your work shows.")), Length(max=300)], description=_l(
        "One sentence. People who cannot see the picture hear it read aloud."))
    text = TextAreaField(_l("Your words"), validators=[Optional(), Length(max=5000)])
    picture = FileField(_l("A photo of your work"))
    consent = SelectField(_l("The guardian's consent slip"), choices=CONSENT_CHOICES, validate_choice=True)


class ReviewForm(FlaskForm):
    reason = TextAreaField(_l("Reason, written for the child"), validators=[Optional(), Length(max=1000)])


class ConsentForm(FlaskForm):
    method = SelectField(_l("How the guardian answered"), choices=CONSENT_CHOICES[1:])

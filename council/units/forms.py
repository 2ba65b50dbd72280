from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from council.units.operations import NAME_EN_MAX, NAME_MAX


class UnitForm(FlaskForm):
    """A new responsible unit, as the office adds it; the choices are filled in by the view."""

    name = StringField(_l("Name in Chinese"), validators=[DataRequired(_l("Write the unit's name in Chinese.")),
                                                          Length(max=NAME_MAX)],
                       description=_l("As the unit calls itself, for example 北郊镇人民政府."))
    name_en = StringField(_l("Name in English"), validators=[DataRequired(_l("Write the unit's name in English.")),
                                                             Length(max=NAME_EN_MAX)])
    kind = SelectField(_l("Kind"))
    group = SelectField(_l("Group it belongs to (optional)"))
    council = SelectField(_l("Council of its town, street or community (optional)"),
                          description=_l("That council's adopted ideas are suggested to the unit first."))

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField

TABLES = {"accept": ".csv,.xlsx"}


class SetupFilesForm(FlaskForm):
    """Up to one file of each kind, read together in one preview (an adult's council may be in the councils' file)."""

    councils = FileField(_l("Councils (CSV or Excel .xlsx)"), render_kw=TABLES, description=_l(
        "Columns: 名称 (name), 类型 (kind: 社区, 村, 学校, 幼儿园), 所属镇街 (town or street), 地址区域 (address area, "
        "may be empty)."))
    units = FileField(_l("Responsible units (CSV or Excel .xlsx)"), render_kw=TABLES, description=_l(
        "Columns: 单位名称 (name), 英文名称 (name in English), "
        "类型 (kind: 部门, 街道办事处, 镇政府, 工作组, 协调机制), "
        "所属工作组 (group, may be empty), 联系人 (contact, may be empty)."))
    adults = FileField(_l("Adults (CSV or Excel .xlsx)"), render_kw=TABLES, description=_l(
        "Columns: 姓名 (name), 手机 (phone) and/or 邮箱 (e-mail), "
        "角色 (role: 辅导员, 教师, 单位工作人员, 妇儿工委办公室), "
        "议事会 (council) or 单位 (unit), 任期开始 (term start), 任期结束 (term end, may be empty)."))

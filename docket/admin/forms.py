from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired, FileSize
from wtforms import BooleanField
from wtforms.validators import DataRequired


class PlanUploadForm(FlaskForm):
    plan_file = FileField(
        "Plan file (TOML)",
        validators=[
            FileRequired("Choose a plan file to upload."),
            FileAllowed(["toml"], "Upload a .toml plan file (rules/README.md)."),
            FileSize(max_size=1_000_000, message="A plan file is at most 1 MB."),
        ],
        description="Checked line by line when uploaded; nothing changes until you activate it.",
    )


class ActivateForm(FlaskForm):
    confirm = BooleanField(
        "I have reviewed the changes and want this plan in force",
        validators=[DataRequired("Tick the box to confirm.")],
    )

from django.db import migrations

from workflows.permanent_tables import append_only


class Migration(migrations.Migration):
    dependencies = [("workflows", "0004_permanent_records")]

    operations = [
        append_only("workflows_medicalapproval"),
        append_only("workflows_medicalrejection"),
    ]

from django.db import migrations

from workflows.permanent_tables import append_only


class Migration(migrations.Migration):
    dependencies = [("content_models", "0002_credential_verifications")]

    operations = [append_only("content_models_credentialverification")]

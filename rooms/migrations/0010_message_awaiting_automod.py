from django.db import migrations, models


def owe_nothing_old(apps, schema_editor):
    """Messages stored before: only those still pending are owed a verdict; every other
    one without scores was never going to get one (AutoMod off, or its moment passed)."""
    Message = apps.get_model("rooms", "Message")
    Message.objects.filter(automod_scores__isnull=True).exclude(state="pending").update(
        automod_scores={}
    )


class Migration(migrations.Migration):
    dependencies = [("rooms", "0009_preset_prompts")]

    operations = [
        migrations.AlterField(
            model_name="message",
            name="automod_scores",
            field=models.JSONField(
                blank=True,
                help_text="AutoMod's category scores; null while AutoMod owes a verdict, {} "
                "when it does not review the message (AutoMod off, a moderator's message).",
                null=True,
            ),
        ),
        migrations.RunPython(owe_nothing_old, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="message",
            index=models.Index(
                condition=models.Q(("automod_scores__isnull", True)),
                fields=["created_at"],
                name="message_awaiting_automod",
            ),
        ),
    ]

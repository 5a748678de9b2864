"""A PEI version's status as the manual's P1 steps name it: a version in review whose open P1 case has passed the
Subdirector's visto bueno (step 9, "No tiene observaciones") is "Con visto bueno"; one whose case waits at step 12
(after step 11 sent it to the Dirección General and the Autoridad Migratoria Nacional) is "Presentado a la Dirección
General". Each change is one audit event. Backwards, both are "En revisión" again."""

from django.db import migrations, models


from planea.audit.services import record

ENDORSED_AT = {"9.2", "10", "10.1", "10.2", "11"}  # ready steps after the visto bueno, before the presentation
PRESENTED_AT = {"12"}


def statuses_as_the_manual(apps, schema_editor):
    StrategicPlan = apps.get_model("strategy", "StrategicPlan")
    CaseTask = apps.get_model("procedures", "CaseTask")
    for plan in StrategicPlan.objects.filter(status="review", case__status="open").select_related("case"):
        ready = set(CaseTask.objects.filter(case_id=plan.case_id, status="ready").values_list("number", flat=True))
        status, label = (
            ("presented", "Presentado a la Dirección General")
            if ready & PRESENTED_AT
            else ("endorsed", "Con visto bueno")
            if ready & ENDORSED_AT
            else (None, "")
        )
        if status is None:
            continue
        StrategicPlan.objects.filter(pk=plan.pk).update(status=status)
        record(
            actor=None,
            action="pei_status_corrected",
            instance=plan,
            object_repr=f"{plan.code} v{plan.version}",
            before={"status": "review"},
            after={"status": status},
            summary=f"{plan.code} v{plan.version}: estado «{label}», como dice el manual en el paso "
            f"{', '.join(sorted(ready))} del expediente {plan.case.number}",
        )


def statuses_back(apps, schema_editor):
    apps.get_model("strategy", "StrategicPlan").objects.filter(status__in=["endorsed", "presented"]).update(
        status="review"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("procedures", "0002_case_definition_started"),
        ("strategy", "0002_ascii_codes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="strategicplan",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "Borrador"),
                    ("review", "En revisión"),
                    ("endorsed", "Con visto bueno"),
                    ("presented", "Presentado a la Dirección General"),
                    ("approved", "Aprobado"),
                ],
                default="draft",
                max_length=20,
                verbose_name="estado",
            ),
        ),
        migrations.RunPython(statuses_as_the_manual, statuses_back),
    ]

"""Approvals as the manual's P2 steps name them, the acknowledgement of a POA's consistency observations at its
visto bueno, and the justification of a reprogramming that changes months already past.

A plan recorded "approved" by the visto bueno at step 10 while its P2 case is still open is moved to what it is:
"Con visto bueno" while step 10.1 waits (not yet presented), "Presentado a la Dirección General" while step 11 waits
(the approval by the Dirección General and the Autoridad Migratoria Nacional comes before step 11 sends it); its
approval date is cleared, and step 11 records it approved. Each change is one audit event. Backwards, both are
"approved" again (stamped now)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


from django.utils import timezone

from planea.audit.services import record

STATUS_AT = {"10.1": ("endorsed", "Con visto bueno"), "11": ("presented", "Presentado a la Dirección General")}


def statuses_as_the_manual(apps, schema_editor):
    OperationalPlan = apps.get_model("operations", "OperationalPlan")
    CaseTask = apps.get_model("procedures", "CaseTask")
    for plan in OperationalPlan.objects.filter(status="approved", case__status="open").select_related("case"):
        ready = CaseTask.objects.filter(case_id=plan.case_id, status="ready", number__in=STATUS_AT)
        number = ready.values_list("number", flat=True).first()
        if number is None:
            continue
        status, label = STATUS_AT[number]
        OperationalPlan.objects.filter(pk=plan.pk).update(status=status, approved_at=None)
        record(
            actor=None,
            action="plan_status_corrected",
            instance=plan,
            object_repr=plan.code,
            before={"status": "approved", "approved_at": plan.approved_at},
            after={"status": status, "approved_at": None},
            summary=f"{plan.code}: estado «{label}», como dice el manual en el paso {number} del expediente "
            f"{plan.case.number}; se aprueba al completar el paso 11",
        )


def statuses_back(apps, schema_editor):
    apps.get_model("operations", "OperationalPlan").objects.filter(status__in=["endorsed", "presented"]).update(
        status="approved", approved_at=timezone.now()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("operations", "0008_goal_totals"),
        ("procedures", "0002_case_definition_started"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="reprogramming",
            name="past_justification",
            field=models.TextField(
                blank=True,
                help_text="Por qué se cambian metas de meses ya transcurridos (PLANEA_REPROGRAMMING_PAST_MONTHS=justify).",
                verbose_name="justificación de los meses transcurridos",
            ),
        ),
        migrations.AlterField(
            model_name="operationalplan",
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
        migrations.CreateModel(
            name="ConsistencyAcknowledgement",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("acknowledged_at", models.DateTimeField(verbose_name="reconocida")),
                ("figures", models.JSONField(verbose_name="cifras reconocidas")),
                ("note", models.TextField(verbose_name="motivo")),
                (
                    "acknowledged_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="reconocida por",
                    ),
                ),
                (
                    "plan",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="acknowledgements",
                        to="operations.operationalplan",
                    ),
                ),
                (
                    "task",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="procedures.casetask"
                    ),
                ),
            ],
            options={
                "verbose_name": "reconocimiento de inconsistencias",
                "verbose_name_plural": "reconocimientos de inconsistencias",
                "ordering": ["-acknowledged_at"],
            },
        ),
        migrations.RunPython(statuses_as_the_manual, statuses_back),
    ]

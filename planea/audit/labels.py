"""How actions and object types are named to people (the stored codes stay stable for filters and exports)."""

from django.apps import apps
from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "create": _("Creación"),
    "update": _("Modificación"),
    "delete": _("Eliminación"),
    "import": _("Importación de archivo"),
    "import_create": _("Creación por importación"),
    "import_update": _("Modificación por importación"),
    "login": _("Inicio de sesión"),
    "logout": _("Cierre de sesión"),
    "login_failed": _("Intento fallido de inicio de sesión"),
    "lockout": _("Bloqueo por intentos fallidos"),
    "password_change": _("Cambio de contraseña"),
    "password_set": _("Contraseña asignada"),
    "job_start": _("Trabajo solicitado"),
    "job_done": _("Trabajo terminado"),
    "job_failed": _("Trabajo fallido"),
    "job_abandoned": _("Trabajo interrumpido (su proceso se detuvo)"),
    "execution_written": _("Ejecución de metas físicas escrita"),
    "execution_registered": _("Mes de ejecución registrado"),
    "execution_cause_written": _("Causa de desviación escrita"),
    "execution_cause_removed": _("Causa de desviación quitada"),
    "execution_sent_back": _("Mes de ejecución devuelto para corregir"),
    "execution_authorized": _("Mes de ejecución autorizado"),
    "execution_approved": _("Mes de ejecución aprobado"),
    "execution_reopened": _("Mes de ejecución reabierto"),
    "p6_month_linked": _("Expediente P6 vinculado a un mes de ejecución"),
    # Cases and steps
    "case_started": _("Expediente iniciado"),
    "case_completed": _("Expediente concluido"),
    "task_ready": _("Paso pendiente"),
    "task_completed": _("Paso completado"),
    "task_claimed": _("Paso tomado"),
    "task_released": _("Paso liberado"),
    "task_assigned": _("Paso asignado"),
    "task_reassigned": _("Paso reasignado"),
    "task_due_date_changed": _("Plazo del paso cambiado"),
    "task_overdue_notified": _("Aviso de paso vencido"),
    "task_document_attached": _("Documento adjuntado al paso"),
    "task_documents_replaced": _("Documentos del paso generados de nuevo"),
    "definition_version_created": _("Nueva versión de procedimiento"),
    "definition_due_days_changed": _("Plazos del procedimiento cambiados"),
    "document_stored": _("Documento guardado"),
    "step_request_sent": _("Solicitud de un paso enviada"),
    "step_request_answered": _("Solicitud de un paso respondida"),
    "step_request_withdrawn": _("Solicitud de un paso retirada"),
    # PEI
    "pei_created": _("PEI creado"),
    "pei_updated": _("PEI modificado"),
    "pei_version_created": _("Nueva versión del PEI"),
    "pei_content_created": _("Elemento del PEI creado"),
    "pei_content_updated": _("Elemento del PEI modificado"),
    "pei_content_deleted": _("Elemento del PEI eliminado"),
    "pei_case_linked": _("PEI en trámite"),
    "pei_in_review": _("PEI en revisión"),
    "pei_returned": _("PEI devuelto con observaciones"),
    "pei_endorsed": _("PEI con visto bueno"),
    "pei_presented": _("PEI presentado a la Dirección General"),
    "pei_status_corrected": _("Estado del PEI corregido"),
    "pei_approved": _("PEI aprobado"),
    # P5 programming of physical goals
    "p5_plan_linked": _("POA en programación de metas físicas (P5)"),
    "p5_run_chosen": _("Corrida de pronósticos elegida (P5)"),
    "p5_tolerance_changed": _("Tolerancia de la comparación con el POM cambiada (P5)"),
    "p5_goals_prefilled": _("Metas sin programar tomadas del pronóstico (P5)"),
    "p5_goals_incorporated": _("Metas físicas incorporadas al POA (P5)"),
    # POM and POA
    "operational_plan_created": _("Plan operativo creado"),
    "plan_sent_to_areas": _("Plan enviado a las áreas"),
    "plan_case_linked": _("Plan en trámite"),
    "plan_in_review": _("Plan en revisión"),
    "plan_returned": _("Plan devuelto para corrección"),
    "plan_endorsed": _("Plan con visto bueno"),
    "plan_presented": _("Plan presentado a la Dirección General"),
    "plan_status_corrected": _("Estado del plan corregido"),
    "consistency_acknowledged": _("Observaciones de consistencia reconocidas"),
    "plan_approved": _("Plan aprobado"),
    "goals_saved": _("Metas guardadas"),
    "goals_imported": _("Metas importadas"),
    "goals_started_from_pom": _("Metas iniciales tomadas del POM"),
    "goals_copied_from_previous": _("Metas copiadas del POA anterior"),
    "ceilings_set": _("Techos presupuestarios fijados"),
    "input_matrix_imported": _("Matriz de insumos importada"),
    "reprogramming_requested": _("Reprogramación solicitada"),
    "reprogramming_approved": _("Reprogramación aprobada"),
    "reprogramming_rejected": _("Reprogramación rechazada"),
    # Statistics
    "statistics_loaded": _("Estadísticas cargadas"),
    "statistics_period_marked": _("Periodo atípico marcado"),
    "statistics_period_removed": _("Periodo atípico quitado"),
    # Forecasts
    "forecast_run_started": _("Corrida de pronósticos solicitada"),
    "forecast_run_done": _("Corrida de pronósticos terminada"),
    "forecast_run_failed": _("Corrida de pronósticos fallida"),
}


def action_label(code: str) -> str:
    return str(ACTION_LABELS.get(code, code))


# What an event concerns when it is not a stored record: the address a sign-in came from (`accounts.signals`).
OBJECT_TYPE_LABELS = {"accounts.address": _("Dirección de origen")}


def object_type_label(code: str) -> str:
    if code in OBJECT_TYPE_LABELS:
        return str(OBJECT_TYPE_LABELS[code])
    try:
        return str(apps.get_model(code)._meta.verbose_name)
    except (LookupError, ValueError):
        return code

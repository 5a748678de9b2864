"""The declared policy table: for every named URL, who may open it.

Keep one entry per URL name. The authorization-matrix test walks every URL pattern with every role and checks
the answers against this table; it fails when a view is missing here.
"""

from planea.org.access import Policy, public, roles, signed_in
from planea.org.roles import INTERNAL_ROLES, Role

ADMIN = roles(Role.ADMINISTRADOR)
AUDITORS = roles(Role.AUDITORIA_INTERNA, Role.ADMINISTRADOR)
# Roles that hold steps of the six procedures, and those who coordinate them (assign steps to people).
PLANNERS = roles(
    Role.SUBDIRECTOR_PLANIFICACION,
    Role.JEFE_PLANES_PROGRAMAS,
    Role.PROFESIONAL_PLANES_PROGRAMAS,
    Role.ENLACE_AREA,
    Role.ESTADISTICA,
    Role.SUBDIRECCION_FINANCIERA,
    Role.SUBDIRECCION_TECNICA_ADMINISTRATIVA,
    Role.DIRECTOR_GENERAL,
    note="Quien tiene pasos en los procedimientos; cada paso se comprueba además contra su rol.",
)
COORDINATORS = roles(Role.SUBDIRECTOR_PLANIFICACION, Role.JEFE_PLANES_PROGRAMAS, Role.ADMINISTRADOR)
STAFF = roles(INTERNAL_ROLES, note="Personal del IGM; el enlace de área solo ve sus unidades.")
# What an area liaison reads of the plans (operations/visibility.py): approved plans and their totals are
# institution-wide, public information; in a plan in draft or in review only the goals of the area's cost centers;
# input matrices and reprogramming requests (with their justifications) only those of the area.
PLAN_READERS = roles(
    INTERNAL_ROLES,
    note="Plan aprobado: toda la institución. En borrador o revisión el enlace de área ve solo sus centros de costo.",
)
AREA_PAPERS = roles(
    INTERNAL_ROLES,
    note="El enlace de área ve solo lo de su área (matriz de insumos, reprogramaciones y sus justificaciones).",
)
# What an outside reviewer reads besides the staff: only what a step sent to them (procedures/sharing.py: P1 step 9.2
# sends the PEI version and its case to SEGEPLAN), checked on the object by the view.
SENT_OUTSIDE = roles(
    INTERNAL_ROLES,
    Role.SEGEPLAN,
    note="SEGEPLAN solo lee lo que se le remitió (el PEI del P1 desde el paso 9.2 y su expediente).",
)
# The whole plan before it is published: planning analysis, not for the area liaison.
PLANNING_ANALYSIS = roles(
    INTERNAL_ROLES - {Role.ENLACE_AREA},
    note="Análisis del plan completo: el enlace de área lee los anteproyectos aprobados en la página del plan.",
)
# Who formulates plans: Planes y Programas and its Subdirección; the PEI is drafted by them.
PLANNING = roles(Role.SUBDIRECTOR_PLANIFICACION, Role.JEFE_PLANES_PROGRAMAS, Role.PROFESIONAL_PLANES_PROGRAMAS)
# Who enters goals and inputs: planning staff, and the area liaison for the cost centers of their area.
PLAN_EDITORS = roles(
    Role.SUBDIRECTOR_PLANIFICACION,
    Role.JEFE_PLANES_PROGRAMAS,
    Role.PROFESIONAL_PLANES_PROGRAMAS,
    Role.ENLACE_AREA,
    note="El enlace de área solo escribe en los centros de costo y unidades de su área.",
)
# The statistics' loads: who loads them (Estadística) and planning, who reads what was loaded and when.
STATISTICS_READERS = roles(
    Role.ESTADISTICA,
    Role.SUBDIRECTOR_PLANIFICACION,
    Role.JEFE_PLANES_PROGRAMAS,
    Role.PROFESIONAL_PLANES_PROGRAMAS,
    note="Planificación ve las cargas y descarga plantillas; solo Estadística carga.",
)
# Who marks a span of a series as atypical (forecasts treat it as marked): Estadística and Planes y Programas.
PERIOD_MARKERS = roles(Role.ESTADISTICA, Role.PROFESIONAL_PLANES_PROGRAMAS, Role.JEFE_PLANES_PROGRAMAS)

# Who writes what was executed and its causes of deviation (P6 steps 2-4): Planes y Programas.
EXECUTION_EDITORS = roles(
    Role.PROFESIONAL_PLANES_PROGRAMAS,
    Role.JEFE_PLANES_PROGRAMAS,
    note="Lo ejecutado y sus causas: Planes y Programas, mientras el mes está abierto (las causas, hasta registrarlo).",
)

POLICIES: dict[str, Policy] = {
    # Shell and accounts
    "set_language": public("Cambio de idioma"),
    "core:health": public("Sonda de disponibilidad para el balanceador"),
    "shell:home": signed_in("Bandeja de la persona"),
    "accounts:login": public(),
    "accounts:logout": signed_in(),
    "accounts:profile": signed_in(),
    "accounts:password_change": signed_in(),
    "accounts:password_change_done": signed_in(),
    # Organization
    "org:unit_list": STAFF,
    "org:unit_export": STAFF,
    "org:unit_create": ADMIN,
    "org:unit_edit": ADMIN,
    "org:unit_import": ADMIN,
    "org:costcenter_list": STAFF,
    "org:costcenter_export": STAFF,
    "org:costcenter_create": ADMIN,
    "org:costcenter_edit": ADMIN,
    "org:costcenter_import": ADMIN,
    "org:person_list": AUDITORS,
    "org:person_create": ADMIN,
    "org:person_edit": ADMIN,
    "org:institution_edit": ADMIN,
    # Audit trail
    "audit:event_list": AUDITORS,
    "audit:event_detail": AUDITORS,
    # Procedures and cases. Every step is done by the person holding its role (checked again by the services);
    # the liaison sees only cases of their units.
    "procedures:register": STAFF,
    "procedures:manual_pdf": STAFF,
    "procedures:indicators": STAFF,
    "procedures:detail": STAFF,
    "procedures:definition_xml": SENT_OUTSIDE,
    "procedures:version_upload": ADMIN,
    "procedures:due_days": ADMIN,
    "procedures:case_list": STAFF,
    "procedures:case": SENT_OUTSIDE,
    "procedures:case_document": SENT_OUTSIDE,
    "procedures:case_start": PLANNERS,
    "procedures:task_claim": PLANNERS,
    "procedures:task_release": PLANNERS,
    "procedures:task_assign": COORDINATORS,
    "procedures:task_attach": PLANNERS,
    "procedures:task_oficio": PLANNERS,
    "procedures:task_complete": PLANNERS,
    # A request a step sent to a role (P5 step 2, P6 step 1 to Estadística): staff read it (the liaison those of
    # its units); who holds the role answers it (checked by the service).
    "procedures:step_request": STAFF,
    "procedures:step_request_document": STAFF,
    # Strategic plan (PEI): everyone on staff reads it; Planificación drafts it; the P1 case approves it.
    "strategy:list": STAFF,
    "strategy:detail": SENT_OUTSIDE,
    "strategy:compare": STAFF,
    "strategy:create": PLANNING,
    "strategy:edit": PLANNING,
    "strategy:item_create": PLANNING,
    "strategy:item_edit": PLANNING,
    "strategy:item_delete": PLANNING,
    "strategy:new_version": PLANNING,
    "strategy:start_case": roles(Role.SUBDIRECTOR_PLANIFICACION, note="Paso 1 del P1."),
    # Operational plans (POM/POA): goals, inputs, ceilings, reprogramming.
    "operations:list": STAFF,
    "operations:create": PLANNING,
    "operations:detail": PLAN_READERS,
    "operations:detail_centers": PLAN_READERS,
    "operations:start_case": roles(Role.SUBDIRECTOR_PLANIFICACION, note="Paso 1 del P2."),
    "operations:grid": PLAN_READERS,
    "operations:grid_save": PLAN_EDITORS,
    "operations:goals_export": PLAN_READERS,
    "operations:goals_import": PLAN_EDITORS,
    "operations:matrix": AREA_PAPERS,
    "operations:matrix_export": AREA_PAPERS,
    "operations:matrix_import": PLAN_EDITORS,
    "operations:ceilings": AREA_PAPERS,
    "operations:ceilings_save": roles(
        Role.SUBDIRECCION_FINANCIERA, note="P2 paso 8: techos de la Subdirección Financiera."
    ),
    "operations:consistency": PLANNING_ANALYSIS,
    "operations:anteproyecto_pdf": PLANNING_ANALYSIS,
    "operations:anteproyecto_xlsx": PLANNING_ANALYSIS,
    "operations:anteproyecto_document": PLAN_READERS,
    "operations:reprogramming_list": AREA_PAPERS,
    "operations:reprogramming_create": PLAN_EDITORS,
    "operations:reprogramming": AREA_PAPERS,
    "operations:reprogramming_decide": roles(
        Role.SUBDIRECTOR_PLANIFICACION, note="Aprueba o rechaza reprogramaciones."
    ),
    "operations:catalog": STAFF,
    "operations:catalog_export": STAFF,
    "operations:catalog_import": roles(
        Role.SUBDIRECCION_TECNICA_ADMINISTRATIVA,
        Role.JEFE_PLANES_PROGRAMAS,
        note="P2 pasos 2 y 3: la Subdirección Técnica Administrativa actualiza el catálogo.",
    ),
    # P5 steps 4, 5 and 8 (forecasting/proposal_case.py): the step's role is checked on the step itself.
    "proposal:generate_annex": PLANNERS,
    "proposal:generate_siges": PLANNERS,
    "proposal:money": PLANNING_ANALYSIS,
    "proposal:siges": PLANNING_ANALYSIS,
    "proposal:siges_xlsx": PLANNING_ANALYSIS,
    "proposal:siges_document": PLANNING_ANALYSIS,
    "operations:generate_anteproyectos": PLANNERS,
    "operations:acknowledge_consistency": PLANNERS,
    # Statistics: the staff read the catalog and the series; the Departamento de Estadística loads them (planning
    # reads the load page and its batches); Estadística and Planes y Programas mark the atypical periods.
    "statistics:variables": STAFF,
    "statistics:series": STAFF,
    "statistics:series_csv": STAFF,
    "statistics:load": STATISTICS_READERS,
    "statistics:template": STATISTICS_READERS,
    "statistics:upload": roles(Role.ESTADISTICA, note="Carga de estadísticas: Departamento de Estadística."),
    "statistics:period_mark": PERIOD_MARKERS,
    "statistics:period_remove": PERIOD_MARKERS,
    # Forecasts (P5 step 2): read across the institution by planning and statistics; run by Planes y Programas.
    "forecasting:runs": PLANNING_ANALYSIS,
    "forecasting:start": roles(
        Role.JEFE_PLANES_PROGRAMAS,
        Role.PROFESIONAL_PLANES_PROGRAMAS,
        note="P5 paso 2: Planes y Programas corre los pronósticos.",
    ),
    "forecasting:run": PLANNING_ANALYSIS,
    "forecasting:series": PLANNING_ANALYSIS,
    # P5 programming of physical goals (forecasting/programming_views.py): the profesional starts the case (step 1
    # is theirs) and works steps 1-3; each step action is checked again against the step's role by the services.
    "programming:start": roles(
        Role.SUBDIRECTOR_PLANIFICACION,
        Role.JEFE_PLANES_PROGRAMAS,
        Role.PROFESIONAL_PLANES_PROGRAMAS,
        note="Lista de programaciones; inicia el expediente quien tiene el paso 1 del P5 (el profesional).",
    ),
    "programming:link": roles(Role.PROFESIONAL_PLANES_PROGRAMAS, note="Pasos 1 y 2 del P5."),
    "programming:choose_run": roles(Role.PROFESIONAL_PLANES_PROGRAMAS, note="Paso 2 del P5."),
    "programming:start_forecast": roles(Role.PROFESIONAL_PLANES_PROGRAMAS, note="Paso 2 del P5."),
    "programming:comparison": PLANNING_ANALYSIS,
    "programming:comparison_xlsx": PLANNING_ANALYSIS,
    "programming:tolerance": roles(Role.JEFE_PLANES_PROGRAMAS, Role.PROFESIONAL_PLANES_PROGRAMAS),
    # P6 execution of physical goals (execution/views.py): the staff read the months, the analysis, the reports and
    # the dashboard (the area liaison the lines of their area); Planes y Programas writes the executed values and
    # the causes; the case's steps, or on a reopened month its buttons, register, authorize and approve, each
    # checked against its role by the view and the service; anyone in the institution verifies a comprobante.
    "execution:index": STAFF,
    "execution:months": STAFF,
    "execution:month": STAFF,
    "execution:history": STAFF,
    "execution:save": EXECUTION_EDITORS,
    "execution:prefill": EXECUTION_EDITORS,
    "execution:export": STAFF,
    "execution:import": EXECUTION_EDITORS,
    "execution:decide": roles(
        Role.PROFESIONAL_PLANES_PROGRAMAS,
        Role.JEFE_PLANES_PROGRAMAS,
        Role.SUBDIRECTOR_PLANIFICACION,
        note="Registra el profesional, autoriza el jefe, aprueba y reabre la Subdirección (cada acción, su rol).",
    ),
    "execution:verify": STAFF,
    "execution:comprobante": STAFF,
    "execution:report": STAFF,
    "execution:report_xlsx": STAFF,
    "execution:report_pdf": STAFF,
    "execution:dashboard": STAFF,
    # Background jobs: the person who started a job (or an administrator) follows it.
    "jobs:verify_audit_chain": AUDITORS,
    "jobs:list": signed_in(),
    "jobs:detail": signed_in(),
    "jobs:progress": signed_in(),
    "jobs:download": signed_in(),
}

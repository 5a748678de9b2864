"""The six procedures of the *Manual de Normas y Procedimientos del Departamento de Planes y Programas* (IGM,
segunda edición, octubre 2022), transcribed as data: headers and activity tables.

This is the specification the BPMN definitions are generated from. Numbers are written exactly as the manual
prints them; an empty "Responsable" cell takes the responsible of the row above; `next` lists the steps that can
follow ("end" for the end of the procedure), both branches for decisions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_noop

from planea.org.roles import Role

SUB = Role.SUBDIRECTOR_PLANIFICACION
JEFE = Role.JEFE_PLANES_PROGRAMAS
PROF = Role.PROFESIONAL_PLANES_PROGRAMAS
EDITION = "Octubre 2022"


@dataclass(frozen=True)
class Ask:
    """What a step asks of another role when it arrives (`step_requests.py`): the role's holders get it in their
    inbox as a task, with the case, what is asked and the due date, and answer it with a note and a file."""

    key: str  # names the request within its step, for the apps that wait for its answer
    role: str
    asked: str  # what is asked, as the inbox and the case page show it
    working_days: int | None = None  # to answer it; None: by the asking step's own due date


@dataclass(frozen=True)
class Step:
    number: str
    activity: str
    role: str
    documents: tuple[str, ...] = ()
    next: tuple[str, ...] = ()
    decision: str = ""  # the question of the exclusive gateway that follows this step
    branches: tuple[tuple[str, str], ...] = ()  # (label, step) for each outgoing branch of the decision
    produces_document: bool = True  # False when the listed document is a reference, not something produced
    asks: tuple[Ask, ...] = ()  # requests sent to other roles when the step arrives
    sends_to: tuple[str, ...] = ()  # roles outside the institution that read the case once the step is done
    copies: tuple[str, ...] = ()  # the offices the step's oficio also goes to (its «c.c.» lines)


@dataclass(frozen=True)
class Procedure:
    code: str
    name: str
    description: str
    objective: str
    users: tuple[str, ...]
    indicators: tuple[str, ...]
    required_documents: tuple[str, ...]
    policies: tuple[str, ...]
    steps: tuple[Step, ...]
    edition: str = EDITION
    subject: str = ""  # what a case of this procedure concerns
    lanes: tuple[str, ...] = field(default=())

    @property
    def key(self) -> str:
        return self.code.rsplit(".", 1)[-1]

    def step(self, number: str) -> Step:
        return next(s for s in self.steps if s.number == number)


def chain(*steps: Step) -> tuple[Step, ...]:
    """Fill `next` of plain steps with the following step, and the last one with "end"."""
    out: list[Step] = []
    for index, step in enumerate(steps):
        if not step.next:
            following = steps[index + 1].number if index + 1 < len(steps) else "end"
            step = Step(**{**step.__dict__, "next": (following,)})
        out.append(step)
    return tuple(out)


RETURN_TO_FRAMES = (
    ("Análisis de la situación", "4"),
    ("Marco conceptual", "5"),
    ("Marco estratégico", "6"),
    ("Marco lógico", "7"),
)

P1 = Procedure(
    code="11.01.U0.P1",
    name="Elaboración del Plan Estratégico Institucional",
    subject=gettext_noop("Versión del PEI"),
    description="Consiste en las acciones que se deben seguir para elaborar el Plan Estratégico del Instituto "
    "Guatemalteco de Migración, dicho plan establece los resultados a los que aporta la Institución en la entrega de "
    "productos a migrantes nacionales y extranjeros.",
    objective="Contar con un Plan Estratégico Institucional orientador con temporalidad no menor de 5 años, el cual "
    "establece los cursos de acción para el cumplimiento de la Misión y Visión del Instituto Guatemalteco de "
    "Migración.",
    users=(
        "Personal y Áreas Administrativas del Instituto Guatemalteco de Migración.",
        "Otras instituciones nacionales o internacional y población en general",
    ),
    indicators=("Plan aprobado.",),
    required_documents=("Lineamientos de Planificación, sugeridos por SEGEPLAN.",),
    policies=(
        "Plan Nacional de Desarrollo K'atun, Nuestra Guatemala 2032.",
        "Política General de Gobierno 2020-2024.",
        "Normas del contenido mínimo del PEI dictadas por SEGEPLAN.",
        "Herramientas de Planificación.",
        "Guía para elaboración de Planes Estratégicos Institucionales.",
        "Lineamientos de Formulación de Planificación Estratégica y Operativa.",
        "Lineamientos generales para la formulación del Plan-Presupuesto.",
    ),
    steps=chain(
        Step(
            "1",
            "Recibe instrucción de la Dirección General, que contiene los lineamientos y documentación de SEGEPLAN.",
            SUB,
            ("Oficio Dirección General",),
        ),
        Step(
            "2",
            "Recibe y traslada instrucción al Departamento de Planes y Programas.",
            SUB,
            ("Oficio de la Subdirección de Planificación",),
        ),
        Step(
            "3",
            "Solicita acompañamiento del sectorialista de SEGEPLAN, para la elaboración o modificación del PEI.",
            JEFE,
            ("Oficio de solicitud",),
        ),
        Step(
            "4",
            "Realiza el Análisis de la Situación Institucional del IGM.",
            JEFE,
            ("Guía Conceptual de Gestión por Resultados para el Sector Público de Guatemala",),
            produces_document=False,
        ),
        Step("5", "Realiza o modifica Marco Conceptual.", JEFE),
        Step("6", "Realiza o modifica Marco Estratégico.", JEFE),
        Step("7", "Realiza o modifica Marco Lógico Institucional.", JEFE),
        Step("8", "Envía y solicita la revisión de la Subdirección de Planificación.", JEFE, ("Documento",)),
        Step(
            "9",
            "Recibe documento y lo revisa. Si tiene observaciones, sigue en paso 9.1 No tiene observaciones, "
            "sigue en paso 9.2",
            SUB,
            next=("9.1", "9.2"),
            decision="¿Tiene observaciones?",
            branches=(("Sí, tiene observaciones", "9.1"), ("No tiene observaciones", "9.2")),
        ),
        Step(
            "9.1",
            "Devuelve el documento para las correcciones correspondientes al Jefe del Departamento de Planes y "
            "Programas, puede ser al paso 4, 5, 6 o 7 según las observaciones.",
            SUB,
            ("Documento",),
            next=("4", "5", "6", "7"),
            decision="¿A qué paso se devuelve?",
            branches=RETURN_TO_FRAMES,
        ),
        Step(
            "9.2",
            "Remite documento a SEGEPLAN para la emisión de ficha técnica con observaciones.",
            SUB,
            ("Oficio de solicitud",),
            next=("10",),
            sends_to=(Role.SEGEPLAN,),
        ),
        Step(
            "10",
            "Recibe de SEGEPLAN y revisa las observaciones o sugerencias: El documento es conforme a la "
            "metodología, sigue en paso 10.1 No es conforme con la metodología, sigue en paso 10.2",
            SUB,
            ("Documento",),
            next=("10.1", "10.2"),
            decision="¿Es conforme a la metodología?",
            branches=(("Conforme a la metodología", "10.1"), ("No es conforme", "10.2")),
        ),
        Step(
            "10.1",
            "Recibe ficha técnica con dictamen favorable. Sigue en paso 11.",
            SUB,
            ("Ficha Técnica",),
            next=("11",),
        ),
        Step(
            "10.2",
            "Recibe sugerencias de SEGEPLAN, para hacer los cambios que correspondan, traslada al Jefe del "
            "Departamento de Planes y Programas al paso 4, 5, 6 o 7 según las observaciones.",
            SUB,
            ("Oficio Segeplan",),
            next=("4", "5", "6", "7"),
            decision="¿A qué paso se devuelve?",
            branches=RETURN_TO_FRAMES,
        ),
        Step(
            "11",
            "Remite a la Dirección General y a la Autoridad Migratoria Nacional, para aprobación final y "
            "emisión de acuerdo para la publicación.",
            SUB,
            ("Oficio de Traslado del documento al Director del IGM",),
        ),
        Step("12", "Se traslada el PEI Aprobado a los entes responsables.", SUB, ("Oficio de envío de planes.",)),
    ),
)

P2 = Procedure(
    code="11.01.U0.P2",
    name="Elaboración del Plan Operativo Anual y Multianual",
    subject=gettext_noop("Año del POA"),
    description="Describe las acciones a seguir en la elaboración el Plan Operativo Anual y el Plan Operativo "
    "Multianual del Instituto Guatemalteco de Migración, en seguimiento a lo establecido en el Plan Estratégico "
    "Institucional del Instituto. Dichos planes son las herramientas de gestión institucional a corto y mediano "
    "plazo.",
    objective="Contar con planes a corto y mediano plazo, que garantice que los servicios lleguen a los usuarios "
    "finales, a quienes se les entregaran los productos estratégicos para lograr el impacto deseado, previstos en la "
    "atención y protección de derechos a personas migrantes.",
    users=("Personal y Áreas Administrativas del Instituto Guatemalteco de Migración.", "Otras instituciones."),
    indicators=("Plan aprobado.",),
    required_documents=("Lineamientos de Planificación, sugeridos por SEGEPLAN.",),
    policies=(
        "Plan Nacional de Desarrollo K'atun, Nuestra Guatemala 2032.",
        "Política General de Gobierno.",
        "Contenido mínimo del PEI, POM y POA.",
        "Herramientas de Planificación.",
        "Lineamientos Generales de Planificación.",
        "Lineamientos de Formulación de Planificación Estratégica y Operativa.",
        "Lineamientos generales para la formulación del Plan-Presupuesto.",
    ),
    steps=chain(
        Step(
            "1",
            "Recibe instrucción de la Dirección General, que contiene los lineamientos y documentación de "
            "SEGEPLAN. Traslada al Departamento de Planes y Programas.",
            SUB,
            ("Oficio del Despacho Superior", "Oficio de traslado de Subdirección de Planificación"),
        ),
        Step(
            "2",
            "Recibe lineamientos y documentación de la SEGEPLAN y solicita actualización del catálogo de "
            "insumos a la Subdirección Técnica Administrativa.",
            JEFE,
            ("Solicitud de Catálogo",),
        ),
        Step(
            "3",
            "Recibe catálogo de insumos actualizado y planifica lo que va a solicitar con el apoyo de la "
            "Subdirección Técnica Administrativa.",
            JEFE,
            ("Catálogo de Insumos", "Matriz de insumos"),
        ),
        Step(
            "4",
            "Realiza reuniones de lineamientos de planificación con los Subdirectores de las Áreas Administrativas.",
            JEFE,
            ("Registro de Asistencia",),
        ),
        Step("5", "Resuelve dudas con los Subdirectores de las Áreas Administrativas.", JEFE),
        Step(
            "6",
            "Recibe insumos e información consolidada y traslada a la Subdirección Financiera.",
            JEFE,
            ("Matriz de Insumos",),
        ),
        Step("7", "Recibe los insumos con presupuesto de la Subdirección Financiera.", JEFE, ("Presupuesto del IGM",)),
        Step(
            "8",
            "Recibe la presentación del techo y montos de la Subdirección Financiera (por productos y subproductos).",
            JEFE,
            ("Oficio con traslado de información",),
        ),
        Step(
            "9",
            "Elaboración de Anteproyectos. (Presupuesto, POA, POM), traslado al Subdirector de Planificación "
            "para el visto bueno.",
            JEFE,
            ("Anteproyectos POA y POM",),
        ),
        Step(
            "10",
            "Recibe y revisa Anteproyectos de POA Y POM a la Dirección General. Si está bien, sigue en paso "
            "10.1 No está bien, sigue en paso 10.2",
            SUB,
            ("Oficio de Traslado de documentos al Director del IGM",),
            next=("10.1", "10.2"),
            decision="¿Están bien los anteproyectos?",
            branches=(("Está bien", "10.1"), ("No está bien", "10.2")),
        ),
        Step(
            "10.1",
            "Presenta Anteproyectos de POA y POM a la Dirección General, para la presentación ante la "
            "Autoridad Migratoria Nacional. Sigue en paso 11.",
            SUB,
            ("Documento de Anteproyecto",),
            next=("11",),
        ),
        Step("10.2", "Devuelve al Jefe del Departamento de Planes y Programas para su corrección.", SUB, next=("9",)),
        Step("11", "Traslada el POA aprobado a los entes responsables de las Áreas Administrativas.", SUB, ("Oficio",)),
    ),
)

P3 = Procedure(
    code="11.01.U0.P3",
    name="Elaboración y presentación de informes institucionales",
    subject=gettext_noop("Informe"),
    description="Consiste en elaborar la Memoria de Labores, el Informe Presidencial o de Gobierno, así como otros "
    "informes inherentes a la comunicación de los resultados institucionales.",
    objective="Recopilar e integrar información cualitativa y cuantitativa de evidencia, para el sustento de "
    "información que se utiliza, en la elaboración de la Memoria de Labores, Informe Presidencial y otros informes "
    "de actividades relevantes, con el objetivo de contar con información que indique cantidad, magnitud y "
    "cobertura en los servicios prestados a migrantes nacionales y extranjeros.",
    users=(
        "Personal y Áreas Administrativas del Instituto Guatemalteco de Migración.",
        "Otras instituciones que lo requieran.",
    ),
    indicators=("Número de Informes realizados",),
    required_documents=(
        "Lineamientos de Planificación, sugeridos por SEGEPLAN.",
        "Requerimiento de información por parte de los entes interesados.",
    ),
    policies=(
        "Contenido mínimo del PEI, POM y POA.",
        "Herramientas de Planificación.",
        "Lineamientos de Formulación de Planificación Estratégica y Operativa.",
        "Lineamientos generales para la formulación del Plan-Presupuesto.",
    ),
    steps=chain(
        Step(
            "1",
            "Solicita por medio de oficio durante el año, el envío mensual de información cualitativa, así como "
            "insumos para memoria de labores y otros que sean requeridos en su momento.",
            SUB,
            ("Oficio",),
        ),
        Step(
            "2",
            "Recibe información y reportes mensuales de metas físicas cuantitativas, así como los reportes de "
            "información cualitativa de las Áreas Administrativas del Instituto Guatemalteco de Migración.",
            JEFE,
            ("Recepción de Oficios y Formatos de actividades relevantes",),
        ),
        Step(
            "3",
            "Revisa, analiza y realiza informe de actividades relevantes con la información recibida mensualmente.",
            JEFE,
            ("Formatos de actividades relevantes",),
        ),
        Step(
            "4",
            "Elabora cuadros y gráficos estadísticos, con base al reporte de metas físicas.",
            JEFE,
            ("Cuadros y gráficos estadísticos",),
        ),
        Step("5", "Integra y revisa informe preliminar, según los requerimientos solicitados.", JEFE, ("Informe",)),
        Step(
            "6",
            "Recibe informe. Está bien, sigue en paso 6.1 No está bien, sigue en paso 6.2",
            SUB,
            ("Informe",),
            next=("6.1", "6.2"),
            decision="¿Está bien el informe?",
            branches=(("Está bien", "6.1"), ("No está bien", "6.2")),
            produces_document=False,
        ),
        Step("6.1", "Envía por medio de oficio al ente interesado.", SUB, next=("7",)),
        Step("6.2", "Devuelve al Jefe del Departamento de Planes y Programas en paso 5.", SUB, next=("5",)),
        Step("7", "Archiva documento.", JEFE),
    ),
)

P4 = Procedure(
    code="11.01.U0.P4",
    name="Requerimiento de información de planificación institucional",
    subject=gettext_noop("Requerimiento"),
    description="Consiste en realizar requerimientos de información a las distintas unidades administrativas del "
    "Instituto Guatemalteco de Migración, con la intención de obtener insumos, para llevar a cabo los procedimientos "
    "de la planificación institucional, a través de un formato el cual debe ser llenado de acuerdo con los "
    "lineamientos que serán explicados en reunión, para finalmente entregar la información al Departamento de Planes "
    "y Programas con los requisitos solicitados.",
    objective="Obtener información por parte de las Áreas Administrativas que integran el Instituto Guatemalteco de "
    "Migración, con el fin de proporcionar insumos, para la elaboración y actualización de los planes "
    "institucionales.",
    users=("Áreas Administrativas del Instituto Guatemalteco de Migración.",),
    indicators=("Documentos aprobados",),
    required_documents=("Lineamientos de Planificación, sugeridos por SEGEPLAN.",),
    policies=(
        "Plan Estratégico Institucional PEI IGM 2021-2030.",
        "Plan Operativo Anual del año en Curso.",
        "Plan Operativo Multianual.",
    ),
    steps=chain(
        Step(
            "1",
            "Recibe instrucción por parte de la Dirección General en relación con los lineamientos de "
            "planificación, emitidos por SEGEPLAN.",
            SUB,
            ("Oficio",),
        ),
        Step(
            "2",
            "Analiza el contenido, y la necesidad de solicitar información, que se expondrá a las Áreas "
            "Administrativas del Instituto Guatemalteco de Migración.",
            JEFE,
        ),
        Step("3", "Elabora contenido de temas a tratar en taller de planificación.", JEFE, ("Programa",)),
        Step("4", "Solicita el salón para realizar el taller de planificación.", JEFE, ("Oficio de solicitud",)),
        Step(
            "5",
            "Solicita equipo para realizar actividad de planificación.",
            JEFE,
            ("Oficio con Vo. Bo. Firmado y sellado de recibido.",),
        ),
        Step(
            "6",
            "Elabora y envía oficio de convocatoria a las Áreas Administrativas del IGM.",
            JEFE,
            ("Presentación", "formato para entrega de información."),
        ),
        Step("7", "Realiza la actividad programada, presenta contenido y se responden dudas.", JEFE),
        Step("8", "Solicita información a las Áreas Administrativas del IGM.", SUB, ("Oficio",)),
        Step(
            "9",
            "Recibe información de las Áreas Administrativas del IGM.",
            JEFE,
            ("Oficios y formatos con información.",),
        ),
        Step("10", "Valida información o solicita información pendiente.", JEFE),
    ),
)

P5 = Procedure(
    code="11.01.U0.P5",
    name="Programación de metas físicas",
    subject=gettext_noop("Año del POA"),
    description="Se realiza una estimación de las cantidades mensuales de documentos emitidos o personas atendidas, "
    "con los servicios que presta el Instituto Guatemalteco de Migración a migrantes nacionales y extranjeros.",
    objective="Llevar el registro y control del cumplimiento de las metas institucionales, a nivel de Subdirección, "
    "Departamento y Unidades.",
    users=("Áreas Administrativas del Instituto Guatemalteco de Migración.",),
    indicators=("Documentos aprobados.",),
    required_documents=("Lineamientos de Planificación, sugeridos por SEGEPLAN", "Catálogo de insumos."),
    policies=(
        "Plan Estratégico Institucional PEI IGM 2020-2029.",
        "Plan Operativo Anual del año en Curso.",
        "Plan Operativo Multianual.",
    ),
    steps=chain(
        Step(
            "1",
            "Analiza información estadística y comportamiento de demanda de servicios, e información de metas.",
            PROF,
            ("Documento",),
        ),
        Step(
            "2",
            "Realiza pronósticos de atención a usuarios por producto y subproducto, desglosándolo por Centro de "
            "Costo con el apoyo del departamento de estadística.",
            PROF,
            asks=(
                Ask(
                    "statistics",
                    Role.ESTADISTICA,
                    "Estadísticas de atención a usuarios por producto, subproducto y centro de costo, para los "
                    "pronósticos de metas físicas.",
                ),
            ),
        ),
        Step("3", "Compara pronósticos con metas del Plan Operativo Multianual.", PROF),
        Step(
            "4",
            "Traslada pronósticos de metas físicas al Jefe del Departamento de Planes y Programas.",
            PROF,
            ("Oficio",),
        ),
        Step("5", "Analiza propuesta de pronóstico de metas físicas contra metas financieras.", JEFE, ("Documento",)),
        Step("6", "Realiza ajuste de metas físicas.", JEFE),
        Step("7", "Incorpora metas físicas al Plan Operativo Anual.", JEFE),
        Step(
            "8",
            "Ingresa a los diferentes sistemas de los entes rectores y fiscalizadores información "
            "correspondiente. (SIGES y otros).",
            JEFE,
            ("Reporte",),
        ),
    ),
)

P6 = Procedure(
    code="11.01.U0.P6",
    name="Reportes de ejecución de metas físicas",
    subject=gettext_noop("Mes de ejecución"),
    description="Se hace uso de las plataformas de SIGES y el SICOIN para generar los reportes sobre la ejecución "
    "física del IGM mensual y cuatrimestral.",
    objective="Generar reportes de la ejecución física de las actividades programadas en el Instituto Guatemalteco "
    "de Migración.",
    users=("Áreas Administrativas del Instituto Guatemalteco de Migración.", "Otras Instituciones solicitantes"),
    indicators=("Reportes generados",),
    required_documents=(
        "Planificación Estratégica Institucional",
        "Plan Operativo Anual",
        "Plan Operativo Multianual",
        "Presupuesto Institucional aprobado para el año en curso.",
        "Guía del usuario Registro y Solicitud de CUR",
        "Manual de procedimientos para el registro de la ejecución presupuestaria de la Administración Central",
    ),
    policies=(
        "Documento de Presupuesto Institucional aprobado para el año en curso.",
        "Manual de clasificaciones presupuestarias para el sector público de Guatemala.",
    ),
    steps=chain(
        Step(
            "1",
            "Solicita información estadística de los servicios que se prestaron a los usuarios.",
            JEFE,
            ("Oficio de solicitud",),
            asks=(
                Ask(
                    "statistics",
                    Role.ESTADISTICA,
                    "Información estadística de los servicios prestados a los usuarios en el mes a ejecutar.",
                ),
            ),
        ),
        Step(
            "2",
            "Recibe información del Departamento de Estadística correspondiente al mes a ejecutar.",
            PROF,
            ("Documento",),
        ),
        Step("3", "Analiza información estadística.", PROF, ("Reporte",)),
        Step("4", "Realiza registro de información en los sistemas de los entes rectores.", PROF),
        Step(
            "5",
            "Autoriza el registro de información. Traslada para su aprobación al Subdirector de Planificación.",
            JEFE,
            ("Documento",),
        ),
        Step("6", "Recibe y aprueba el registro de información.", SUB),
        Step("7", "Recibe registro aprobado y traslada al Profesional de Planes y Programas.", JEFE),
        Step("8", "Imprime comprobantes de ejecución y elabora oficio de notificación de ejecución.", PROF),
        Step(
            "9",
            "Recibe oficio y copia de comprobantes de ejecución y traslada a la Dirección General, Subdirección "
            "Financiera y Auditoría Interna.",
            JEFE,
            ("Oficio",),
            copies=("Dirección General", "Subdirección Financiera", "Auditoría Interna"),
        ),
        Step("10", "Archiva documentación de soporte de comprobantes y copias de recibidos.", PROF),
    ),
)

PROCEDURES: tuple[Procedure, ...] = (P1, P2, P3, P4, P5, P6)

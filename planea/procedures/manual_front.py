"""The front and back matter of the *Manual de Normas y Procedimientos del Departamento de Planes y Programas*
(IGM, segunda edición, octubre 2022), transcribed as data for the generated manual: the approval agreement, the
introduction, the legal frame, the meaning of the symbols, the acronyms, the coding, the glossary and the stages
of the elaboration and approval sheets. Official texts: in Spanish whatever the screen language."""

from __future__ import annotations

AGREEMENT_NUMBER = "IGM-087-2022"
AGREEMENT_ISSUER = "EL DIRECTOR GENERAL DEL INSTITUTO GUATEMALTECO DE MIGRACIÓN"
AGREEMENT_CONSIDERATIONS = (
    "El Decreto número 44-2016 del Congreso de la República de Guatemala, Código de Migración, "
    "establece que el Instituto Guatemalteco de Migración se creó como una dependencia "
    "descentralizada del Organismo Ejecutivo, con capacidad suficiente para administrar sus recursos "
    "financieros, técnicos, humanos y administrativos, así como adquirir derechos y obligaciones. El "
    "Director General ejerce la representación legal del Instituto Guatemalteco de Migración, y "
    "conforme lo regula el Reglamento Orgánico Interno, tiene la función de aprobar los Manuales de "
    "Organización y Funciones, de Puestos y Funciones, de Procesos y Procedimientos de todas las "
    "áreas que conforman la estructura organizacional del Instituto Guatemalteco de Migración.",
    "Que conforme el Acuerdo de Dirección General del Instituto Guatemalteco de Migración número "
    "IGM-044-2020, Manual de Organización y Funciones del Instituto Guatemalteco de Migración, el "
    "Departamento de Planes y Programas de la Subdirección de Planificación es el responsable del "
    "diseño y formulación de las acciones para la ejecución de gestión por resultados; y gestionar la "
    "recopilación de información, formulación y actualización de información para la elaboración y "
    "modificación de los planes estratégicos y operativos del Instituto.",
    'Que la Subdirección de Planificación solicitó la aprobación de la Segunda Edición del "Manual de '
    "Normas y Procedimientos del Departamento de Planes y Programas de la Subdirección de "
    'Planificación del Instituto Guatemalteco de Migración", con el propósito fomentar la cultura de '
    "transparencia y rendición de cuentas por medio del control continuo de las actividades "
    "programadas y ejecutadas por las Subdirecciones, Departamentos y Unidades de la actual "
    "estructura organizativa del Instituto Guatemalteco de Migración.",
)
AGREEMENT_GROUNDS = (
    "Con base a lo considerado, normativa legal citada y lo que para el efecto establecen los "
    "artículos 134, 154 de la Constitución Política de la República de Guatemala; 120, 122, 124, 131 "
    "numeral 4, 136 del Código de Migración, Decreto número 44-2016 del Congreso de la República de "
    "Guatemala; 9 literal h) y 55 del Acuerdo de Autoridad Migratoria Nacional número 2-2020, "
    "Reglamento Orgánico Interno del Instituto Guatemalteco de Migración; y Acuerdo Número 044-2020 "
    "de Dirección General del Instituto Guatemalteco de Migración, Manual de Organización y Funciones "
    "del Instituto Guatemalteco de Migración."
)
AGREEMENT_ARTICLES = (
    'ARTÍCULO 1. Aprobar la Segunda Edición del "Manual de Normas y Procedimientos del Departamento '
    "de Planes y Programas de la Subdirección de Planificación del Instituto Guatemalteco de "
    'Migración".',
    "ARTÍCULO 2. Se instruye a la Subdirección de Planificación, para que socialice la Segunda "
    'Edición del "Manual de Normas y Procedimientos del Departamento de Planes y Programas de la '
    'Subdirección de Planificación del Instituto Guatemalteco de Migración", a las Subdirecciones que '
    "conforman la estructura orgánica del Instituto Guatemalteco de Migración, para su conocimiento.",
    "ARTÍCULO 3. El presente acuerdo entra en vigencia inmediatamente después de su notificación.",
)
AGREEMENT_PLACE_DATE = "Guatemala, 10 de octubre de 2022"
AGREEMENT_SIGNER = ("Manuel Estuardo Rodríguez Valladares", "Director General", "Instituto Guatemalteco de Migración")
INTRODUCTION = (
    "De conformidad con el Manual de Organización y Funciones del Instituto Guatemalteco de "
    "Migración, aprobado con el Acuerdo IGM 44-2020 del 26 de agosto del año 2020. Numeral 11.01 Son "
    "funciones del Departamento de Planes y Programas las siguientes: 1. Formular la metodología para "
    "la elaboración y actualización del Plan Estratégico Institucional -PEI-, sus planes y programas. "
    "2. Desarrollar estudios específicos focalizando problemas puntuales que contribuyan a la "
    "generación del conocimiento para la toma de decisiones que fortalezcan y den sustento al plan "
    "estratégico. 3. Dirigir y coordinar la elaboración del Plan Institucional de Respuesta -PIR-, el "
    "Plan de Evacuación y otros documentos institucionales que se soliciten a nivel Institucional. 4. "
    "Mantener estrecha comunicación con el Departamento de Estadística y Archivos para recopilar "
    "información respecto a estudios o investigaciones en materia migratoria que sean de utilidad "
    "para formular planes y programas para el Instituto y el seguimiento de metas físicas a nivel "
    "mensual y anual. 5. Emitir opiniones y recomendaciones para mejorar la calidad y puntualidad de "
    "los datos provenientes de los registros administrativos. 6. Desarrollar análisis de ejecución "
    "física y financiera de corto plazo, con el fin de asegurar el cumplimiento de los planes y "
    "programas. 7. Dirigir, coordinar y apoyar la elaboración e integración de los planes operativos "
    "y programas establecidos por las dependencias del Instituto. 8. Participar de manera conjunta "
    "con la Subdirección Financiera en el proceso de formulación, ejecución, seguimiento y evaluación "
    "del presupuesto del Instituto. 9. Dirigir, coordinar y participar en la elaboración de los "
    "planes operativos anuales del Instituto. 10. Dictaminar en las modificaciones presupuestarias "
    "sobre la vinculación plan-presupuesto, solicitadas por Subdirección Financiera del Instituto. "
    "11. Otras funciones que le sean asignadas en el ámbito de su competencia.",
    "Atendiendo al mandato anterior, el Departamento de Planes y Programas, elaboró el presente "
    "manual de normas y procedimientos que contiene la base legal, normativa y descripción de "
    "procedimientos del departamento, que de acuerdo con el artículo 141, del Código de Migración, la "
    "Subdirección de Planificación es la responsable de coordinar el proceso de planificación, "
    "programación y evaluación de los planes estratégicos y anuales para lograr la ejecución de la "
    "política migratoria nacional y el presupuesto asignado, en este sentido el Departamento de "
    "Planes y Programas, como parte de dicha Subdirección tiene el mandato de formular, elaborar y "
    "actualizar los planes institucionales.",
    "El objetivo del Manual es proporcionar a los lectores un instrumento normativo que describa los "
    "procedimientos y facilite la orientación de las actividades que deberán de realizarse desde el "
    "Departamento de Planes y Programas en coordinación y articulación con las unidades "
    "administrativas que conforman el Instituto Guatemalteco de Migración, incidiendo de esta manera "
    "en el cumplimiento de sus funciones, metas y objetivos. El contenido del presente Manual de "
    "Normas y Procedimientos será revisado y actualizado de manera periódica, cuando sea requerido "
    "por la Dirección General a través de la Subdirección de Planificación. El mencionado manual se "
    "refiere al panorama general de los procedimientos que son de utilidad, para el Departamento de "
    "Planes y Programas, el ámbito de aplicación y la ruta a seguir para la elaboración de "
    "procedimientos, los cuales deben ser breves, entendibles y realizables.",
)
LEGAL_FRAME = (
    "Constitución Política de la República de Guatemala.",
    "Decreto Número 101-97 del Congreso de la República de Guatemala, Ley Orgánica del Presupuesto.",
    "Decreto Número 114-97 del Congreso de la República de Guatemala, Ley del Organismo Ejecutivo.",
    "Decreto Número 16-2021 del Congreso de la República de Guatemala, Ley del Presupuesto General de "
    "Ingresos y Egresos del Estado para el Ejercicio Fiscal 2022.",
    "Acuerdo de Autoridad Migratoria Nacional Número 2-2020, Reglamento Orgánico Interno del "
    "Instituto Guatemalteco de Migración.",
    "Acuerdo Número IGM 44-2020 del Instituto Guatemalteco de Migración, Manual de Organización y "
    "Funciones del Instituto Guatemalteco de Migración, Segunda Edición.",
)
# (symbol key of flowchart.py, name, description)
SYMBOLS = (
    ("terminator", "Inicio o fin", "se utiliza tanto al iniciar, como al finalizar el diagrama."),
    ("operation", "Operación", "indica cualquier actividad, a excepción de las contenidas en las siguientes formas."),
    (
        "decision",
        "Decisión o alternativa",
        "indica el punto dentro del flujo en que son posibles varios caminos alternativos. El texto debe "
        "indicarse en forma de pregunta con sus signos correspondientes.",
    ),
    ("document", "Documento", "se utiliza al elaborar un documento físico."),
    ("archive", "Almacenamiento o archivo", "se utiliza para indicar el resguardo de documentos físicos."),
    ("page_connector", "Conectores de página", "representa la continuidad del diagrama en otra página."),
    ("connector", "Conector o enlace", "de una parte, del diagrama a otra dentro de la misma página."),
    (
        "flow",
        "Líneas de flujo",
        "conecta los símbolos señalando el orden en que se deben realizar las distintas operaciones.",
    ),
)
SYMBOLS_SOURCE = "Fuente: American National Standard Institute (ANSI)"
ACRONYMS = (
    ("GpR", "Gestión Por Resultados"),
    ("IGM", "Instituto Guatemalteco de Migración"),
    ("OYM", "Organización y Métodos"),
    ("PEI", "Planeación Estratégica Institucional"),
    ("POA", "Plan Operativo Anual"),
    ("POM", "Plan Operativo Multianual"),
    ("PyP", "Planes y Programas"),
    ("PPP", "Presupuesto por Programas"),
    ("PpR", "Presupuesto por Resultados"),
    ("SEGEPLAN", "Secretaría de Planificación y Programación de la Presidencia"),
)
CODING = (("Departamento de Planes y Programas", "11.01.U0"),)
GLOSSARY = (
    (
        "Actividades",
        "Se trata de las acciones que desarrolla un individuo o una institución de manera cotidiana, "
        "como parte de sus obligaciones, tareas o funciones.",
    ),
    (
        "Administración",
        "Conjunto ordenado y sistemático de principios, técnicas y prácticas que tienen como finalidad "
        "es la coordinación eficaz y eficiente de los recursos de un grupo social para lograr sus "
        "objetivos con la máxima productividad.",
    ),
    (
        "Catálogo de Insumos",
        "Para la formulación y el registro de la ejecución del presupuesto de egresos del Estado, las "
        "entidades del Sector Público deberán utilizar el catálogo de insumos que se encuentre "
        "disponible en los Sistemas Integrados de Administración Financiera.",
    ),
    (
        "Capacitación",
        "Acción destinada a desarrollar las aptitudes del trabajo, con el propósito de prepararlo para "
        "desempeñar adecuadamente una ocupación o puesto de trabajo.",
    ),
    (
        "Coordinación",
        "Proceso que consiste en integrar todas las actividades y departamentos, facilitando el trabajo "
        "y sus resultados. Sincroniza acciones y adapta los medios a los fines.",
    ),
    (
        "Dependencia",
        "Entidad que forma parte de la estructura organizativa de una institución, con funciones "
        "definidas en la prestación de los servicios y productos institucionales.",
    ),
    (
        "Evaluación",
        "Este proceso consiste en verificar si las intervenciones contribuyeron efectivamente al logro "
        "de los resultados previstos y efectuando el cambio esperado en la prestación de los servicios "
        "de la entidad.",
    ),
    (
        "Gestión Por Resultados",
        "La Gestión por Resultados (GpR) es un enfoque de la administración pública que orienta sus "
        "esfuerzos a dirigir todos los recursos - humanos, financieros y tecnológicos - sean estos "
        "internos o externos, hacia la consecución de resultados de desarrollo, incorporando un uso "
        "articulado de políticas, estrategias, recursos y procesos para mejorar la toma de decisiones, "
        "la transparencia y la rendición de cuentas. Es un enfoque diseñado para lograr la consistencia "
        "y coherencia buscadas entre los resultados de desarrollo de país y el quehacer de cada una de "
        "sus instituciones.",
    ),
    (
        "Informe",
        "Es la descripción detallada de las características y circunstancias de un asunto específico. "
        "Como tal, recoge de manera clara y ordenada los resultados y hallazgos de un proceso de "
        "investigación y observación, para ser comunicados.",
    ),
    (
        "Meta",
        "Es una descripción del objetivo de la actuación en términos mensurables y observables; las "
        "condiciones en las que se desarrollará la acción, y una indicación del estándar por el cual se "
        "evaluará la consecución del objetivo.",
    ),
    (
        "Monitoreo",
        "Proceso de recopilación continua de la información sobre el avance físico de las actividades "
        "que realizan todas las unidades administrativas.",
    ),
    (
        "Planificación",
        "Es el instrumento que el gobierno utiliza para definir el rumbo o destino del país, para ello "
        "debe responder a tres preguntas, ¿dónde estamos?, ¿a dónde queremos ir? y ¿cómo podemos "
        "llegar?, para contestar a la primera pregunta se realiza un análisis de la situación social y "
        "económica del país mediante el uso de información estadística confiable. La respuesta a la "
        "segunda se relaciona con los objetivos de gobierno vigentes, para contestar a la tercera "
        "pregunta deben analizarse distintas opciones para lograr los objetivos y elegir aquellas que se "
        "muestren más pertinentes y eficientes.",
    ),
    (
        "Planificación estratégica",
        "La planificación estratégica pone su foco de atención en los aspectos del ambiente externo a la "
        "institución: los usuarios finales a quienes se entregan los productos principales o "
        "estratégicos y los resultados finales o los impactos de su intervención.",
    ),
    (
        "Planificación operativa",
        "La planificación operativa se refiere a la determinación de las metas de corto plazo, las "
        "cuales permiten hacer operativas las estrategias. A partir de esto es posible realizar la "
        "programación de las actividades y la estimación del presupuesto que se requiere para llevarlas "
        "a cabo. La planificación operativa tiene que ver con la generación de metas y compromisos "
        "internos que son parte de la programación para lograr los productos en la calidad, cantidad y "
        "el tiempo necesario.",
    ),
    (
        "Presupuesto por Resultados",
        "El PpR es una estrategia de gestión pública que permite vincular la asignación de recursos "
        "presupuestales a bienes y servicios (productos) y a resultados a favor de la población, con la "
        "característica de permitir que estos puedan ser medibles.",
    ),
    (
        "Presupuesto por Programas",
        "El PPP es una técnica que se utiliza en el sector público, la cual permite realizar proyectos o "
        "programas, estableciendo las actividades, los objetivos y su costo de ejecución y a su vez "
        "racionalizar el gasto público.",
    ),
    (
        "Producto",
        "El Producto será entendido también como intervención, en el sentido de que consiste en un "
        "conjunto estandarizado de bienes y servicios.",
    ),
    (
        "Reporte",
        "Es un documento que informa sobre el avance físico y financiero de las actividades que se "
        "desarrollaron en una Subdirección, Departamento o Unidad, también se puede relacionar o para un "
        "proyecto en específico durante un periodo determinado",
    ),
    (
        "Resultados",
        "Es el cambio en las condiciones, cualidades o características de un grupo poblacional, en el "
        "ambiente o el medio socioeconómico, en un tiempo y magnitud establecidos. El generador de ese "
        "cambio es el producto entregado por el Estado al ciudadano, que consiste en un conjunto "
        'estandarizado de bienes y servicios. El producto se le denomina también como "intervención".',
    ),
    (
        "Seguimiento",
        "Proceso continuo de medición de avances de las metas programadas en todos los eslabones de la "
        "cadena de resultados, durante el proceso de ejecución de los programas.",
    ),
    (
        "Subproducto",
        "Un subproducto constituye la combinación de insumos que son transformados en bienes o "
        "servicios, entregados en su conjunto a la población. Sobre la base de que un producto es un "
        "conjunto estandarizado de bienes y servicios, se debe registrar el subproducto específico que "
        "forma parte de dicho conjunto estándar.",
    ),
)
# The stages of the elaboration sheet (IX) and the design and approval sheet (X): (stage, role slug, position); the
# name is the person's who holds the role when the manual is generated.
ELABORATION_STAGES = (
    ("Elaborado y revisado", "jefe_planes_programas", "Jefe(a) del Departamento de Planes y Programas"),
)
APPROVAL_STAGES = (
    ("Estructura y diagramación", "", "Encargado(a) de la Unidad de Organización y Métodos"),
    ("Revisión y aprobación", "subdirector_planificacion", "Subdirector(a) de Planificación"),
)
# Section VI, the approval sheet of the manual: approved by the head of the department.
MANUAL_APPROVER = ("jefe_planes_programas", "Jefe(a) de Departamento de Planes y Programas")

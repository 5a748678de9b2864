"""The 22 departments of Guatemala, as stored on cost centers (code = INE department code)."""

from django.db import models


class Department(models.TextChoices):
    GUATEMALA = "01", "Guatemala"
    EL_PROGRESO = "02", "El Progreso"
    SACATEPEQUEZ = "03", "Sacatepéquez"
    CHIMALTENANGO = "04", "Chimaltenango"
    ESCUINTLA = "05", "Escuintla"
    SANTA_ROSA = "06", "Santa Rosa"
    SOLOLA = "07", "Sololá"
    TOTONICAPAN = "08", "Totonicapán"
    QUETZALTENANGO = "09", "Quetzaltenango"
    SUCHITEPEQUEZ = "10", "Suchitepéquez"
    RETALHULEU = "11", "Retalhuleu"
    SAN_MARCOS = "12", "San Marcos"
    HUEHUETENANGO = "13", "Huehuetenango"
    QUICHE = "14", "Quiché"
    BAJA_VERAPAZ = "15", "Baja Verapaz"
    ALTA_VERAPAZ = "16", "Alta Verapaz"
    PETEN = "17", "Petén"
    IZABAL = "18", "Izabal"
    ZACAPA = "19", "Zacapa"
    CHIQUIMULA = "20", "Chiquimula"
    JALAPA = "21", "Jalapa"
    JUTIAPA = "22", "Jutiapa"


def department_from_text(text: str) -> str | None:
    """The department code for a name or code as people type it in Excel ("Petén", "peten", "17")."""
    import unicodedata

    def fold(value: str) -> str:
        value = unicodedata.normalize("NFKD", value.strip().lower())
        return "".join(ch for ch in value if not unicodedata.combining(ch))

    wanted = fold(str(text))
    if not wanted:
        return None
    for code, label in Department.choices:
        if wanted in {code, code.lstrip("0"), fold(label)}:
            return code
    return None

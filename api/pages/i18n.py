"""Interface strings from gettext catalogues (Babel): `api/pages/locale/<lang>.po`.

Message ids are English; every language, English included, has a catalogue, and a test checks
that each message used in a template is translated in all three. Catalogues are compiled in
memory when first used, so there is no build step and no compiled file to keep in step.
"""

from __future__ import annotations

from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from api.engine.model import LANGS

LOCALE = Path(__file__).parent / "locale"


@lru_cache(maxsize=len(LANGS))
def translations(lang: str) -> Translations:
    """The compiled catalogue of one language."""
    with (LOCALE / f"{lang}.po").open("rb") as source:
        catalog = read_po(source, locale=lang)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)

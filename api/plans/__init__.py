"""Plans in the API: their shapes, their serialisation, and making one for a request (answers
from JSON or a query string, today's date in Finland, engine errors turned into API errors).
The public API, the pages, the checklists and the editors' preview all plan through here."""

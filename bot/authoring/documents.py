"""A press release sent as a file: plain text, or a Word document read with python-docx.

Word's export noise (``[bookmark: …]``, ``[image: ]``) is cleaned by the readers
(``lines.clean``); paragraphs and table rows come out one per line, as staff see them.
"""

from __future__ import annotations

import io
import zipfile

from bot.core.errors import UserError
from bot.core.texts import texts

#: A release is a few pages; anything much larger is not one.
MAX_BYTES = 5_000_000


def release_text(name: str, data: bytes, language: str) -> str:
    """The text of a sent ``.txt`` or ``.docx`` file, or a UserError in ``language``."""
    said = texts(language).release
    if len(data) > MAX_BYTES:
        raise UserError(said.too_large.format(limit="5 MB"))
    lowered = name.lower()
    if lowered.endswith(".txt"):
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
    if lowered.endswith(".docx"):
        return _docx_text(name, data, language)
    raise UserError(said.file_type.format(name=name))


def _docx_text(name: str, data: bytes, language: str) -> str:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        said = texts(language).release
        raise UserError(said.file_unreadable.format(name=name, error=type(exc).__name__)) from exc
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.extend(block.text.split("\n"))
        elif isinstance(block, Table):
            for row in block.rows:
                cells = list(dict.fromkeys(c.text.strip() for c in row.cells))
                lines.append(" | ".join(c for c in cells if c))
    return "\n".join(lines)

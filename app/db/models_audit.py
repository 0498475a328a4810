"""The hash chain over the append-only tables (moves, audit_log, scan_journal).

Each committed row gets one link, in commit order: ``hash = sha256(prev_hash, table, row)``.
Editing or deleting a row, or a link, breaks the chain at that row (see app/db/chain.py).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models import Base, utcnow


class ChainLink(Base):
    __tablename__ = "chain_links"
    id: Mapped[int] = mapped_column(primary_key=True)
    table_name: Mapped[str] = mapped_column(String(32))
    row_id: Mapped[int] = mapped_column(Integer)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    __table_args__ = (Index("ix_chain_links_row", "table_name", "row_id", unique=True),)

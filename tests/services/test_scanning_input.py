"""Resolution of any text against the database: a typed result or a typed refusal in words,
never an unexpected exception (issue 16), on every backend."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.errors import Gs1BadDate, NotAsciiDigit, ScanError
from app.db.uow import UnitOfWork
from app.services import scanning
from tests.factories import gtin13

TRICKY = st.sampled_from(["\x00", "\ud800", "\x85", "\u200b", "²", "①", "５", "\x1d", "é", "(", ")", "]", "C", "1",
                          "0", "7", "S", "F", ":", "A", "-"])
TEXT = st.text(alphabet=st.one_of(st.characters(exclude_categories=()), TRICKY), max_size=40)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(raw=st.one_of(TEXT, st.sampled_from([gtin13(1), "A-01-01", "]C1" + "01" + gtin13(1).zfill(14) + "10L1",
                                            "(01)" + gtin13(1).zfill(14) + "(17)271332", "x" * 10_000])))
def test_any_text_resolves_or_is_refused_in_words(database, warehouse, raw):
    with UnitOfWork(database, write=False) as uow:
        try:
            found = scanning.resolve(uow.session, raw)
        except ScanError as error:
            message = str(error)
            assert message and len(message) < 400 and "pattern" not in message
            message.encode("utf-8")
        else:
            assert found.kind in scanning.KIND_NAMES


def test_the_floor_gets_words_for_foreign_digits_and_bad_dates(database, warehouse):
    with UnitOfWork(database, write=False) as uow:
        with pytest.raises(NotAsciiDigit):
            scanning.resolve(uow.session, "４００６３８１３３３９３１")
        with pytest.raises(Gs1BadDate, match="27-13-32"):
            scanning.resolve(uow.session, "]C1" + "01" + gtin13(1).zfill(14) + "17271332")
        # unmarked GS1 with a variable-length last field names the product
        found = scanning.resolve(uow.session, "01" + gtin13(1).zfill(14) + "10LOT7")
        assert (found.kind, found.label, found.scan.lot) == ("product", "WIDGET", "LOT7")

"""Stock search at scale: names found through the trigram index (FTS5 on SQLite, pg_trgm on
PostgreSQL), kept in step with product changes; keyset paging gives every row once, in order,
and a next page is one statement however far down it is."""

from __future__ import annotations

from app.db.models import OnHand, Product
from app.db.uow import UnitOfWork
from app.services.stock import queries as stock
from tests.factories import add_location, add_product
from tests.services.test_scale_statements import statements

NAMES = ("Blue bolt M8", "Blue nut M8", "Steel bolt M10", "Washer 50% off", "Bolt_set small")


def put_stock(database, how_many_bins: int = 4) -> None:
    """Each product of NAMES on ``how_many_bins`` bins, 1 + bin number pieces."""
    with UnitOfWork(database) as uow:
        session = uow.session
        products = [add_product(session, f"HW-{n:02d}", name) for n, name in enumerate(NAMES)]
        bins = [add_location(session, f"S-{n:02d}", "storage") for n in range(how_many_bins)]
        session.flush()
        for product in products:
            for n, bin_ in enumerate(bins):
                session.add(OnHand(product_id=product.id, location_id=bin_.id, quantity=1 + n))
        uow.commit()


def search(database, text: str, **kwargs) -> stock.StockPage:
    with UnitOfWork(database, write=False) as uow:
        return stock.search_on_hand(uow.session, text, **kwargs)


def skus(page: stock.StockPage) -> list[str]:
    return sorted({row.sku for row in page.rows})


def test_names_are_found_by_any_part_in_any_case(database, warehouse):
    put_stock(database)
    assert skus(search(database, "BOLT")) == ["HW-00", "HW-02", "HW-04"]
    assert skus(search(database, "lue n")) == ["HW-01"]          # across a word boundary
    assert skus(search(database, "50%")) == ["HW-03"]            # LIKE's wildcards are plain text
    assert skus(search(database, "t_s")) == ["HW-04"]
    assert skus(search(database, "M1")) == ["HW-02"]             # shorter than a trigram


def test_the_name_index_follows_added_and_renamed_products(database, warehouse):
    put_stock(database)
    with UnitOfWork(database) as uow:
        bolt = uow.session.query(Product).filter_by(sku="HW-00").one()
        bolt.name = "Red anchor"
        uow.commit()
    assert skus(search(database, "anchor")) == ["HW-00"]
    assert skus(search(database, "Blue")) == ["HW-01"]


def walk(database, text: str, size: int) -> list[tuple[str, str]]:
    page = search(database, text, limit=size)
    seen = list(page.rows)
    while page.more:
        page = search(database, text, after=page.next, limit=size)
        seen.extend(page.rows)
    return [(row.sku, row.location) for row in seen]


def test_keyset_pages_give_every_row_once_in_order(database, warehouse):
    put_stock(database, how_many_bins=7)
    for text in ("", "bolt", "S-0"):
        whole = search(database, text, limit=1000)
        assert not whole.more and whole.next is None
        expected = [(row.sku, row.location) for row in whole.rows]
        assert len(expected) >= 21
        for size in (1, 3, 7):
            assert walk(database, text, size) == expected


def counted(database, text: str, after: stock.PageKey) -> tuple[int, stock.StockPage]:
    """Statements one page issues, not counting the transaction's own BEGIN."""
    with UnitOfWork(database, write=False) as uow, statements(database) as seen:
        page = stock.search_on_hand(uow.session, text, after=after, limit=2)
    return len([sql for sql in seen if not sql.lstrip().upper().startswith("BEGIN")]), page


def test_a_next_page_is_one_statement_however_deep(database, warehouse):
    put_stock(database, how_many_bins=7)
    for text in ("", "bolt"):
        page = search(database, text, limit=2)
        near, second = counted(database, text, page.next)
        while page.more:
            page = search(database, text, after=page.next, limit=2)
            if page.more:
                deep, _ = counted(database, text, page.next)
        assert (near, deep) == (1, 1)
        assert second.rows and second.rows[0] != page.rows[0]

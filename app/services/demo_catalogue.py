"""What the demo warehouse is made of (app.services.demo builds it): the demo company's GS1
prefix, users, front locations, product groups with their items, variants, cases and
suppliers, cartons, sales channels, carriers and customers, and how many orders of each kind.
"""

from __future__ import annotations

from dataclasses import dataclass

COMPANY_PREFIX = "9521234"  # GS1 prefix 952: for demonstrations and examples only
AISLES, BAYS, LEVELS, PICK_SLOTS = "ABCDEFGH", 20, 4, 2
FIRST_AISLE_X, AISLE_SPACING, BAY_DEPTH = 1.5, 3.0, 1.2
MAX_PRODUCTS = 5000

DEMO_USERS = (  # username, display name, badge, role, PIN, language
    ("oskar", "Oskar Berg", "B-1001", "operator", "1111", "en"),
    ("lucia", "Lucía Gómez", "B-1002", "operator", "2222", "es"),
    ("sam", "Sam Patel", "B-2001", "supervisor", "9999", "en"),
    ("admin", "Ada Admin", "B-3001", "admin", "0000", "en"),
)
FRONT = (  # code, kind, x: along the front cross aisle
    ("DOCK-1", "receiving", 0.0), ("DOCK-2", "receiving", 4.5), ("QUAR-1", "quarantine", 9.0),
    ("RET-1", "returns", 12.0), ("PACK-1", "packing", 15.0), ("PACK-2", "packing", 18.0),
    ("SHIP-1", "shipping", 21.0), ("SHIP-2", "shipping", 24.0),
)
VIRTUAL = (("SUPPLIER", "supplier"), ("CUSTOMER", "customer"), ("LOSS", "inventory_loss"))
BLOCKED = ("H-20-03-1", "H-20-04-1")  # so that the demo shows a blocked bin
BRANDS = ("Nordvik", "Solana", "Pioneer", "Bluebird", "Alder")

# Outbound: the floor the routes are walked on, cartons, and customer orders.
CROSS_AISLE_Y, DEPOT_X = 12.0, 15.0  # between bays 10 and 11; the depot at the packing benches
CARTONS = (("BOX-S", 25, 20, 10, 5.0), ("BOX-M", 40, 30, 20, 15.0), ("BOX-L", 60, 40, 40, 25.0),
           ("BOX-XL", 80, 60, 60, 30.0))  # code, length, width, height (cm), max kg
CHANNELS = ("Shopify", "Amazon", "eBay")
CARRIERS = (("DHL", ("Paket", "Express")), ("UPS", ("Standard", "Express Saver")), ("DPD", ("Classic",)))
CUSTOMERS = (  # name, street, city, postcode, country
    ("Mara Lindqvist", "Sveavägen 44", "Stockholm", "111 34", "SE"),
    ("Jonas Weber", "Bergmannstraße 12", "Berlin", "10961", "DE"),
    ("Aoife Byrne", "14 Harcourt Street", "Dublin", "D02 F298", "IE"),
    ("Luca Bianchi", "Via Tortona 31", "Milano", "20144", "IT"),
    ("Chloé Martin", "18 rue Oberkampf", "Paris", "75011", "FR"),
    ("Pieter de Vries", "Prinsengracht 263", "Amsterdam", "1016 GV", "NL"),
    ("Hannah Fischer", "Mariahilfer Straße 88", "Wien", "1070", "AT"),
    ("Tomasz Nowak", "ul. Mokotowska 51", "Warszawa", "00-542", "PL"),
    ("Emma Clarke", "22 Deansgate", "Manchester", "M3 2BW", "GB"),
    ("Sofía Ruiz", "Calle de Fuencarral 70", "Madrid", "28004", "ES"),
    ("Lars Jensen", "Nørrebrogade 20", "København", "2200", "DK"),
    ("Olivia Brown", "350 Fifth Avenue", "New York", "10118", "US"),
)
SALES_ORDERS, OPEN_ORDERS, BATCH_ORDERS, SINGLE_WAVES = 20, 4, 4, 2


@dataclass(frozen=True)
class Group:
    name: str
    prefix: str
    tracking: str
    shelf_life_days: tuple[int, int] | None  # expiry range of new lots; None: no expiry
    items: tuple[str, ...]
    variants: tuple[str, ...]
    cases: tuple[int, ...]
    weight_kg: tuple[float, float]
    cost: tuple[float, float]
    share: int  # relative number of products
    supplier: str


GROUPS = (
    Group("Beverages", "BEV", "lot", (60, 540), ("Sparkling water", "Still water", "Orange juice",
          "Apple juice", "Cola", "Iced tea", "Lemonade", "Ginger ale"), ("0.33 l", "0.5 l", "1 l", "1.5 l"),
          (6, 12, 24), (0.35, 1.6), (0.3, 2.5), 18, "Nordic Beverages AB"),
    Group("Dairy", "DAI", "lot", (5, 45), ("Whole milk", "Skimmed milk", "Greek yoghurt", "Butter",
          "Cheddar", "Cream cheese", "Oat drink"), ("250 g", "500 g", "1 kg"), (6, 12), (0.25, 1.1),
          (0.6, 4.0), 10, "Dairy Valley Co-op"),
    Group("Snacks", "SNK", "lot", (90, 360), ("Potato chips", "Pretzels", "Dark chocolate", "Milk chocolate",
          "Oat cookies", "Salted peanuts", "Trail mix", "Rice crackers"), ("100 g", "200 g", "400 g"),
          (12, 24), (0.1, 0.45), (0.5, 3.5), 14, "Crunch & Co"),
    Group("Hardware", "HW", "none", None, ("Wood screws 4x40", "Wall plugs 6 mm", "Hex bolts M8",
          "Cable ties 200 mm", "Door hinges", "Wing nuts M6", "Washers M10"),
          ("pack of 25", "pack of 100", "pack of 500"), (6, 12), (0.1, 2.5), (1.5, 18.0), 16,
          "Fixit Hardware Ltd"),
    Group("Office", "OFF", "none", None, ("Copy paper A4", "Ballpoint pens", "Sticky notes", "Stapler",
          "Ring binder", "Highlighters", "Envelopes C5"), ("single", "pack of 5", "pack of 10"),
          (6, 12, 24), (0.05, 2.6), (0.8, 12.0), 14, "Office Direct GmbH"),
    Group("Cleaning", "CLN", "lot", None, ("Dish soap", "Glass cleaner", "Floor cleaner", "Hand soap",
          "Bin bags 60 l", "Sponges"), ("500 ml", "1 l", "5 l"), (6, 12), (0.3, 5.2), (0.9, 9.0), 10,
          "Office Direct GmbH"),
    Group("Electronics", "ELC", "none", None, ("USB-C cable 1 m", "USB-C cable 2 m", "Phone charger 20 W",
          "AA batteries 4-pack", "AAA batteries 4-pack", "HDMI cable 2 m"), ("black", "white"),
          (12, 24), (0.05, 0.3), (2.0, 15.0), 12, "Voltline Electronics"),
    Group("Devices", "DEV", "serial", None, ("Power bank 10000 mAh", "Bluetooth speaker",
          "Handheld scanner", "Label printer", "Tablet 10 inch"), ("black", "grey"), (), (0.2, 1.4),
          (25.0, 240.0), 2, "Voltline Electronics"),
)

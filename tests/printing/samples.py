"""Realistic labels used across the printing tests."""

from __future__ import annotations

from datetime import date

from app.core.checkdigits import make_sscc
from app.printing.data import BadgeLabel, CommandSheet, LicensePlateLabel, LocationLabel, ProductLabel, ReceivingLabel

GTIN = "09501101530003"  # GS1's own example GTIN (GTIN-13 9501101530003, padded)
SSCC = make_sscc(0, "9501101", 1)  # 095011010000000018

LICENSE_PLATE = LicensePlateLabel(
    sscc=SSCC,
    ship_from=("Stockfloor DC North", "Industriestraße 12", "40210 Düsseldorf"),
    ship_to=("ACME Retail GmbH", "Warehouse Gate 4", "Hauptstr. 1", "10115 Berlin"),
    gtin=GTIN, contents="Crème brûlée cups 12 x 125 g", count=48, lot="L2311A",
    best_before=date(2027, 12, 31), reference="PO-4711")
PRODUCT_EAN = ProductLabel("SKU-000123", "Organic whole milk chocolate bar with hazelnuts, "
                           "family pack", "9501101530003", "ean13")
PRODUCT_128 = ProductLabel("SKU-000123", "Organic whole milk chocolate bar", None, "code128")
LOCATION = LocationLabel("A-03-02", "A-03-02", "up")
LOCATION_PREFIXED = LocationLabel("B-12-04-C", "LOC:B12-04C")
RECEIVING = ReceivingLabel(GTIN, "SKU-000123", "Organic whole milk chocolate bar", qty=24,
                           lot="L2311A", expiry=date(2027, 6, 30))
RECEIVING_SHORT = ReceivingLabel(GTIN, "SKU-000123", "Chocolate bar", lot="L7",
                                 expiry=date(2027, 6, 30))
BADGE = BadgeLabel("Maria Oliveira-Santos", "EMP-00042", "Supervisor")
COMMANDS = CommandSheet("Packing station 3", [("CONFIRM", "CMD:CONFIRM"),
                                              ("CANCEL", "CMD:CANCEL"), ("NEXT", "CMD:NEXT")])

HRI_SSCC = f"(00){SSCC}"
HRI_CONTENTS = f"(02){GTIN}(15)271231(37)48(10)L2311A"
HRI_RECEIVING = f"(01){GTIN}(17)270630(10)L2311A(30)24"
HRI_RECEIVING_SHORT = f"(01){GTIN}(17)270630(10)L7"

# What a scanner must read off each label (zxing reports GS1 as bracketed HRI).
EXPECTED = {
    "license_plate": {HRI_SSCC, HRI_CONTENTS},
    "product_ean": {"9501101530003"},
    "product_128": {"SKU-000123"},
    "location": {"A-03-02"},
    "location_prefixed": {"LOC:B12-04C"},
    "receiving": {HRI_RECEIVING},
    "receiving_short": {HRI_RECEIVING_SHORT},
    "badge": {"EMP-00042"},
    "commands": {"CMD:CONFIRM", "CMD:CANCEL", "CMD:NEXT"},
}
LABELS = {
    "license_plate": LICENSE_PLATE, "product_ean": PRODUCT_EAN, "product_128": PRODUCT_128,
    "location": LOCATION, "location_prefixed": LOCATION_PREFIXED, "receiving": RECEIVING,
    "receiving_short": RECEIVING_SHORT, "badge": BADGE, "commands": COMMANDS,
}

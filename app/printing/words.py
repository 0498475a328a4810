"""The words of printed documents in the workstation's language (en, de, es, pl).

Printing knows no Qt, so documents are not translated through Qt's catalogues: every text a
document prints is an English key below, with its German, Spanish and Polish. A document asks
``words(language)`` for a function that translates a key (English when the language is not
known) and formats the result with ``.format``. tests/printing/test_document_languages.py
renders every document in every language and fails on a key without its translations.
"""

from __future__ import annotations

from collections.abc import Callable

LANGUAGES = ("en", "de", "es", "pl")

# English key: (German, Spanish, Polish)
CATALOGUE: dict[str, tuple[str, str, str]] = {
    # every document
    "Page {number} of {total}": ("Seite {number} von {total}", "Página {number} de {total}",
                                 "Strona {number} z {total}"),
    "Scan": ("Scannen", "Escanear", "Skanuj"),
    "#": ("Nr.", "N.º", "Lp."),
    "SKU": ("Artikelnr.", "SKU", "Indeks"),
    "Product": ("Artikel", "Producto", "Produkt"),
    "Lot": ("Charge", "Lote", "Partia"),
    "Qty": ("Menge", "Cant.", "Ilość"),
    "Location": ("Lagerplatz", "Ubicación", "Lokalizacja"),
    # receiving report
    "Receiving report {number}": ("Wareneingangsbericht {number}", "Informe de recepción {number}",
                                  "Raport przyjęcia {number}"),
    "Expiry": ("Verfall", "Caducidad", "Ważność"),
    "Expected": ("Erwartet", "Esperado", "Oczekiwano"),
    "Received": ("Erhalten", "Recibido", "Przyjęto"),
    "{units} damaged": ("{units} beschädigt", "{units} dañadas", "{units} uszkodzone"),
    "Supplier: {supplier}": ("Lieferant: {supplier}", "Proveedor: {supplier}", "Dostawca: {supplier}"),
    "Received: {when} by {operator}": ("Erhalten: {when} von {operator}", "Recibido: {when} por {operator}",
                                       "Przyjęto: {when}, przyjmujący: {operator}"),
    "Lines: {lines}, expected {expected}, received {received}, difference {difference}": (
        "Zeilen: {lines}, erwartet {expected}, erhalten {received}, Differenz {difference}",
        "Líneas: {lines}, esperado {expected}, recibido {received}, diferencia {difference}",
        "Pozycje: {lines}, oczekiwano {expected}, przyjęto {received}, różnica {difference}"),
    # put-away list
    "Put-away list {reference}": ("Einlagerungsliste {reference}", "Lista de ubicación {reference}",
                                  "Lista rozlokowania {reference}"),
    "all docks": ("alle Tore", "todos los muelles", "wszystkie rampy"),
    "From": ("Von", "Desde", "Z"),
    "To": ("Nach", "A", "Do"),
    "Created: {when} for {operator}": ("Erstellt: {when} für {operator}", "Creada: {when} para {operator}",
                                       "Utworzono: {when} dla {operator}"),
    "Tasks: {tasks}. Scan the destination barcode after placing goods.": (
        "Aufgaben: {tasks}. Nach dem Einlagern den Barcode des Ziels scannen.",
        "Tareas: {tasks}. Escanee el código del destino después de colocar la mercancía.",
        "Zadania: {tasks}. Po odłożeniu towaru zeskanuj kod miejsca docelowego."),
    "Scan destination": ("Ziel scannen", "Escanear destino", "Skanuj cel"),
    # count sheet
    "Count sheet {number}": ("Zählliste {number}", "Hoja de recuento {number}", "Arkusz spisowy {number}"),
    "Counted": ("Gezählt", "Contado", "Policzono"),
    "{kind} count, due {due}, counter: {counter}": (
        "Zählung ({kind}), fällig {due}, Zähler: {counter}",
        "Recuento ({kind}), vence {due}, contador: {counter}",
        "Inwentaryzacja ({kind}), termin {due}, liczący: {counter}"),
    "anyone": ("beliebig", "cualquiera", "ktokolwiek"),
    "location range": ("Lagerplatzbereich", "rango de ubicaciones", "zakres lokalizacji"),
    "zone": ("Zone", "zona", "strefa"),
    "product": ("Artikel", "producto", "produkt"),
    "abc": ("ABC", "ABC", "ABC"),
    "triggered": ("angeforderte", "solicitado", "zlecona"),
    "recount": ("Nachzählung", "recuento repetido", "ponowne liczenie"),
    "Blind count: quantities on record are not printed. Write what you count under 'Counted'.": (
        "Blindzählung: erfasste Mengen werden nicht gedruckt. Das Gezählte unter „Gezählt“ eintragen.",
        "Recuento a ciegas: no se imprimen las cantidades registradas. Anote lo contado en «Contado».",
        "Liczenie na ślepo: zarejestrowane ilości nie są drukowane. Wpisz policzone w „Policzono”."),
    "Expected: the quantity on record when this sheet was printed; stock may move before it is counted.": (
        "Erwartet: die erfasste Menge beim Drucken dieser Liste; der Bestand kann sich bis zur Zählung ändern.",
        "Esperado: la cantidad registrada al imprimir esta hoja; el stock puede moverse antes del recuento.",
        "Oczekiwano: ilość zarejestrowana w chwili druku arkusza; stan może się zmienić przed liczeniem."),
    "On the counting screen scan the location first, then every item in it.": (
        "Auf dem Zählbildschirm zuerst den Lagerplatz scannen, dann jeden Artikel darin.",
        "En la pantalla de recuento escanee primero la ubicación y luego cada artículo.",
        "Na ekranie inwentaryzacji zeskanuj najpierw lokalizację, potem każdą sztukę w niej."),
    "Count": ("Zählung", "Recuento", "Inwentaryzacja"),
    "Scan to open this count on the counting screen": (
        "Scannen, um diese Zählung auf dem Zählbildschirm zu öffnen",
        "Escanee para abrir este recuento en la pantalla de recuento",
        "Zeskanuj, aby otworzyć tę inwentaryzację na ekranie liczenia"),
    "zone {zone}": ("Zone {zone}", "zona {zone}", "strefa {zone}"),
    "Nothing on record here": ("Hier ist nichts erfasst", "Nada registrado aquí", "Nic tu nie zarejestrowano"),
    "Other items found here:": ("Weitere hier gefundene Artikel:", "Otros artículos encontrados aquí:",
                                "Inne znalezione tu produkty:"),
    # pick list
    "Pick list {number}": ("Pickliste {number}", "Lista de preparación {number}", "Lista kompletacyjna {number}"),
    "Tote": ("Kiste", "Caja", "Pojemnik"),
    "Orders (tote: order): {orders}": ("Aufträge (Kiste: Auftrag): {orders}", "Pedidos (caja: pedido): {orders}",
                                       "Zamówienia (pojemnik: zamówienie): {orders}"),
    "Lines: {lines}, units: {units}": ("Zeilen: {lines}, Einheiten: {units}", "Líneas: {lines}, unidades: {units}",
                                       "Pozycje: {lines}, sztuki: {units}"),
    ", walk {length}": (", Weg {length}", ", recorrido {length}", ", trasa {length}"),
    # packing slip
    "Packing slip {channel} {number}": ("Lieferschein {channel} {number}", "Albarán {channel} {number}",
                                        "List przewozowy {channel} {number}"),
    "Parcel": ("Paket", "Bulto", "Paczka"),
    "Ship to: {address}": ("Lieferadresse: {address}", "Enviar a: {address}", "Adres dostawy: {address}"),
    "From: {address}": ("Absender: {address}", "Remitente: {address}", "Nadawca: {address}"),
    "Carrier: {carrier}. Parcels: {parcels}. Units: {units}.": (
        "Spediteur: {carrier}. Pakete: {parcels}. Einheiten: {units}.",
        "Transportista: {carrier}. Bultos: {parcels}. Unidades: {units}.",
        "Przewoźnik: {carrier}. Paczki: {parcels}. Sztuki: {units}."),
}


def words(language: str) -> Callable[[str], str]:
    """The translating function for ``language`` ("de", "es_MX"...); English otherwise."""
    code = (language or "en").split("_")[0].lower()
    if code not in LANGUAGES or code == "en":
        return lambda key: key
    column = LANGUAGES.index(code) - 1

    def translate(key: str) -> str:
        entry = CATALOGUE.get(key)
        return entry[column] if entry else key

    return translate

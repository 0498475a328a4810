<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>AccuracyTab</name>
    <message>
        <source>Overall: {within} of {lines} counted lines within tolerance ({share})</source>
        <translation>Gesamt: {within} von {lines} gezählten Zeilen innerhalb der Toleranz ({share})</translation>
    </message>
    <message>
        <source>No counted lines in this period.</source>
        <translation>Keine gezählten Zeilen in diesem Zeitraum.</translation>
    </message>
    <message>
        <source>Export count results</source>
        <translation>Zählergebnisse exportieren</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message numerus="yes">
        <source>%n count line(s) written to {path}</source>
        <translation>
            <numerusform>%n Zählzeile nach {path} geschrieben</numerusform>
            <numerusform>%n Zählzeilen nach {path} geschrieben</numerusform>
        </translation>
    </message>
    <message>
        <source>Save accuracy report</source>
        <translation>Genauigkeitsbericht speichern</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF-Dateien (*.pdf)</translation>
    </message>
    <message>
        <source>Writing the accuracy report…</source>
        <translation>Der Genauigkeitsbericht wird geschrieben…</translation>
    </message>
    <message>
        <source>Accuracy report saved to {path}</source>
        <translation>Genauigkeitsbericht gespeichert unter {path}</translation>
    </message>
    <message>
        <source>Could not write the file: {reason}</source>
        <translation>Die Datei konnte nicht geschrieben werden: {reason}</translation>
    </message>
    <message>
        <source>P&amp;eriod</source>
        <translation>&amp;Zeitraum</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>Monat</translation>
    </message>
    <message>
        <source>Week</source>
        <translation>Woche</translation>
    </message>
    <message>
        <source>B&amp;y</source>
        <translation>&amp;Nach</translation>
    </message>
    <message>
        <source>ABC class</source>
        <translation>ABC-Klasse</translation>
    </message>
    <message>
        <source>Zone</source>
        <translation>Zone</translation>
    </message>
    <message>
        <source>&amp;From</source>
        <translation>&amp;Von</translation>
    </message>
    <message>
        <source>&amp;Until</source>
        <translation>&amp;Bis</translation>
    </message>
    <message>
        <source>Period from</source>
        <translation>Zeitraum ab</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>Gruppe</translation>
    </message>
    <message>
        <source>Lines counted</source>
        <translation>Gezählte Zeilen</translation>
    </message>
    <message>
        <source>Within tolerance</source>
        <translation>Innerhalb der Toleranz</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>Genauigkeit</translation>
    </message>
    <message>
        <source>Export results as &amp;CSV…</source>
        <translation>Ergebnisse als &amp;CSV exportieren…</translation>
    </message>
    <message>
        <source>Save report as P&amp;DF…</source>
        <translation>Bericht als P&amp;DF speichern…</translation>
    </message>
</context>
<context>
    <name>AttentionScreen</name>
    <message>
        <source>Offline scans that need a supervisor</source>
        <translation>Offline-Scans, die ein Vorgesetzter prüfen muss</translation>
    </message>
    <message>
        <source>Scanned</source>
        <translation>Gescannt</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>Wo</translation>
    </message>
    <message>
        <source>Scan</source>
        <translation>Scan</translation>
    </message>
    <message>
        <source>Refused because</source>
        <translation>Abgelehnt, weil</translation>
    </message>
    <message>
        <source>F5 Send again</source>
        <translation>F5 Erneut senden</translation>
    </message>
    <message>
        <source>Del Done by hand</source>
        <translation>Entf Von Hand erledigt</translation>
    </message>
    <message>
        <source>This workstation keeps no offline outbox: its database is on this computer.</source>
        <translation>Dieser Arbeitsplatz führt keinen Offline-Ausgang: seine Datenbank liegt auf diesem Computer.</translation>
    </message>
    <message>
        <source>No offline scan needs attention.</source>
        <translation>Kein Offline-Scan muss geprüft werden.</translation>
    </message>
    <message numerus="yes">
        <source>%n offline scan(s) refused by the server. Fix the cause, then send again; or mark as done by hand.</source>
        <translation>
            <numerusform>%n Offline-Scan wurde vom Server abgelehnt. Beheben Sie die Ursache und senden Sie ihn erneut, oder markieren Sie ihn als von Hand erledigt.</numerusform>
            <numerusform>%n Offline-Scans wurden vom Server abgelehnt. Beheben Sie die Ursache und senden Sie sie erneut, oder markieren Sie sie als von Hand erledigt.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AuditScreen</name>
    <message>
        <source>Audit log</source>
        <translation>Prüfprotokoll</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Action (end with * for a prefix)</source>
        <translation>Aktion (mit * am Ende als Präfix)</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>Beleg</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>Until</source>
        <translation>Bis</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Suchen</translation>
    </message>
    <message>
        <source>Export CSV...</source>
        <translation>CSV exportieren...</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <source>Workstation</source>
        <translation>Arbeitsplatz</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message numerus="yes">
        <source>%n entries</source>
        <translation>
            <numerusform>%n Eintrag</numerusform>
            <numerusform>%n Einträge</numerusform>
        </translation>
    </message>
    <message>
        <source>Export audit log</source>
        <translation>Prüfprotokoll exportieren</translation>
    </message>
    <message>
        <source>{count} entries written to {path}</source>
        <translation>{count} Einträge nach {path} geschrieben</translation>
    </message>
</context>
<context>
    <name>Bridge</name>
    <message>
        <source>Nobody is logged in.</source>
        <translation>Niemand ist angemeldet.</translation>
    </message>
    <message>
        <source>Unexpected error ({kind}). The details are in the log.</source>
        <translation>Unerwarteter Fehler ({kind}). Die Einzelheiten stehen im Protokoll.</translation>
    </message>
</context>
<context>
    <name>Commands</name>
    <message>
        <source>open the highlighted count</source>
        <translation>markierte Zählung öffnen</translation>
    </message>
    <message>
        <source>quantity</source>
        <translation>Menge</translation>
    </message>
    <message>
        <source>undo</source>
        <translation>rückgängig</translation>
    </message>
    <message>
        <source>location is empty</source>
        <translation>Lagerplatz ist leer</translation>
    </message>
    <message>
        <source>location done</source>
        <translation>Lagerplatz erledigt</translation>
    </message>
    <message>
        <source>a supervisor decides now</source>
        <translation>ein Vorgesetzter entscheidet jetzt</translation>
    </message>
    <message>
        <source>clear quantity, then leave</source>
        <translation>Menge löschen, dann verlassen</translation>
    </message>
    <message>
        <source>cancel, back</source>
        <translation>abbrechen, zurück</translation>
    </message>
    <message>
        <source>log out</source>
        <translation>abmelden</translation>
    </message>
    <message>
        <source>pack the highlighted order</source>
        <translation>markierten Auftrag verpacken</translation>
    </message>
    <message>
        <source>choose the carton (or scan one)</source>
        <translation>Karton wählen (oder einen scannen)</translation>
    </message>
    <message>
        <source>weigh and close parcel</source>
        <translation>Paket wiegen und schließen</translation>
    </message>
    <message>
        <source>finish order</source>
        <translation>Auftrag abschließen</translation>
    </message>
    <message>
        <source>split missing units (supervisor)</source>
        <translation>fehlende Einheiten abtrennen (Vorgesetzter)</translation>
    </message>
    <message>
        <source>clear the marks, then leave the order</source>
        <translation>Markierungen löschen, dann Auftrag verlassen</translation>
    </message>
    <message>
        <source>pick the highlighted wave</source>
        <translation>markierte Welle kommissionieren</translation>
    </message>
    <message>
        <source>bin holds less</source>
        <translation>Platz enthält weniger</translation>
    </message>
    <message>
        <source>bin is empty</source>
        <translation>Platz ist leer</translation>
    </message>
    <message>
        <source>clear the quantity, then leave the wave</source>
        <translation>Menge löschen, dann Welle verlassen</translation>
    </message>
    <message>
        <source>put away part of it</source>
        <translation>einen Teil einlagern</translation>
    </message>
    <message>
        <source>undo my last put-away</source>
        <translation>meine letzte Einlagerung rückgängig machen</translation>
    </message>
    <message>
        <source>print the list</source>
        <translation>Liste drucken</translation>
    </message>
    <message>
        <source>clear the quantity, then back to the list</source>
        <translation>Menge löschen, dann zurück zur Liste</translation>
    </message>
    <message>
        <source>open the highlighted receipt</source>
        <translation>markierten Wareneingang öffnen</translation>
    </message>
    <message>
        <source>damaged</source>
        <translation>beschädigt</translation>
    </message>
    <message>
        <source>labels for my last scan</source>
        <translation>Etiketten für meinen letzten Scan</translation>
    </message>
    <message>
        <source>close receipt</source>
        <translation>Wareneingang abschließen</translation>
    </message>
    <message>
        <source>clear marks, then leave receipt</source>
        <translation>Markierungen löschen, dann Wareneingang verlassen</translation>
    </message>
    <message>
        <source>change the database</source>
        <translation>Datenbank ändern</translation>
    </message>
    <message>
        <source>start over</source>
        <translation>von vorn beginnen</translation>
    </message>
    <message>
        <source>next task</source>
        <translation>nächster Auftrag</translation>
    </message>
    <message>
        <source>change the quantity</source>
        <translation>Menge ändern</translation>
    </message>
    <message>
        <source>one step back, then leave</source>
        <translation>einen Schritt zurück, dann verlassen</translation>
    </message>
    <message>
        <source>another disposition (supervisor)</source>
        <translation>andere Verwendung (Vorgesetzter)</translation>
    </message>
    <message>
        <source>confirm</source>
        <translation>bestätigen</translation>
    </message>
    <message>
        <source>grade</source>
        <translation>bewerten</translation>
    </message>
    <message>
        <source>checklist item</source>
        <translation>Prüfpunkt</translation>
    </message>
    <message>
        <source>findings, notes</source>
        <translation>Befunde, Notizen</translation>
    </message>
    <message>
        <source>close RMA</source>
        <translation>RMA abschließen</translation>
    </message>
    <message>
        <source>print the last label again</source>
        <translation>letztes Etikett erneut drucken</translation>
    </message>
    <message>
        <source>drop the unit, then leave the RMA</source>
        <translation>Einheit zurückstellen, dann RMA verlassen</translation>
    </message>
</context>
<context>
    <name>CountedTable</name>
    <message>
        <source>SKU</source>
        <translation>Artikelnr.</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Artikel</translation>
    </message>
    <message>
        <source>Lot</source>
        <translation>Charge</translation>
    </message>
    <message>
        <source>Counted</source>
        <translation>Gezählt</translation>
    </message>
</context>
<context>
    <name>CountingNames</name>
    <message>
        <source>location range</source>
        <translation>Lagerplatzbereich</translation>
    </message>
    <message>
        <source>zone</source>
        <translation>Zone</translation>
    </message>
    <message>
        <source>product</source>
        <translation>Artikel</translation>
    </message>
    <message>
        <source>ABC schedule</source>
        <translation>ABC-Plan</translation>
    </message>
    <message>
        <source>requested</source>
        <translation>angefordert</translation>
    </message>
    <message>
        <source>recount</source>
        <translation>Nachzählung</translation>
    </message>
    <message>
        <source>planned</source>
        <translation>geplant</translation>
    </message>
    <message>
        <source>counting</source>
        <translation>wird gezählt</translation>
    </message>
    <message>
        <source>in review</source>
        <translation>in Prüfung</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>abgeschlossen</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>storniert</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>wartend</translation>
    </message>
    <message>
        <source>matched</source>
        <translation>stimmt überein</translation>
    </message>
    <message>
        <source>within tolerance</source>
        <translation>innerhalb der Toleranz</translation>
    </message>
    <message>
        <source>approved</source>
        <translation>genehmigt</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>abgelehnt</translation>
    </message>
    <message>
        <source>recounted</source>
        <translation>nachgezählt</translation>
    </message>
    <message>
        <source>Miscount</source>
        <translation>Zählfehler</translation>
    </message>
    <message>
        <source>Found</source>
        <translation>Gefunden</translation>
    </message>
    <message>
        <source>Lost</source>
        <translation>Verloren</translation>
    </message>
    <message>
        <source>Damaged</source>
        <translation>Beschädigt</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>Abgelaufen</translation>
    </message>
    <message>
        <source>Unrecorded move</source>
        <translation>Nicht erfasste Bewegung</translation>
    </message>
    <message>
        <source>short pick</source>
        <translation>Fehlmenge beim Kommissionieren</translation>
    </message>
    <message>
        <source>bin found empty</source>
        <translation>Lagerplatz leer vorgefunden</translation>
    </message>
    <message>
        <source>put-away refused</source>
        <translation>Einlagerung abgelehnt</translation>
    </message>
    <message>
        <source>supervisor request</source>
        <translation>Anforderung eines Vorgesetzten</translation>
    </message>
    <message>
        <source>Keep counted quantity</source>
        <translation>Gezählte Menge übernehmen</translation>
    </message>
    <message>
        <source>Keep the difference</source>
        <translation>Differenz übernehmen</translation>
    </message>
</context>
<context>
    <name>CountingScreen</name>
    <message>
        <source>Count</source>
        <translation>Inventur</translation>
    </message>
    <message>
        <source>Scan a count number, or choose a count</source>
        <translation>Zählnummer scannen oder eine Zählung wählen</translation>
    </message>
    <message>
        <source>Your counts due today: arrow keys, then Enter</source>
        <translation>Ihre heute fälligen Zählungen: Pfeiltasten, dann Enter</translation>
    </message>
    <message>
        <source>No counts are due for you today.</source>
        <translation>Für Sie sind heute keine Zählungen fällig.</translation>
    </message>
    <message>
        <source>Scan location {location}</source>
        <translation>Lagerplatz {location} scannen</translation>
    </message>
    <message>
        <source>Scan a location of {number}</source>
        <translation>Einen Lagerplatz von {number} scannen</translation>
    </message>
    <message>
        <source>{done} of {total} locations done</source>
        <translation>{done} von {total} Lagerplätzen erledigt</translation>
    </message>
    <message>
        <source>Scan every item in {location}</source>
        <translation>Jeden Artikel in {location} scannen</translation>
    </message>
    <message>
        <source>counted here so far: {units}</source>
        <translation>hier bisher gezählt: {units}</translation>
    </message>
    <message>
        <source>Next item: quantity {quantity}</source>
        <translation>Nächster Artikel: Menge {quantity}</translation>
    </message>
    <message>
        <source>Choose a count first: scan its number.</source>
        <translation>Zuerst eine Zählung wählen: ihre Nummer scannen.</translation>
    </message>
    <message>
        <source>Scan a location of {number} first.</source>
        <translation>Zuerst einen Lagerplatz von {number} scannen.</translation>
    </message>
    <message>
        <source>{code} does nothing here. Scan an item in {location}.</source>
        <translation>{code} bewirkt hier nichts. Einen Artikel in {location} scannen.</translation>
    </message>
    <message>
        <source>{code} is not one of your counts due today.</source>
        <translation>{code} ist keine Ihrer heute fälligen Zählungen.</translation>
    </message>
    <message>
        <source>{number}: scan location {location}</source>
        <translation>{number}: Lagerplatz {location} scannen</translation>
    </message>
    <message>
        <source>Back at {location}, {units} counted so far: scan every item</source>
        <translation>Zurück an {location}, bisher {units} gezählt: jeden Artikel scannen</translation>
    </message>
    <message>
        <source>{location}: count only {sku}, every one of them</source>
        <translation>{location}: nur {sku} zählen, jedes Stück</translation>
    </message>
    <message>
        <source>{location}: scan every item in it</source>
        <translation>{location}: jeden Artikel darin scannen</translation>
    </message>
    <message>
        <source>Not counted: {reason}</source>
        <translation>Nicht gezählt: {reason}</translation>
    </message>
    <message>
        <source>Scan or type the lot of {sku}</source>
        <translation>Charge von {sku} scannen oder eingeben</translation>
    </message>
    <message>
        <source>lot {lot}</source>
        <translation>Charge {lot}</translation>
    </message>
    <message>
        <source>Undone: {units} {sku} {name}{lot}. {total} counted here</source>
        <translation>Rückgängig: {units} {sku} {name}{lot}. {total} hier gezählt</translation>
    </message>
    <message>
        <source>+{units} {sku} {name}{lot}. {total} counted here</source>
        <translation>+{units} {sku} {name}{lot}. {total} hier gezählt</translation>
    </message>
    <message>
        <source>Already counted: {scan}</source>
        <translation>Bereits gezählt: {scan}</translation>
    </message>
    <message>
        <source>A supervisor decides the waiting results of {number}.</source>
        <translation>Ein Vorgesetzter entscheidet über die wartenden Ergebnisse von {number}.</translation>
    </message>
    <message>
        <source>No supervisor decision was made.</source>
        <translation>Es wurde keine Entscheidung eines Vorgesetzten getroffen.</translation>
    </message>
    <message>
        <source>Nothing of yours to undo at {location}</source>
        <translation>Nichts von Ihnen an {location} rückgängig zu machen</translation>
    </message>
    <message>
        <source>{location} confirmed empty.</source>
        <translation>{location} als leer bestätigt.</translation>
    </message>
    <message>
        <source>{location} done, {units} counted.</source>
        <translation>{location} erledigt, {units} gezählt.</translation>
    </message>
    <message>
        <source>Count {number} is complete.</source>
        <translation>Zählung {number} ist abgeschlossen.</translation>
    </message>
    <message>
        <source>Next: {location}</source>
        <translation>Weiter: {location}</translation>
    </message>
    <message>
        <source>Quantity cleared</source>
        <translation>Menge gelöscht</translation>
    </message>
    <message>
        <source>Left {location}: what you counted is saved. Scan it again to go on.</source>
        <translation>{location} verlassen: Ihre Zählung ist gespeichert. Erneut scannen, um fortzufahren.</translation>
    </message>
    <message>
        <source>Left {number}: what you counted is saved</source>
        <translation>{number} verlassen: Ihre Zählung ist gespeichert</translation>
    </message>
</context>
<context>
    <name>DashboardScreen</name>
    <message>
        <source>Order accuracy (%)</source>
        <translation>Auftragsgenauigkeit (%)</translation>
    </message>
    <message>
        <source>Cycle time, median (h)</source>
        <translation>Durchlaufzeit, Median (h)</translation>
    </message>
    <message>
        <source>Cycle time, 90th percentile (h)</source>
        <translation>Durchlaufzeit, 90. Perzentil (h)</translation>
    </message>
    <message>
        <source>Return rate (%)</source>
        <translation>Retourenquote (%)</translation>
    </message>
    <message>
        <source>Stockout rate (%)</source>
        <translation>Fehlmengenquote (%)</translation>
    </message>
    <message>
        <source>Dock-to-stock, median (h)</source>
        <translation>Rampe bis Lagerplatz, Median (h)</translation>
    </message>
    <message>
        <source>Dock-to-stock, 90th percentile (h)</source>
        <translation>Rampe bis Lagerplatz, 90. Perzentil (h)</translation>
    </message>
    <message>
        <source>Inventory turnover</source>
        <translation>Lagerumschlag</translation>
    </message>
    <message>
        <source>Inventory record accuracy (%)</source>
        <translation>Bestandsgenauigkeit (%)</translation>
    </message>
    <message>
        <source>Receipts open</source>
        <translation>Offene Wareneingänge</translation>
    </message>
    <message>
        <source>Put-away waiting</source>
        <translation>Einlagerung wartet</translation>
    </message>
    <message>
        <source>Latest figures and targets</source>
        <translation>Letzte Werte und Ziele</translation>
    </message>
    <message>
        <source>Waves not picked</source>
        <translation>Nicht kommissionierte Wellen</translation>
    </message>
    <message>
        <source>Counts open</source>
        <translation>Offene Zählungen</translation>
    </message>
    <message>
        <source>Replenishments open</source>
        <translation>Offene Nachschübe</translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation>Braucht Aufmerksamkeit</translation>
    </message>
    <message>
        <source>Returns to inspect</source>
        <translation>Zu prüfende Retouren</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>Übersicht</translation>
    </message>
    <message>
        <source>Open work now</source>
        <translation>Offene Arbeit jetzt</translation>
    </message>
    <message>
        <source>Operators today</source>
        <translation>Mitarbeiter heute</translation>
    </message>
    <message>
        <source>Latest</source>
        <translation>Zuletzt</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Anzahl</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>Mitarbeiter</translation>
    </message>
    <message>
        <source>Error rate</source>
        <translation>Fehlerquote</translation>
    </message>
    <message>
        <source>Hours</source>
        <translation>Stunden</translation>
    </message>
    <message>
        <source>Scans/h</source>
        <translation>Scans/h</translation>
    </message>
    <message>
        <source>Lines/h</source>
        <translation>Positionen/h</translation>
    </message>
    <message>
        <source>F5: refresh   Double-click a target to change it   Esc: back</source>
        <translation>F5: aktualisieren   Doppelklick auf ein Ziel ändert es   Esc: zurück</translation>
    </message>
    <message>
        <source>Daily figures of the last {days} days up to {today}; dashed line: target.</source>
        <translation>Tageswerte der letzten {days} Tage bis {today}; gestrichelte Linie: Ziel.</translation>
    </message>
    <message>
        <source>A target is a number, e.g. 99.5</source>
        <translation>Ein Ziel ist eine Zahl, z. B. 99,5</translation>
    </message>
</context>
<context>
    <name>DatabaseTargetDialog</name>
    <message>
        <source>Database</source>
        <translation>Datenbank</translation>
    </message>
    <message>
        <source>Database of this workstation: a file path (SQLite, one workstation) or a PostgreSQL URL such as postgresql://stockfloor@server/warehouse (shared).</source>
        <translation>Datenbank dieses Arbeitsplatzes: ein Dateipfad (SQLite, ein Arbeitsplatz) oder eine PostgreSQL-URL wie postgresql://stockfloor@server/warehouse (gemeinsam).</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Erneut versuchen</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
</context>
<context>
    <name>DecisionDialog</name>
    <message>
        <source>Approve counted lines</source>
        <translation>Gezählte Zeilen genehmigen</translation>
    </message>
    <message>
        <source>Reject counted lines</source>
        <translation>Gezählte Zeilen ablehnen</translation>
    </message>
    <message numerus="yes">
        <source>and %n more</source>
        <translation>
            <numerusform>und %n weitere</numerusform>
            <numerusform>und %n weitere</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Approve %n line(s): stock is adjusted to what was counted.</source>
        <translation>
            <numerusform>%n Zeile genehmigen: der Bestand wird auf die gezählte Menge gesetzt.</numerusform>
            <numerusform>%n Zeilen genehmigen: der Bestand wird auf die gezählte Menge gesetzt.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Reject %n line(s): stock stays as recorded.</source>
        <translation>
            <numerusform>%n Zeile ablehnen: der Bestand bleibt wie erfasst.</numerusform>
            <numerusform>%n Zeilen ablehnen: der Bestand bleibt wie erfasst.</numerusform>
        </translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>Stock moved while it was counted</source>
        <translation>Bestand wurde während der Zählung bewegt</translation>
    </message>
    <message>
        <source>Stock was put in or taken out after counting began. Choose:</source>
        <translation>Nach Beginn der Zählung wurde Ware eingelagert oder entnommen. Bitte wählen:</translation>
    </message>
    <message>
        <source>&amp;Keep counted quantity</source>
        <translation>Gezählte Menge &amp;übernehmen</translation>
    </message>
    <message>
        <source>Keep the &amp;difference</source>
        <translation>&amp;Differenz übernehmen</translation>
    </message>
    <message>
        <source>The location holds what was counted.</source>
        <translation>Der Lagerplatz enthält, was gezählt wurde.</translation>
    </message>
    <message>
        <source>Today&apos;s stock changes by the difference the count found.</source>
        <translation>Der heutige Bestand ändert sich um die gefundene Differenz.</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>Genehmigen</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>Ablehnen</translation>
    </message>
    <message>
        <source>{line}: expected {expected}, counted {counted} ({variance})</source>
        <translation>{line}: erwartet {expected}, gezählt {counted} ({variance})</translation>
    </message>
    <message>
        <source>{line}: {now} now, becomes {after} ({change})</source>
        <translation>{line}: jetzt {now}, wird {after} ({change})</translation>
    </message>
</context>
<context>
    <name>Dialogue</name>
    <message>
        <source>Esc / SF:CANCEL: cancel the question</source>
        <translation>Esc / SF:CANCEL: Frage abbrechen</translation>
    </message>
    <message>
        <source>That did not work (a program error). The details are in the log.</source>
        <translation>Das hat nicht geklappt (ein Programmfehler). Die Einzelheiten stehen im Protokoll.</translation>
    </message>
    <message>
        <source>Scan the label: a typed code is not accepted here. {prompt}</source>
        <translation>Etikett scannen: ein eingetippter Code wird hier nicht angenommen. {prompt}</translation>
    </message>
    <message>
        <source>{code} is a command, not an answer. {prompt} (SF:CANCEL: cancel)</source>
        <translation>{code} ist ein Befehl, keine Antwort. {prompt} (SF:CANCEL: abbrechen)</translation>
    </message>
    <message>
        <source>Scan the location label here.</source>
        <translation>Hier das Etikett des Lagerplatzes scannen.</translation>
    </message>
    <message>
        <source>Wrong check digits for {location}: scan its label or say its check digits.</source>
        <translation>Falsche Prüfziffern für {location}: das Etikett scannen oder die Prüfziffern nennen.</translation>
    </message>
    <message>
        <source>ALERT: wrong check digits twice. {message}</source>
        <translation>ALARM: zweimal falsche Prüfziffern. {message}</translation>
    </message>
    <message>
        <source>Cancelled: nothing recorded</source>
        <translation>Abgebrochen: nichts erfasst</translation>
    </message>
    <message>
        <source>Say why in a few words, then Enter</source>
        <translation>Grund in wenigen Worten angeben, dann Enter</translation>
    </message>
    <message>
        <source>Supervisor: type your PIN, then Enter</source>
        <translation>Vorgesetzter: PIN eingeben, dann Enter</translation>
    </message>
    <message>
        <source>{reason} Supervisor: scan your badge</source>
        <translation>{reason} Vorgesetzter: Ausweis scannen</translation>
    </message>
    <message>
        <source>A quantity is a number from {least} to {most}: type or scan it, then Enter.</source>
        <translation>Eine Menge ist eine Zahl von {least} bis {most}: eingeben oder scannen, dann Enter.</translation>
    </message>
    <message>
        <source>that is {label}&apos;s barcode</source>
        <translation>das ist der Barcode von {label}</translation>
    </message>
    <message>
        <source>that is {label}, not {wanted}</source>
        <translation>das ist {label}, nicht {wanted}</translation>
    </message>
    <message>
        <source>Not recorded: {what}. {prompt}</source>
        <translation>Nicht erfasst: {what}. {prompt}</translation>
    </message>
    <message>
        <source>a lot</source>
        <translation>eine Charge</translation>
    </message>
    <message>
        <source>Not recorded: that GS1 label has no lot. {prompt}</source>
        <translation>Nicht erfasst: dieses GS1-Etikett hat keine Charge. {prompt}</translation>
    </message>
    <message>
        <source>a serial number</source>
        <translation>eine Seriennummer</translation>
    </message>
    <message>
        <source>Not recorded: that GS1 label has no serial number. {prompt}</source>
        <translation>Nicht erfasst: dieses GS1-Etikett hat keine Seriennummer. {prompt}</translation>
    </message>
    <message>
        <source>An expiry is a date: type it as YYYY-MM-DD or scan the GS1 label.</source>
        <translation>Das Verfallsdatum ist ein Datum: als JJJJ-MM-TT eingeben oder das GS1-Etikett scannen.</translation>
    </message>
    <message>
        <source>A weight is a number of kilograms, e.g. 1.25.</source>
        <translation>Ein Gewicht ist eine Zahl in Kilogramm, z. B. 1,25.</translation>
    </message>
    <message>
        <source>a reason</source>
        <translation>ein Grund</translation>
    </message>
    <message>
        <source>Not a reason: type its number from the list. {prompt}</source>
        <translation>Kein Grund: seine Nummer aus der Liste eingeben. {prompt}</translation>
    </message>
    <message>
        <source>Not recorded: that is not a badge. {prompt}</source>
        <translation>Nicht erfasst: das ist kein Ausweis. {prompt}</translation>
    </message>
    <message>
        <source>Not one of the list: {got}. {prompt}</source>
        <translation>Nicht in der Liste: {got}. {prompt}</translation>
    </message>
    <message>
        <source>Wrong label {got}: scan {expected}.</source>
        <translation>Falsches Etikett {got}: {expected} scannen.</translation>
    </message>
</context>
<context>
    <name>DispatchTab</name>
    <message>
        <source>Carrier</source>
        <translation>Spediteur</translation>
    </message>
    <message>
        <source>SSCC</source>
        <translation>SSCC</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>Auftrag</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Dienst</translation>
    </message>
    <message>
        <source>Parcel</source>
        <translation>Paket</translation>
    </message>
    <message>
        <source>Weight (kg)</source>
        <translation>Gewicht (kg)</translation>
    </message>
    <message>
        <source>Carton</source>
        <translation>Karton</translation>
    </message>
    <message>
        <source>Ship to</source>
        <translation>Lieferadresse</translation>
    </message>
    <message>
        <source>Hand over to the carrier: mark shipped (Alt+D)</source>
        <translation>An den Spediteur übergeben: als versandt markieren (Alt+D)</translation>
    </message>
    <message>
        <source>Shipment confirmations as CSV (Alt+X)</source>
        <translation>Versandbestätigungen als CSV (Alt+X)</translation>
    </message>
    <message numerus="yes">
        <source>{carrier} (%n parcel(s))</source>
        <translation>
            <numerusform>{carrier} (%n Paket)</numerusform>
            <numerusform>{carrier} (%n Pakete)</numerusform>
        </translation>
    </message>
    <message>
        <source>No packed parcels are waiting.</source>
        <translation>Keine gepackten Pakete warten.</translation>
    </message>
    <message numerus="yes">
        <source>%n parcel(s) for this carrier. Alt+D hands over the selected ones, or all when none is selected.</source>
        <translation>
            <numerusform>%n Paket für diesen Spediteur. Alt+D übergibt die markierten, oder alle, wenn keines markiert ist.</numerusform>
            <numerusform>%n Pakete für diesen Spediteur. Alt+D übergibt die markierten, oder alle, wenn keines markiert ist.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Shipment {number}: %n parcel(s) handed to {carrier}; orders shipped: {orders}</source>
        <translation>
            <numerusform>Sendung {number}: %n Paket an {carrier} übergeben; versandte Aufträge: {orders}</numerusform>
            <numerusform>Sendung {number}: %n Pakete an {carrier} übergeben; versandte Aufträge: {orders}</numerusform>
        </translation>
    </message>
    <message>
        <source>Shipment confirmations</source>
        <translation>Versandbestätigungen</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <source>Writing the shipment confirmations…</source>
        <translation>Die Versandbestätigungen werden geschrieben…</translation>
    </message>
    <message>
        <source>Could not write {path}: {reason}</source>
        <translation>{path} konnte nicht geschrieben werden: {reason}</translation>
    </message>
    <message numerus="yes">
        <source>%n shipped parcel(s) written to {path}</source>
        <translation>
            <numerusform>%n versandtes Paket nach {path} geschrieben</numerusform>
            <numerusform>%n versandte Pakete nach {path} geschrieben</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FacesScreen</name>
    <message>
        <source>Pick faces and replenishment</source>
        <translation>Kommissionierplätze und Nachschub</translation>
    </message>
    <message>
        <source>Pick faces (orange: below min)</source>
        <translation>Kommissionierplätze (orange: unter Minimum)</translation>
    </message>
    <message>
        <source>Open replenishment tasks</source>
        <translation>Offene Nachschubaufträge</translation>
    </message>
    <message>
        <source>&amp;Location</source>
        <translation>&amp;Lagerplatz</translation>
    </message>
    <message>
        <source>S&amp;KU</source>
        <translation>&amp;Artikelnr.</translation>
    </message>
    <message>
        <source>M&amp;in</source>
        <translation>M&amp;in</translation>
    </message>
    <message>
        <source>M&amp;ax</source>
        <translation>M&amp;ax</translation>
    </message>
    <message>
        <source>&amp;Unit</source>
        <translation>&amp;Einheit</translation>
    </message>
    <message>
        <source>&amp;Save levels</source>
        <translation>Füllstände &amp;speichern</translation>
    </message>
    <message>
        <source>&amp;Remove levels</source>
        <translation>Füllstände &amp;entfernen</translation>
    </message>
    <message>
        <source>&amp;Cancel task</source>
        <translation>Auftrag &amp;stornieren</translation>
    </message>
    <message>
        <source>Face</source>
        <translation>Platz</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Artikel</translation>
    </message>
    <message>
        <source>On hand</source>
        <translation>Bestand</translation>
    </message>
    <message>
        <source>Min</source>
        <translation>Min</translation>
    </message>
    <message>
        <source>Max</source>
        <translation>Max</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Einheit</translation>
    </message>
    <message>
        <source>To bring</source>
        <translation>Zu bringen</translation>
    </message>
    <message>
        <source>Orders wait</source>
        <translation>Aufträge warten</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>below min</source>
        <translation>unter Minimum</translation>
    </message>
    <message>
        <source>orders short</source>
        <translation>Aufträge unterdeckt</translation>
    </message>
    <message>
        <source>{location}: {sku}, min {min}, max {max}, unit {unit}</source>
        <translation>{location}: {sku}, Min {min}, Max {max}, Einheit {unit}</translation>
    </message>
    <message>
        <source>{location} is no longer replenished</source>
        <translation>{location} wird nicht mehr nachgefüllt</translation>
    </message>
    <message>
        <source>Select a task first</source>
        <translation>Zuerst einen Auftrag auswählen</translation>
    </message>
    <message>
        <source>Task for {face} cancelled</source>
        <translation>Auftrag für {face} storniert</translation>
    </message>
</context>
<context>
    <name>FloorScreen</name>
    <message>
        <source>Esc: back</source>
        <extracomment>Changes that make refresh() run (e.g. Changes(stock=True, receipts=True)). The scan journal&apos;s context for failed scans on this screen. Take the focus back from buttons (floor screens); off where Tab should reach buttons.</extracomment>
        <translation>Esc: zurück</translation>
    </message>
    <message>
        <source>Type or scan the quantity for the next item, then Enter</source>
        <translation>Menge für den nächsten Artikel eingeben oder scannen, dann Enter</translation>
    </message>
    <message>
        <source>A quantity is a number from 1 to {most}.</source>
        <translation>Eine Menge ist eine Zahl von 1 bis {most}.</translation>
    </message>
    <message>
        <source>Next item counts {quantity} times: scan it</source>
        <translation>Der nächste Artikel zählt {quantity}-mal: scannen</translation>
    </message>
    <message>
        <source>{code} does nothing here. {prompt}</source>
        <translation>{code} bewirkt hier nichts. {prompt}</translation>
    </message>
</context>
<context>
    <name>HomeScreen</name>
    <message>
        <source>Hello, {name}</source>
        <translation>Hallo, {name}</translation>
    </message>
    <message>
        <source>Choose a task</source>
        <translation>Aufgabe wählen</translation>
    </message>
    <message>
        <source>No tasks are available for your role yet.</source>
        <translation>Für Ihre Rolle sind noch keine Aufgaben verfügbar.</translation>
    </message>
    <message>
        <source>Log out (Ctrl+L)</source>
        <translation>Abmelden (Strg+L)</translation>
    </message>
    <message>
        <source>F1-F12: open a task    Tab, arrows: move    Enter: open    Ctrl+L or scan SF:LOGOUT: log out</source>
        <translation>F1-F12: Aufgabe öffnen    Tab, Pfeile: bewegen    Enter: öffnen    Strg+L oder SF:LOGOUT scannen: abmelden</translation>
    </message>
    <message>
        <source>Choose a task first (F1-F12), then scan.</source>
        <translation>Zuerst eine Aufgabe wählen (F1-F12), dann scannen.</translation>
    </message>
</context>
<context>
    <name>InspectionPanel</name>
    <message>
        <source>lot/serial {lot}</source>
        <translation>Charge/Seriennr. {lot}</translation>
    </message>
    <message>
        <source>Customer&apos;s reason: {reason}</source>
        <translation>Grund des Kunden: {reason}</translation>
    </message>
    <message>
        <source>Check: {flags}</source>
        <translation>Prüfen: {flags}</translation>
    </message>
    <message>
        <source>(checklist)</source>
        <translation>(Checkliste)</translation>
    </message>
    <message>
        <source>Findings: {findings}</source>
        <translation>Befunde: {findings}</translation>
    </message>
    <message>
        <source>Notes: {notes}</source>
        <translation>Notizen: {notes}</translation>
    </message>
    <message>
        <source>Grade it: 1–4 or A–D, then Enter (or scan SF:GRADE-A … SF:GRADE-D)</source>
        <translation>Bewerten: 1–4 oder A–D, dann Enter (oder SF:GRADE-A … SF:GRADE-D scannen)</translation>
    </message>
    <message>
        <source>Grade {grade} → {disposition} → {destination}    refund {refund}%</source>
        <translation>Note {grade} → {disposition} → {destination}    Erstattung {refund}%</translation>
    </message>
    <message>
        <source>Not what the rules say: a supervisor must approve.</source>
        <translation>Nicht nach den Regeln: ein Vorgesetzter muss genehmigen.</translation>
    </message>
    <message>
        <source>Worth {value}, over {limit}: a supervisor must approve.</source>
        <translation>Wert {value}, über {limit}: ein Vorgesetzter muss genehmigen.</translation>
    </message>
    <message>
        <source>Enter or SF:CONFIRM: route it and print its label</source>
        <translation>Enter oder SF:CONFIRM: weiterleiten und Etikett drucken</translation>
    </message>
</context>
<context>
    <name>JournalScreen</name>
    <message>
        <source>Scan journal</source>
        <translation>Scanprotokoll</translation>
    </message>
    <message>
        <source>&amp;User</source>
        <translation>&amp;Benutzer</translation>
    </message>
    <message>
        <source>&amp;Workstation</source>
        <translation>&amp;Arbeitsplatz</translation>
    </message>
    <message>
        <source>&amp;Outcome</source>
        <translation>&amp;Ergebnis</translation>
    </message>
    <message>
        <source>&amp;Since</source>
        <translation>&amp;Seit</translation>
    </message>
    <message>
        <source>&amp;Text or message</source>
        <translation>&amp;Text oder Meldung</translation>
    </message>
    <message>
        <source>any</source>
        <translation>alle</translation>
    </message>
    <message>
        <source>&amp;More (older scans)</source>
        <translation>&amp;Mehr (ältere Scans)</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Workstation</source>
        <translation>Arbeitsplatz</translation>
    </message>
    <message>
        <source>Screen and step</source>
        <translation>Bildschirm und Schritt</translation>
    </message>
    <message>
        <source>Scan</source>
        <translation>Scan</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Meldung</translation>
    </message>
    <message>
        <source>Esc: back</source>
        <translation>Esc: zurück</translation>
    </message>
    <message>
        <source>{count} scans shown, newest first</source>
        <translation>{count} Scans angezeigt, neueste zuerst</translation>
    </message>
</context>
<context>
    <name>LoginScreen</name>
    <message>
        <source>Stockfloor: log in</source>
        <translation>Stockfloor: Anmeldung</translation>
    </message>
    <message>
        <source>Scan your badge</source>
        <translation>Ausweis scannen</translation>
    </message>
    <message>
        <source>Or type your user name and PIN</source>
        <translation>Oder Benutzername und PIN eingeben</translation>
    </message>
    <message>
        <source>&amp;User name</source>
        <translation>&amp;Benutzername</translation>
    </message>
    <message>
        <source>&amp;PIN</source>
        <translation>&amp;PIN</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>Anmelden</translation>
    </message>
    <message>
        <source>Database... (F10)</source>
        <translation>Datenbank... (F10)</translation>
    </message>
    <message>
        <source>Database: {database}</source>
        <translation>Datenbank: {database}</translation>
    </message>
    <message>
        <source>Tab: type user name and PIN instead</source>
        <translation>Tab: stattdessen Benutzername und PIN eingeben</translation>
    </message>
    <message>
        <source>Type your PIN again, then Enter</source>
        <translation>PIN erneut eingeben, dann Enter</translation>
    </message>
    <message>
        <source>Type your user name, then your PIN.</source>
        <translation>Benutzernamen eingeben, dann die PIN.</translation>
    </message>
    <message>
        <source>Database set to {target}. Start Stockfloor again to use it.</source>
        <translation>Datenbank auf {target} gesetzt. Stockfloor neu starten, um sie zu verwenden.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Stockfloor - {workstation}</source>
        <translation>Stockfloor - {workstation}</translation>
    </message>
    <message>
        <source>(demo data)</source>
        <translation>(Demodaten)</translation>
    </message>
    <message>
        <source>Nobody logged in</source>
        <translation>Niemand angemeldet</translation>
    </message>
    <message>
        <source>{name} ({role})</source>
        <translation>{name} ({role})</translation>
    </message>
    <message>
        <source>Workstation {name}</source>
        <translation>Arbeitsplatz {name}</translation>
    </message>
    <message>
        <source>Database {url}</source>
        <translation>Datenbank {url}</translation>
    </message>
</context>
<context>
    <name>MyCountsList</name>
    <message>
        <source>{number}    {kind} {about}    {done} of {total} locations done</source>
        <translation>{number}    {kind} {about}    {done} von {total} Lagerplätzen erledigt</translation>
    </message>
    <message>
        <source>next: {location}</source>
        <translation>weiter: {location}</translation>
    </message>
    <message>
        <source>(anyone&apos;s)</source>
        <translation>(beliebig)</translation>
    </message>
</context>
<context>
    <name>OfflineDesk</name>
    <message>
        <source>Not saved: the offline outbox cannot be written ({kind}).</source>
        <translation>Nicht gespeichert: der Offline-Ausgang kann nicht geschrieben werden ({kind}).</translation>
    </message>
</context>
<context>
    <name>OfflineStatus</name>
    <message numerus="yes">
        <source>Offline — %n scan(s) waiting</source>
        <translation>
            <numerusform>Offline — %n Scan wartet</numerusform>
            <numerusform>Offline — %n Scans warten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Back online: sending %n offline scan(s)</source>
        <translation>
            <numerusform>Wieder online: %n Offline-Scan wird gesendet</numerusform>
            <numerusform>Wieder online: %n Offline-Scans werden gesendet</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n offline scan(s) need a supervisor</source>
        <translation>
            <numerusform>%n Offline-Scan braucht einen Vorgesetzten</numerusform>
            <numerusform>%n Offline-Scans brauchen einen Vorgesetzten</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>OpenReceiptsList</name>
    <message>
        <source>{number}    {supplier}    {kind}    {done} of {expected} units</source>
        <translation>{number}    {supplier}    {kind}    {done} von {expected} Einheiten</translation>
    </message>
</context>
<context>
    <name>OpenRmasList</name>
    <message>
        <source>{rma}    order {order}    {received} of {expected} units</source>
        <translation>{rma}    Auftrag {order}    {received} von {expected} Einheiten</translation>
    </message>
</context>
<context>
    <name>OpenWavesList</name>
    <message numerus="yes">
        <source>{number}    {mode}, %n order(s)    {done} of {total} lines picked    {status}</source>
        <translation>
            <numerusform>{number}    {mode}, %n Auftrag    {done} von {total} Zeilen kommissioniert    {status}</numerusform>
            <numerusform>{number}    {mode}, %n Aufträge    {done} von {total} Zeilen kommissioniert    {status}</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PackLinesModel</name>
    <message>
        <source>SKU</source>
        <translation>Artikelnr.</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Artikel</translation>
    </message>
    <message>
        <source>Ordered</source>
        <translation>Bestellt</translation>
    </message>
    <message>
        <source>Picked</source>
        <translation>Kommissioniert</translation>
    </message>
    <message>
        <source>Packed</source>
        <translation>Gepackt</translation>
    </message>
    <message>
        <source>In tote</source>
        <translation>In der Kiste</translation>
    </message>
    <message>
        <source>{units} missing</source>
        <translation>{units} fehlen</translation>
    </message>
</context>
<context>
    <name>PackScreen</name>
    <message>
        <source>Pack</source>
        <translation>Verpacken</translation>
    </message>
    <message>
        <source>Scan a tote or an order number</source>
        <translation>Kiste oder Auftragsnummer scannen</translation>
    </message>
    <message>
        <source>Or choose a picked order: arrow keys, then Enter</source>
        <translation>Oder einen kommissionierten Auftrag wählen: Pfeiltasten, dann Enter</translation>
    </message>
    <message>
        <source>No picked orders are waiting.</source>
        <translation>Keine kommissionierten Aufträge warten.</translation>
    </message>
    <message>
        <source>Next item counts {quantity} times</source>
        <translation>Der nächste Artikel zählt {quantity}-mal</translation>
    </message>
    <message>
        <source>Weigh parcel {number}: type or scan its weight in kg, then Enter</source>
        <translation>Paket {number} wiegen: Gewicht in kg eingeben oder scannen, dann Enter</translation>
    </message>
    <message>
        <source>Scan the lot of the item (GS1 label) or type it</source>
        <translation>Charge des Artikels scannen (GS1-Etikett) oder eingeben</translation>
    </message>
    <message>
        <source>Scan each item into parcel {number} ({units} left in the tote)</source>
        <translation>Jeden Artikel in Paket {number} scannen ({units} noch in der Kiste)</translation>
    </message>
    <message>
        <source>Everything is in parcel {number}: F8 / SF:CLOSE to weigh and close it</source>
        <translation>Alles ist in Paket {number}: F8 / SF:CLOSE zum Wiegen und Schließen</translation>
    </message>
    <message numerus="yes">
        <source>%n unit(s) never picked: a supervisor splits them off (F7 / SF:SPLIT)</source>
        <translation>
            <numerusform>%n Einheit nie kommissioniert: ein Vorgesetzter trennt sie ab (F7 / SF:SPLIT)</numerusform>
            <numerusform>%n Einheiten nie kommissioniert: ein Vorgesetzter trennt sie ab (F7 / SF:SPLIT)</numerusform>
        </translation>
    </message>
    <message>
        <source>Everything is packed: F9 / SF:CONFIRM finishes the order</source>
        <translation>Alles ist gepackt: F9 / SF:CONFIRM schließt den Auftrag ab</translation>
    </message>
    <message>
        <source>Carton: {code} (chosen; F5 to change)</source>
        <translation>Karton: {code} (gewählt; F5 zum Ändern)</translation>
    </message>
    <message>
        <source>Carton: {code} (suggested; scan another carton or F5 to change)</source>
        <translation>Karton: {code} (vorgeschlagen; anderen Karton scannen oder F5 zum Ändern)</translation>
    </message>
    <message>
        <source>Carton: no carton fits everything: choose one (F5) or pack into several parcels</source>
        <translation>Karton: kein Karton fasst alles: einen wählen (F5) oder in mehrere Pakete packen</translation>
    </message>
    <message>
        <source>Open an order first: scan its tote or number.</source>
        <translation>Zuerst einen Auftrag öffnen: seine Kiste oder Nummer scannen.</translation>
    </message>
    <message>
        <source>{code} does nothing here.</source>
        <translation>{code} bewirkt hier nichts.</translation>
    </message>
    <message>
        <source>{order}: scan the first item</source>
        <translation>{order}: ersten Artikel scannen</translation>
    </message>
    <message>
        <source>Carton {code} for parcel {number}</source>
        <translation>Karton {code} für Paket {number}</translation>
    </message>
    <message>
        <source>Which carton? Scan it or type its number</source>
        <translation>Welcher Karton? Scannen oder seine Nummer eingeben</translation>
    </message>
    <message>
        <source>+{units} {sku} → parcel {parcel} ({packed} of {ordered})</source>
        <translation>+{units} {sku} → Paket {parcel} ({packed} von {ordered})</translation>
    </message>
    <message>
        <source>Already counted: {scan}</source>
        <translation>Bereits gezählt: {scan}</translation>
    </message>
    <message>
        <source>Tote empty: F8 / SF:CLOSE to weigh and close</source>
        <translation>Kiste leer: F8 / SF:CLOSE zum Wiegen und Schließen</translation>
    </message>
    <message>
        <source>Nothing of yours to undo on {order}</source>
        <translation>Nichts von Ihnen auf {order} rückgängig zu machen</translation>
    </message>
    <message>
        <source>Undone: -{units} {sku} out of parcel {parcel}: back in the tote</source>
        <translation>Rückgängig: -{units} {sku} aus Paket {parcel}: zurück in die Kiste</translation>
    </message>
    <message>
        <source>No parcel is open: scan an item into one first.</source>
        <translation>Kein Paket ist offen: zuerst einen Artikel in eines scannen.</translation>
    </message>
    <message>
        <source>&apos;{text}&apos; is not a weight: type the kilograms, like 1.25</source>
        <translation>&apos;{text}&apos; ist kein Gewicht: Kilogramm eingeben, z. B. 1.25</translation>
    </message>
    <message>
        <source>Cleared: scan again</source>
        <translation>Gelöscht: erneut scannen</translation>
    </message>
    <message>
        <source>Left {order}: everything packed is saved</source>
        <translation>{order} verlassen: alles Gepackte ist gespeichert</translation>
    </message>
</context>
<context>
    <name>ParcelActions</name>
    <message>
        <source>No parcel is open: scan an item into one first.</source>
        <translation>Kein Paket ist offen: zuerst einen Artikel in eines scannen.</translation>
    </message>
    <message numerus="yes">
        <source>Parcel {number} closed: {carton}, {kg} kg, %n unit(s).</source>
        <translation>
            <numerusform>Paket {number} geschlossen: {carton}, {kg} kg, %n Einheit.</numerusform>
            <numerusform>Paket {number} geschlossen: {carton}, {kg} kg, %n Einheiten.</numerusform>
        </translation>
    </message>
    <message>
        <source>Not printed: {reason}</source>
        <translation>Nicht gedruckt: {reason}</translation>
    </message>
    <message>
        <source>Label and packing slip: {printer}</source>
        <translation>Etikett und Lieferschein: {printer}</translation>
    </message>
    <message>
        <source>F7 / SF:SPLIT</source>
        <translation>F7 / SF:SPLIT</translation>
    </message>
    <message numerus="yes">
        <source>{order} packed: %n parcel(s) for {carrier}</source>
        <translation>
            <numerusform>{order} gepackt: %n Paket für {carrier}</numerusform>
            <numerusform>{order} gepackt: %n Pakete für {carrier}</numerusform>
        </translation>
    </message>
    <message>
        <source>Split the units of {order} that were never picked off into a backorder?</source>
        <translation>Die nie kommissionierten Einheiten von {order} in einen Rückstand abtrennen?</translation>
    </message>
    <message>
        <source>Not split: a supervisor must approve</source>
        <translation>Nicht abgetrennt: ein Vorgesetzter muss genehmigen</translation>
    </message>
    <message>
        <source>Split: {moved} to backorder {backorder}, approved by {name}.</source>
        <translation>Abgetrennt: {moved} in Rückstand {backorder}, genehmigt von {name}.</translation>
    </message>
</context>
<context>
    <name>ParcelsList</name>
    <message numerus="yes">
        <source>Parcel {number}    open    %n unit(s)    SSCC {sscc}</source>
        <translation>
            <numerusform>Paket {number}    offen    %n Einheit    SSCC {sscc}</numerusform>
            <numerusform>Paket {number}    offen    %n Einheiten    SSCC {sscc}</numerusform>
        </translation>
    </message>
    <message>
        <source>{kg} kg</source>
        <translation>{kg} kg</translation>
    </message>
    <message numerus="yes">
        <source>Parcel {number}    closed    %n unit(s)    {carton}    {weight}    SSCC {sscc}</source>
        <translation>
            <numerusform>Paket {number}    geschlossen    %n Einheit    {carton}    {weight}    SSCC {sscc}</numerusform>
            <numerusform>Paket {number}    geschlossen    %n Einheiten    {carton}    {weight}    SSCC {sscc}</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PickListModel</name>
    <message>
        <source>Location</source>
        <translation>Lagerplatz</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>Artikelnr.</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Artikel</translation>
    </message>
    <message>
        <source>Lot</source>
        <translation>Charge</translation>
    </message>
    <message>
        <source>Qty</source>
        <translation>Menge</translation>
    </message>
    <message>
        <source>Picked</source>
        <translation>Kommissioniert</translation>
    </message>
    <message>
        <source>Tote</source>
        <translation>Kiste</translation>
    </message>
    <message>
        <source>{missing} short</source>
        <translation>{missing} fehlen</translation>
    </message>
</context>
<context>
    <name>PickScreen</name>
    <message>
        <source>Pick</source>
        <translation>Kommissionieren</translation>
    </message>
    <message>
        <source>Scan a wave or one of its totes, or press Enter for the next wave</source>
        <translation>Welle oder eine ihrer Kisten scannen, oder Enter für die nächste Welle</translation>
    </message>
    <message>
        <source>Waves waiting to be picked, oldest first (arrow keys, then Enter):</source>
        <translation>Wellen, die auf Kommissionierung warten, älteste zuerst (Pfeiltasten, dann Enter):</translation>
    </message>
    <message>
        <source>No waves are waiting. A supervisor releases them.</source>
        <translation>Keine Wellen warten. Ein Vorgesetzter gibt sie frei.</translation>
    </message>
    <message>
        <source>Next item counts {quantity} times</source>
        <translation>Der nächste Artikel zählt {quantity}-mal</translation>
    </message>
    <message>
        <source>Scan the lot of {sku}</source>
        <translation>Charge von {sku} scannen</translation>
    </message>
    <message>
        <source>Everything is picked</source>
        <translation>Alles ist kommissioniert</translation>
    </message>
    <message>
        <source>Go to {location} — scan the location</source>
        <translation>Gehen Sie zu {location} — Lagerplatz scannen</translation>
    </message>
    <message>
        <source>Pick {quantity} × {sku} {name}</source>
        <translation>{quantity} × {sku} {name} entnehmen</translation>
    </message>
    <message>
        <source>(lot {lot})</source>
        <translation>(Charge {lot})</translation>
    </message>
    <message>
        <source>tote {slot}</source>
        <translation>Kiste {slot}</translation>
    </message>
    <message numerus="yes">
        <source>{done} of %n line(s)</source>
        <translation>
            <numerusform>{done} von %n Zeile</numerusform>
            <numerusform>{done} von %n Zeilen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{picked} of %n unit(s)</source>
        <translation>
            <numerusform>{picked} von %n Einheit</numerusform>
            <numerusform>{picked} von %n Einheiten</numerusform>
        </translation>
    </message>
    <message>
        <source>tote {slot}: {order}</source>
        <translation>Kiste {slot}: {order}</translation>
    </message>
    <message>
        <source>Choose a wave first: scan its number or press Enter.</source>
        <translation>Zuerst eine Welle wählen: ihre Nummer scannen oder Enter drücken.</translation>
    </message>
    <message>
        <source>{code} does nothing here.</source>
        <translation>{code} bewirkt hier nichts.</translation>
    </message>
    <message>
        <source>{code} is not a wave: scan a wave number like W000012 or a tote.</source>
        <translation>{code} ist keine Welle: eine Wellennummer wie W000012 oder eine Kiste scannen.</translation>
    </message>
    <message>
        <source>{wave} is picked already: take its cart to packing</source>
        <translation>{wave} ist bereits kommissioniert: den Wagen zum Packplatz bringen</translation>
    </message>
    <message numerus="yes">
        <source>{wave}: %n line(s), go to {location}</source>
        <translation>
            <numerusform>{wave}: %n Zeile, gehen Sie zu {location}</numerusform>
            <numerusform>{wave}: %n Zeilen, gehen Sie zu {location}</numerusform>
        </translation>
    </message>
    <message>
        <source>At {location}: pick {quantity} × {sku}</source>
        <translation>An {location}: {quantity} × {sku} entnehmen</translation>
    </message>
    <message>
        <source>Into tote {slot}: scan its label {label}</source>
        <translation>In Kiste {slot}: ihr Etikett {label} scannen</translation>
    </message>
    <message>
        <source>+{units} {sku} → tote {slot}</source>
        <translation>+{units} {sku} → Kiste {slot}</translation>
    </message>
    <message>
        <source>({picked} of {quantity})</source>
        <translation>({picked} von {quantity})</translation>
    </message>
    <message>
        <source>Already counted: {scan}</source>
        <translation>Bereits gezählt: {scan}</translation>
    </message>
    <message>
        <source>Next: {location}</source>
        <translation>Weiter: {location}</translation>
    </message>
    <message>
        <source>{wave} is picked: take the cart to packing</source>
        <translation>{wave} ist kommissioniert: den Wagen zum Packplatz bringen</translation>
    </message>
    <message>
        <source>Nothing of yours to undo on {wave}</source>
        <translation>Nichts von Ihnen auf {wave} rückgängig zu machen</translation>
    </message>
    <message>
        <source>Undone: -{units} {sku} from tote {slot}: put it back in {location}</source>
        <translation>Rückgängig: -{units} {sku} aus Kiste {slot}: zurück nach {location} legen</translation>
    </message>
    <message>
        <source>Cleared: scan again</source>
        <translation>Gelöscht: erneut scannen</translation>
    </message>
    <message>
        <source>Left {wave}: everything picked is saved</source>
        <translation>{wave} verlassen: alles Kommissionierte ist gespeichert</translation>
    </message>
    <message>
        <source>single order</source>
        <translation>Einzelauftrag</translation>
    </message>
    <message>
        <source>batch</source>
        <translation>Sammelkommissionierung</translation>
    </message>
    <message>
        <source>released</source>
        <translation>freigegeben</translation>
    </message>
    <message>
        <source>being picked</source>
        <translation>wird kommissioniert</translation>
    </message>
    <message>
        <source>picked</source>
        <translation>kommissioniert</translation>
    </message>
</context>
<context>
    <name>PinForm</name>
    <message>
        <source>New PIN for {name}</source>
        <translation>Neue PIN für {name}</translation>
    </message>
    <message>
        <source>Reset PIN</source>
        <translation>PIN zurücksetzen</translation>
    </message>
</context>
<context>
    <name>PlanForm</name>
    <message>
        <source>Plan a count</source>
        <translation>Zählung planen</translation>
    </message>
    <message>
        <source>Location &amp;range</source>
        <translation>Lagerplatz&amp;bereich</translation>
    </message>
    <message>
        <source>to</source>
        <translation>bis</translation>
    </message>
    <message>
        <source>first location, e.g. A-01-01</source>
        <translation>erster Lagerplatz, z. B. A-01-01</translation>
    </message>
    <message>
        <source>last location</source>
        <translation>letzter Lagerplatz</translation>
    </message>
    <message>
        <source>&amp;Zone</source>
        <translation>&amp;Zone</translation>
    </message>
    <message>
        <source>zone, e.g. Z1</source>
        <translation>Zone, z. B. Z1</translation>
    </message>
    <message>
        <source>SKU or barcode: every location holding it</source>
        <translation>Artikelnr. oder Barcode: jeder Lagerplatz, der ihn enthält</translation>
    </message>
    <message>
        <source>Pro&amp;duct</source>
        <translation>Arti&amp;kel</translation>
    </message>
    <message>
        <source>ABC sc&amp;hedule</source>
        <translation>ABC-&amp;Plan</translation>
    </message>
    <message>
        <source>Coun&amp;ter</source>
        <translation>&amp;Zähler</translation>
    </message>
    <message>
        <source>D&amp;ue</source>
        <translation>F&amp;ällig</translation>
    </message>
    <message>
        <source>&amp;Blind: counters never see the quantities on record</source>
        <translation>&amp;Blind: Zähler sehen die erfassten Mengen nie</translation>
    </message>
    <message>
        <source>&amp;Plan count</source>
        <translation>Zählung &amp;planen</translation>
    </message>
    <message>
        <source>Anyone</source>
        <translation>Beliebig</translation>
    </message>
    <message numerus="yes">
        <source>%n product(s) are due for counting today</source>
        <translation>
            <numerusform>%n Artikel ist heute zur Zählung fällig</numerusform>
            <numerusform>%n Artikel sind heute zur Zählung fällig</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing is due for counting today</source>
        <translation>Heute ist nichts zur Zählung fällig</translation>
    </message>
    <message>
        <source>Type the first location of the range (and the last, for more than one).</source>
        <translation>Ersten Lagerplatz des Bereichs eingeben (und den letzten, für mehr als einen).</translation>
    </message>
    <message>
        <source>Type the zone to count.</source>
        <translation>Zu zählende Zone eingeben.</translation>
    </message>
    <message>
        <source>Type or scan the SKU or barcode of the product to count.</source>
        <translation>Artikelnr. oder Barcode des zu zählenden Artikels eingeben oder scannen.</translation>
    </message>
    <message>
        <source>Nothing new to plan: every product due already has an open count.</source>
        <translation>Nichts Neues zu planen: jeder fällige Artikel hat schon eine offene Zählung.</translation>
    </message>
    <message numerus="yes">
        <source>Planned {number}: %n location(s)</source>
        <translation>
            <numerusform>{number} geplant: %n Lagerplatz</numerusform>
            <numerusform>{number} geplant: %n Lagerplätze</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Planned %n counts</source>
        <translation>
            <numerusform>%n Zählung geplant</numerusform>
            <numerusform>%n Zählungen geplant</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PlanningScreen</name>
    <message>
        <source>anyone</source>
        <translation>beliebig</translation>
    </message>
    <message>
        <source>{done} of {total}</source>
        <translation>{done} von {total}</translation>
    </message>
    <message>
        <source>blind</source>
        <translation>blind</translation>
    </message>
    <message>
        <source>quantities shown</source>
        <translation>Mengen sichtbar</translation>
    </message>
    <message>
        <source>Select a count in the list first.</source>
        <translation>Zuerst eine Zählung in der Liste wählen.</translation>
    </message>
    <message numerus="yes">
        <source>%n count(s) given to {counter}, due {due}</source>
        <translation>
            <numerusform>%n Zählung an {counter} vergeben, fällig {due}</numerusform>
            <numerusform>%n Zählungen an {counter} vergeben, fällig {due}</numerusform>
        </translation>
    </message>
    <message>
        <source>Cancel {numbers}? What was not yet settled changes no stock.</source>
        <translation>{numbers} stornieren? Was noch nicht abgeschlossen ist, ändert keinen Bestand.</translation>
    </message>
    <message>
        <source>Cancelled {numbers}</source>
        <translation>{numbers} storniert</translation>
    </message>
    <message>
        <source>Cancel counts</source>
        <translation>Zählungen stornieren</translation>
    </message>
    <message>
        <source>Save count sheet</source>
        <translation>Zählliste speichern</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF-Dateien (*.pdf)</translation>
    </message>
    <message>
        <source>Writing the count sheet of {count}…</source>
        <translation>Die Zählliste von {count} wird geschrieben…</translation>
    </message>
    <message>
        <source>Could not write the file: {reason}</source>
        <translation>Die Datei konnte nicht geschrieben werden: {reason}</translation>
    </message>
    <message>
        <source>Count sheet {number} saved to {path}</source>
        <translation>Zählliste {number} gespeichert unter {path}</translation>
    </message>
    <message>
        <source>Plan counts</source>
        <translation>Zählungen planen</translation>
    </message>
    <message>
        <source>Counts</source>
        <translation>Zählungen</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>Genauigkeit</translation>
    </message>
    <message>
        <source>Open counts</source>
        <translation>Offene Zählungen</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Inventur</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Was</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>Fällig</translation>
    </message>
    <message>
        <source>Counter</source>
        <translation>Zähler</translation>
    </message>
    <message>
        <source>Locations done</source>
        <translation>Lagerplätze erledigt</translation>
    </message>
    <message>
        <source>Blind</source>
        <translation>Blind</translation>
    </message>
    <message>
        <source>&amp;Assign to counter and due date</source>
        <translation>Zähler und Fälligkeit &amp;zuweisen</translation>
    </message>
    <message>
        <source>Print count &amp;sheet…</source>
        <translation>Zähl&amp;liste drucken…</translation>
    </message>
    <message>
        <source>Ca&amp;ncel count…</source>
        <translation>Zählung stor&amp;nieren…</translation>
    </message>
    <message>
        <source>Alt+P: plan    Alt+A: assign selected    Alt+S: count sheet    Ctrl+Tab: accuracy report    Esc: back</source>
        <translation>Alt+P: planen    Alt+A: Auswahl zuweisen    Alt+S: Zählliste    Strg+Tab: Genauigkeitsbericht    Esc: zurück</translation>
    </message>
</context>
<context>
    <name>PolicyScreen</name>
    <message>
        <source>Count policy</source>
        <translation>Zählrichtlinie</translation>
    </message>
    <message>
        <source>ABC classes</source>
        <translation>ABC-Klassen</translation>
    </message>
    <message>
        <source>&amp;A: first share of movement</source>
        <translation>&amp;A: erster Anteil der Bewegung</translation>
    </message>
    <message>
        <source>&amp;B: up to</source>
        <translation>&amp;B: bis</translation>
    </message>
    <message>
        <source>B&amp;y</source>
        <translation>&amp;Nach</translation>
    </message>
    <message>
        <source>&amp;Look back (days)</source>
        <translation>&amp;Rückblick (Tage)</translation>
    </message>
    <message>
        <source>value (units × cost)</source>
        <translation>Wert (Stück × Kosten)</translation>
    </message>
    <message>
        <source>frequency (moves)</source>
        <translation>Häufigkeit (Bewegungen)</translation>
    </message>
    <message>
        <source>&amp;Classify now</source>
        <translation>Jetzt &amp;klassifizieren</translation>
    </message>
    <message>
        <source>How each class is counted</source>
        <translation>Wie jede Klasse gezählt wird</translation>
    </message>
    <message>
        <source>Counts a year</source>
        <translation>Zählungen pro Jahr</translation>
    </message>
    <message>
        <source>Tolerance, % of units</source>
        <translation>Toleranz, % der Stückzahl</translation>
    </message>
    <message>
        <source>Tolerance, value</source>
        <translation>Toleranz, Wert</translation>
    </message>
    <message>
        <source>Small variances approve themselves</source>
        <translation>Kleine Abweichungen werden selbst genehmigt</translation>
    </message>
    <message>
        <source>Daily plan</source>
        <translation>Tagesplan</translation>
    </message>
    <message>
        <source>Plan &amp;days</source>
        <translation>Plan&amp;tage</translation>
    </message>
    <message>
        <source>Most counts a d&amp;ay</source>
        <translation>Höchstens Zählungen pro T&amp;ag</translation>
    </message>
    <message>
        <source>&amp;Save policy</source>
        <translation>Richtlinie &amp;speichern</translation>
    </message>
    <message>
        <source>Products now: A {a}, B {b}, C {c}</source>
        <translation>Artikel jetzt: A {a}, B {b}, C {c}</translation>
    </message>
    <message>
        <source>Planning by ABC today plans nothing: no product is due.</source>
        <translation>Planung nach ABC plant heute nichts: kein Artikel ist fällig.</translation>
    </message>
    <message>
        <source>Planning by ABC today: {total} counts over {days} days, at most {most} a day; {left} wait for the next plan.</source>
        <translation>Planung nach ABC heute: {total} Zählungen über {days} Tage, höchstens {most} pro Tag; {left} warten auf den nächsten Plan.</translation>
    </message>
    <message>
        <source>Policy saved</source>
        <translation>Richtlinie gespeichert</translation>
    </message>
    <message>
        <source>Classified: A {a}, B {b}, C {c}</source>
        <translation>Klassifiziert: A {a}, B {b}, C {c}</translation>
    </message>
</context>
<context>
    <name>PrintJobsScreen</name>
    <message>
        <source>Sending job {job} again…</source>
        <translation>Auftrag {job} wird erneut gesendet…</translation>
    </message>
    <message>
        <source>Printing job {job} again…</source>
        <translation>Auftrag {job} wird erneut gedruckt…</translation>
    </message>
    <message>
        <source>Drawing the pages of {title}…</source>
        <translation>Die Seiten von {title} werden gezeichnet…</translation>
    </message>
    <message>
        <source>Job {job} failed: {reason}</source>
        <translation>Auftrag {job} fehlgeschlagen: {reason}</translation>
    </message>
    <message>
        <source>Job {job} printed on {printer}.</source>
        <translation>Auftrag {job} auf {printer} gedruckt.</translation>
    </message>
    <message>
        <source>No print jobs in the last days.</source>
        <translation>Keine Druckaufträge in den letzten Tagen.</translation>
    </message>
    <message>
        <source>Job {job}: {title}, printed on {printer}.</source>
        <translation>Auftrag {job}: {title}, auf {printer} gedruckt.</translation>
    </message>
    <message>
        <source>Job {job}: {title}, waiting for {printer}.</source>
        <translation>Auftrag {job}: {title}, wartet auf {printer}.</translation>
    </message>
    <message>
        <source>Print jobs</source>
        <translation>Druckaufträge</translation>
    </message>
    <message>
        <source>&amp;All workstations</source>
        <translation>&amp;Alle Arbeitsplätze</translation>
    </message>
    <message>
        <source>&amp;Retry (F5)</source>
        <translation>&amp;Wiederholen (F5)</translation>
    </message>
    <message>
        <source>Re&amp;print (F6)</source>
        <translation>Erneut &amp;drucken (F6)</translation>
    </message>
    <message>
        <source>Pre&amp;view (F3)</source>
        <translation>&amp;Vorschau (F3)</translation>
    </message>
    <message>
        <source>Up/Down: choose a job    F5: retry a failed job    F6: print again here    F3: preview    Esc: back</source>
        <translation>Auf/Ab: Auftrag wählen    F5: fehlgeschlagenen Auftrag wiederholen    F6: hier erneut drucken    F3: Vorschau    Esc: zurück</translation>
    </message>
</context>
<context>
    <name>PrintPreviewDialog</name>
    <message>
        <source>Print preview: {title}</source>
        <translation>Druckvorschau: {title}</translation>
    </message>
    <message>
        <source>{title}: {count} pages, the first {shown} shown</source>
        <translation>{title}: {count} Seiten, die ersten {shown} angezeigt</translation>
    </message>
    <message numerus="yes">
        <source>{title}: %n page(s)</source>
        <translation>
            <numerusform>{title}: %n Seite</numerusform>
            <numerusform>{title}: %n Seiten</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Print</source>
        <translation>&amp;Drucken</translation>
    </message>
</context>
<context>
    <name>PrintersScreen</name>
    <message>
        <source>Printers of {workstation}.</source>
        <translation>Drucker von {workstation}.</translation>
    </message>
    <message>
        <source>Not saved: {reason}</source>
        <translation>Nicht gespeichert: {reason}</translation>
    </message>
    <message>
        <source>Saved the printers of {workstation}.</source>
        <translation>Drucker von {workstation} gespeichert.</translation>
    </message>
    <message>
        <source>Not printed: {reason}</source>
        <translation>Nicht gedruckt: {reason}</translation>
    </message>
    <message>
        <source>Test print sent as job {job}; see Print jobs for how it went.</source>
        <translation>Testdruck als Auftrag {job} gesendet; unter Druckaufträge steht, wie es lief.</translation>
    </message>
    <message>
        <source>Printers</source>
        <translation>Drucker</translation>
    </message>
    <message>
        <source>&amp;Workstation</source>
        <translation>&amp;Arbeitsplatz</translation>
    </message>
    <message>
        <source>&amp;Show</source>
        <translation>&amp;Anzeigen</translation>
    </message>
    <message>
        <source>Save (Ctrl+S)</source>
        <translation>Speichern (Strg+S)</translation>
    </message>
    <message>
        <source>Tab: next field    Ctrl+S: save    Esc: back without saving</source>
        <translation>Tab: nächstes Feld    Strg+S: speichern    Esc: zurück ohne Speichern</translation>
    </message>
</context>
<context>
    <name>ProfileForm</name>
    <message>
        <source>&amp;Folder</source>
        <translation>&amp;Ordner</translation>
    </message>
    <message>
        <source>&amp;Address</source>
        <translation>&amp;Adresse</translation>
    </message>
    <message>
        <source>&amp;Printer</source>
        <translation>&amp;Drucker</translation>
    </message>
    <message>
        <source>folder for the PDF files</source>
        <translation>Ordner für die PDF-Dateien</translation>
    </message>
    <message>
        <source>system printer</source>
        <translation>Systemdrucker</translation>
    </message>
    <message>
        <source>address of the label printer, e.g. zebra-dock-1:9100</source>
        <translation>Adresse des Etikettendruckers, z. B. zebra-dock-1:9100</translation>
    </message>
    <message>
        <source>raw CUPS queue</source>
        <translation>Raw-CUPS-Warteschlange</translation>
    </message>
    <message>
        <source>CUPS queue</source>
        <translation>CUPS-Warteschlange</translation>
    </message>
    <message>
        <source>Folder for the PDF files</source>
        <translation>Ordner für die PDF-Dateien</translation>
    </message>
    <message>
        <source>Labels</source>
        <translation>Etiketten</translation>
    </message>
    <message>
        <source>Documents (A4 / Letter)</source>
        <translation>Dokumente (A4 / Letter)</translation>
    </message>
    <message>
        <source>&amp;Name</source>
        <translation>&amp;Name</translation>
    </message>
    <message>
        <source>&amp;Output</source>
        <translation>&amp;Ausgabe</translation>
    </message>
    <message>
        <source>&amp;Size</source>
        <translation>&amp;Größe</translation>
    </message>
    <message>
        <source>&amp;Resolution</source>
        <translation>Auf&amp;lösung</translation>
    </message>
    <message>
        <source>&amp;Darkness</source>
        <translation>&amp;Schwärzung</translation>
    </message>
    <message>
        <source>O&amp;ffset (dots)</source>
        <translation>&amp;Versatz (Punkte)</translation>
    </message>
    <message>
        <source>what people call this printer, e.g. Zebra at dock 1</source>
        <translation>wie man diesen Drucker nennt, z. B. Zebra an Tor 1</translation>
    </message>
    <message>
        <source>the printer&apos;s own</source>
        <translation>die des Druckers</translation>
    </message>
    <message>
        <source>right </source>
        <translation>rechts </translation>
    </message>
    <message>
        <source>down </source>
        <translation>unten </translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Durchsuchen…</translation>
    </message>
    <message>
        <source>&amp;Test print: command sheet</source>
        <translation>&amp;Testdruck: Befehlsblatt</translation>
    </message>
</context>
<context>
    <name>PutawayScreen</name>
    <message>
        <source>Put away</source>
        <translation>Einlagern</translation>
    </message>
    <message>
        <source>Waiting to be put away    lines: {lines}    units: {units}</source>
        <translation>Wartet auf Einlagerung    Zeilen: {lines}    Einheiten: {units}</translation>
    </message>
    <message>
        <source>Nothing waits to be put away.</source>
        <translation>Nichts wartet auf Einlagerung.</translation>
    </message>
    <message>
        <source>Scan an item or a license plate</source>
        <translation>Artikel oder Ladungsträger scannen</translation>
    </message>
    <message>
        <source>Type or scan how many to put away, then Enter</source>
        <translation>Einzulagernde Menge eingeben oder scannen, dann Enter</translation>
    </message>
    <message>
        <source>Scan any bin with room</source>
        <translation>Einen beliebigen Platz mit Raum scannen</translation>
    </message>
    <message>
        <source>Scan the destination {location}</source>
        <translation>Ziel {location} scannen</translation>
    </message>
    <message>
        <source>Plate {plate}: {units} units on {source}</source>
        <translation>Ladungsträger {plate}: {units} Einheiten auf {source}</translation>
    </message>
    <message>
        <source>{quantity} × {sku} {name} on {source}</source>
        <translation>{quantity} × {sku} {name} auf {source}</translation>
    </message>
    <message>
        <source>✓ Plate {plate}: {units} units → {location}</source>
        <translation>✓ Ladungsträger {plate}: {units} Einheiten → {location}</translation>
    </message>
    <message>
        <source>✓ {moved} → {location}</source>
        <translation>✓ {moved} → {location}</translation>
    </message>
    <message>
        <source>{units} still wait on {source}</source>
        <translation>{units} warten noch auf {source}</translation>
    </message>
    <message>
        <source>reason: {reason}</source>
        <translation>Grund: {reason}</translation>
    </message>
    <message>
        <source>approved by {name}</source>
        <translation>genehmigt von {name}</translation>
    </message>
    <message>
        <source>Already put away: {scan}</source>
        <translation>Bereits eingelagert: {scan}</translation>
    </message>
    <message>
        <source>Not put away: {reason}</source>
        <translation>Nicht eingelagert: {reason}</translation>
    </message>
    <message>
        <source>Put away 1 to {most}: {most} wait on {source}.</source>
        <translation>1 bis {most} einlagern: {most} warten auf {source}.</translation>
    </message>
    <message>
        <source>{quantity} of {total}: scan the destination</source>
        <translation>{quantity} von {total}: Ziel scannen</translation>
    </message>
    <message>
        <source>Scan an item first, then F2 to put away part of it.</source>
        <translation>Zuerst einen Artikel scannen, dann F2, um einen Teil einzulagern.</translation>
    </message>
    <message>
        <source>Nothing of yours to undo</source>
        <translation>Nichts von Ihnen rückgängig zu machen</translation>
    </message>
    <message>
        <source>Undone: {moved} from {location} back to {source}</source>
        <translation>Rückgängig: {moved} von {location} zurück nach {source}</translation>
    </message>
    <message>
        <source>Quantity cleared: all of it goes</source>
        <translation>Menge gelöscht: alles wird eingelagert</translation>
    </message>
    <message>
        <source>Nothing moved: it stays on {source}</source>
        <translation>Nichts bewegt: es bleibt auf {source}</translation>
    </message>
</context>
<context>
    <name>ReceiptLinesModel</name>
    <message>
        <source>SKU</source>
        <translation>Artikelnr.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Expected</source>
        <translation>Erwartet</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Erhalten</translation>
    </message>
    <message>
        <source>Damaged</source>
        <translation>Beschädigt</translation>
    </message>
    <message>
        <source>Remaining</source>
        <translation>Offen</translation>
    </message>
</context>
<context>
    <name>ReceivingScreen</name>
    <message>
        <source>purchase order</source>
        <translation>Bestellung</translation>
    </message>
    <message>
        <source>ASN</source>
        <translation>Lieferavis</translation>
    </message>
    <message>
        <source>Receive</source>
        <translation>Wareneingang</translation>
    </message>
    <message>
        <source>Scan a purchase order or ASN</source>
        <translation>Bestellung oder Lieferavis scannen</translation>
    </message>
    <message>
        <source>Or choose an open receipt: arrow keys, then Enter</source>
        <translation>Oder einen offenen Wareneingang wählen: Pfeiltasten, dann Enter</translation>
    </message>
    <message>
        <source>No receipts are open.</source>
        <translation>Keine Wareneingänge offen.</translation>
    </message>
    <message>
        <source>Scan a product of {number}</source>
        <translation>Einen Artikel von {number} scannen</translation>
    </message>
    <message>
        <source>{done} of {expected} units</source>
        <translation>{done} von {expected} Einheiten</translation>
    </message>
    <message>
        <source>quantity {quantity}</source>
        <translation>Menge {quantity}</translation>
    </message>
    <message>
        <source>DAMAGED, to quarantine</source>
        <translation>BESCHÄDIGT, in Quarantäne</translation>
    </message>
    <message>
        <source>Next item: {marks}</source>
        <translation>Nächster Artikel: {marks}</translation>
    </message>
    <message>
        <source>Open a receipt first: scan a purchase order or ASN.</source>
        <translation>Zuerst einen Wareneingang öffnen: Bestellung oder Lieferavis scannen.</translation>
    </message>
    <message>
        <source>{code} does nothing here. Scan a product of {number}.</source>
        <translation>{code} bewirkt hier nichts. Einen Artikel von {number} scannen.</translation>
    </message>
    <message>
        <source>{number} from {supplier}: scan the first product</source>
        <translation>{number} von {supplier}: ersten Artikel scannen</translation>
    </message>
    <message>
        <source>No receipts are open. Scan a purchase order or ASN.</source>
        <translation>Keine Wareneingänge offen. Bestellung oder Lieferavis scannen.</translation>
    </message>
    <message>
        <source>Scan or type the lot of {sku}</source>
        <translation>Charge von {sku} scannen oder eingeben</translation>
    </message>
    <message>
        <source>Scan or type the expiry of {sku} (YYYY-MM-DD)</source>
        <translation>Verfallsdatum von {sku} scannen oder eingeben (JJJJ-MM-TT)</translation>
    </message>
    <message>
        <source>{warning} (SF:CANCEL: to quarantine)</source>
        <translation>{warning} (SF:CANCEL: in die Quarantäne)</translation>
    </message>
    <message>
        <source>DAMAGED +{units} {sku} {name} → {destination}</source>
        <translation>BESCHÄDIGT +{units} {sku} {name} → {destination}</translation>
    </message>
    <message>
        <source>+{units} {sku} {name} → {destination}</source>
        <translation>+{units} {sku} {name} → {destination}</translation>
    </message>
    <message>
        <source>lot {lot}</source>
        <translation>Charge {lot}</translation>
    </message>
    <message>
        <source>expiry {date}</source>
        <translation>verfällt {date}</translation>
    </message>
    <message>
        <source>approved by {name}</source>
        <translation>genehmigt von {name}</translation>
    </message>
    <message>
        <source>short shelf life: held in quarantine</source>
        <translation>kurze Restlaufzeit: in Quarantäne</translation>
    </message>
    <message>
        <source>short shelf life accepted</source>
        <translation>kurze Restlaufzeit angenommen</translation>
    </message>
    <message>
        <source>Already counted: {scan}</source>
        <translation>Bereits gezählt: {scan}</translation>
    </message>
    <message>
        <source>(not on {number})</source>
        <translation>(nicht auf {number})</translation>
    </message>
    <message>
        <source>({done} of {expected})</source>
        <translation>({done} von {expected})</translation>
    </message>
    <message>
        <source>Not received: {reason}</source>
        <translation>Nicht erhalten: {reason}</translation>
    </message>
    <message>
        <source>Next item is DAMAGED: it goes to quarantine</source>
        <translation>Nächster Artikel ist BESCHÄDIGT: er kommt in Quarantäne</translation>
    </message>
    <message>
        <source>Damaged mark removed</source>
        <translation>Markierung „beschädigt“ entfernt</translation>
    </message>
    <message>
        <source>Nothing of yours to undo on {number}</source>
        <translation>Nichts von Ihnen auf {number} rückgängig zu machen</translation>
    </message>
    <message>
        <source>Undone: -{units} {sku} {name} from {location} {progress}</source>
        <translation>Rückgängig: -{units} {sku} {name} von {location} {progress}</translation>
    </message>
    <message>
        <source>{number} received</source>
        <translation>{number} erhalten</translation>
    </message>
    <message>
        <source>{number} stays open: {remaining} of {expected} units still expected</source>
        <translation>{number} bleibt offen: {remaining} von {expected} Einheiten werden noch erwartet</translation>
    </message>
    <message>
        <source>Quantity and damaged marks cleared</source>
        <translation>Menge und Beschädigt-Markierung gelöscht</translation>
    </message>
    <message>
        <source>Left {number}: everything scanned is saved</source>
        <translation>{number} verlassen: alles Gescannte ist gespeichert</translation>
    </message>
</context>
<context>
    <name>ReleaseTab</name>
    <message>
        <source>Channel</source>
        <translation>Kanal</translation>
    </message>
    <message>
        <source>Carrier</source>
        <translation>Spediteur</translation>
    </message>
    <message>
        <source>Priority at least</source>
        <translation>Priorität mindestens</translation>
    </message>
    <message>
        <source>Ship by until</source>
        <translation>Versand bis</translation>
    </message>
    <message>
        <source>Complete orders only</source>
        <translation>Nur vollständige Aufträge</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>Auftrag</translation>
    </message>
    <message>
        <source>Ship to</source>
        <translation>Lieferadresse</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Priorität</translation>
    </message>
    <message>
        <source>Ship by</source>
        <translation>Versand bis</translation>
    </message>
    <message>
        <source>Lines</source>
        <translation>Zeilen</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>Einheiten</translation>
    </message>
    <message>
        <source>Allocated</source>
        <translation>Reserviert</translation>
    </message>
    <message>
        <source>Backorder</source>
        <translation>Rückstand</translation>
    </message>
    <message>
        <source>Allocate waiting orders (Alt+A)</source>
        <translation>Wartende Aufträge reservieren (Alt+A)</translation>
    </message>
    <message>
        <source>Release selected: a wave per order (Alt+S)</source>
        <translation>Auswahl freigeben: eine Welle pro Auftrag (Alt+S)</translation>
    </message>
    <message>
        <source>Release selected onto carts (Alt+B)</source>
        <translation>Auswahl auf Wagen freigeben (Alt+B)</translation>
    </message>
    <message>
        <source>totes per cart</source>
        <translation>Kisten pro Wagen</translation>
    </message>
    <message>
        <source>all</source>
        <translation>alle</translation>
    </message>
    <message numerus="yes">
        <source>%n order(s) wait for stock to be allocated.</source>
        <translation>
            <numerusform>%n Auftrag wartet auf Bestandsreservierung.</numerusform>
            <numerusform>%n Aufträge warten auf Bestandsreservierung.</numerusform>
        </translation>
    </message>
    <message>
        <source>No orders wait for allocation.</source>
        <translation>Keine Aufträge warten auf Reservierung.</translation>
    </message>
    <message>
        <source>Allocating stock to the waiting orders…</source>
        <translation>Bestand wird den wartenden Aufträgen zugeteilt…</translation>
    </message>
    <message numerus="yes">
        <source>%n order(s) allocated</source>
        <translation>
            <numerusform>%n Auftrag reserviert</numerusform>
            <numerusform>%n Aufträge reserviert</numerusform>
        </translation>
    </message>
    <message>
        <source>units reserved: {units}, on backorder: {backorder}.</source>
        <translation>Einheiten reserviert: {units}, im Rückstand: {backorder}.</translation>
    </message>
    <message numerus="yes">
        <source>Releasing %n order(s) and routing their pick tasks…</source>
        <translation>
            <numerusform>%n Auftrag wird freigegeben und seine Picks werden geroutet…</numerusform>
            <numerusform>%n Aufträge werden freigegeben und ihre Picks werden geroutet…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Released %n wave(s): {numbers}; lines to pick: {lines}.</source>
        <translation>
            <numerusform>%n Welle freigegeben: {numbers}; zu kommissionierende Zeilen: {lines}.</numerusform>
            <numerusform>%n Wellen freigegeben: {numbers}; zu kommissionierende Zeilen: {lines}.</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing to allocate.</source>
        <translation>Nichts zu reservieren.</translation>
    </message>
    <message>
        <source>Select the orders to release first (Ctrl+A: all listed).</source>
        <translation>Zuerst die freizugebenden Aufträge wählen (Strg+A: alle gelisteten).</translation>
    </message>
</context>
<context>
    <name>ReplenishScreen</name>
    <message>
        <source>Replenish</source>
        <translation>Nachschub</translation>
    </message>
    <message numerus="yes">
        <source>Open replenishments: %n</source>
        <translation>
            <numerusform>Offene Nachschübe: %n</numerusform>
            <numerusform>Offene Nachschübe: %n</numerusform>
        </translation>
    </message>
    <message>
        <source>No face needs replenishing. New tasks appear here.</source>
        <translation>Kein Platz braucht Nachschub. Neue Aufträge erscheinen hier.</translation>
    </message>
    <message>
        <source>Bring {units} × {sku} {name} to {face}</source>
        <translation>{units} × {sku} {name} nach {face} bringen</translation>
    </message>
    <message>
        <source>From {location}: {free} free</source>
        <translation>Aus {location}: {free} frei</translation>
    </message>
    <message>
        <source>Taking {units}{lot}</source>
        <translation>Entnehme {units}{lot}</translation>
    </message>
    <message>
        <source>Scan the reserve bin {location}</source>
        <translation>Reservefach {location} scannen</translation>
    </message>
    <message>
        <source>Scan a reserve bin holding {sku}</source>
        <translation>Ein Reservefach mit {sku} scannen</translation>
    </message>
    <message>
        <source>Scan {sku} in {location}</source>
        <translation>{sku} in {location} scannen</translation>
    </message>
    <message>
        <source>Scan the pick face {face}</source>
        <translation>Kommissionierplatz {face} scannen</translation>
    </message>
    <message>
        <source>No face needs replenishing.</source>
        <translation>Kein Platz braucht Nachschub.</translation>
    </message>
    <message>
        <source>{location}: take {sku}</source>
        <translation>{location}: {sku} entnehmen</translation>
    </message>
    <message>
        <source>Scan or type the lot of {sku}</source>
        <translation>Charge von {sku} scannen oder eingeben</translation>
    </message>
    <message>
        <source>How many do you take? 1 to {most}, then Enter</source>
        <translation>Wie viele nehmen Sie? 1 bis {most}, dann Enter</translation>
    </message>
    <message>
        <source>{units} × {sku}: scan the pick face {face}</source>
        <translation>{units} × {sku}: Kommissionierplatz {face} scannen</translation>
    </message>
    <message>
        <source>Nothing taken: scan the item again</source>
        <translation>Nichts entnommen: Artikel erneut scannen</translation>
    </message>
    <message>
        <source>That many cannot be taken here.</source>
        <translation>So viele können hier nicht entnommen werden.</translation>
    </message>
    <message>
        <source>✓ {units} × {sku} {source} → {face}</source>
        <translation>✓ {units} × {sku} {source} → {face}</translation>
    </message>
    <message>
        <source>{units} units for waiting orders</source>
        <translation>{units} Stück für wartende Aufträge</translation>
    </message>
    <message>
        <source>Already replenished: {scan}</source>
        <translation>Bereits nachgefüllt: {scan}</translation>
    </message>
    <message>
        <source>Scan the bin label: a typed code is not accepted here. {prompt}</source>
        <translation>Etikett des Fachs scannen: ein getippter Code wird hier nicht angenommen. {prompt}</translation>
    </message>
    <message>
        <source>No other task</source>
        <translation>Kein anderer Auftrag</translation>
    </message>
    <message>
        <source>Item dropped: scan it again</source>
        <translation>Artikel verworfen: erneut scannen</translation>
    </message>
    <message>
        <source>Bin dropped: scan a reserve bin</source>
        <translation>Fach verworfen: ein Reservefach scannen</translation>
    </message>
</context>
<context>
    <name>ReplenishTasks</name>
    <message>
        <source>Face</source>
        <translation>Platz</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Artikel</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>Stück</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>Orders wait</source>
        <translation>Aufträge warten</translation>
    </message>
</context>
<context>
    <name>ReportModel</name>
    <message>
        <source>Shipped</source>
        <translation>Versandt</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>Zurückgesandt</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>Quote</translation>
    </message>
    <message>
        <source>Grade {grade}</source>
        <translation>Note {grade}</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Wartend</translation>
    </message>
</context>
<context>
    <name>ReturnFindings</name>
    <message>
        <source>Notes</source>
        <translation>Notizen</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <source>Findings of {code}: a number ticks or unticks, {done} when done</source>
        <translation>Befunde zu {code}: eine Nummer hakt an oder ab, {done} wenn fertig</translation>
    </message>
    <message>
        <source>Notes on {code} (now: {notes}): type them, then Enter</source>
        <translation>Notizen zu {code} (jetzt: {notes}): eintippen, dann Enter</translation>
    </message>
    <message>
        <source>{code}: findings {findings}</source>
        <translation>{code}: Befunde {findings}</translation>
    </message>
    <message>
        <source>notes: {notes}</source>
        <translation>Notizen: {notes}</translation>
    </message>
    <message>
        <source>Findings of {code} unchanged</source>
        <translation>Befunde zu {code} unverändert</translation>
    </message>
</context>
<context>
    <name>ReturnReportScreen</name>
    <message>
        <source>Channel</source>
        <translation>Kanal</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Artikel</translation>
    </message>
    <message>
        <source>Customer&apos;s reason</source>
        <translation>Grund des Kunden</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>Monat</translation>
    </message>
    <message>
        <source>Return report</source>
        <translation>Retourenbericht</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Nach</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Zeitraum</translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation>Als PDF speichern…</translation>
    </message>
    <message>
        <source>last {days} days</source>
        <translation>letzte {days} Tage</translation>
    </message>
    <message>
        <source>all time</source>
        <translation>gesamter Zeitraum</translation>
    </message>
    <message>
        <source>{returned} units returned; graded A {a}, B {b}, C {c}, D {d}</source>
        <translation>{returned} Einheiten zurückgesandt; bewertet A {a}, B {b}, C {c}, D {d}</translation>
    </message>
    <message>
        <source>Writing the return report…</source>
        <translation>Der Retourenbericht wird geschrieben…</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>{path} gespeichert</translation>
    </message>
</context>
<context>
    <name>ReturnTexts</name>
    <message>
        <source>like new</source>
        <translation>wie neu</translation>
    </message>
    <message>
        <source>open box</source>
        <translation>geöffnete Verpackung</translation>
    </message>
    <message>
        <source>damaged, repairable</source>
        <translation>beschädigt, reparierbar</translation>
    </message>
    <message>
        <source>scrap</source>
        <translation>Schrott</translation>
    </message>
    <message>
        <source>Restock</source>
        <translation>Wieder einlagern</translation>
    </message>
    <message>
        <source>Quarantine</source>
        <translation>Quarantäne</translation>
    </message>
    <message>
        <source>Refurbish</source>
        <translation>Aufbereiten</translation>
    </message>
    <message>
        <source>Return to vendor</source>
        <translation>Zurück an Lieferanten</translation>
    </message>
    <message>
        <source>Scrap</source>
        <translation>Verschrotten</translation>
    </message>
    <message>
        <source>serial not shipped on this order</source>
        <translation>Seriennummer nicht mit diesem Auftrag versandt</translation>
    </message>
    <message>
        <source>lot not shipped on this order</source>
        <translation>Charge nicht mit diesem Auftrag versandt</translation>
    </message>
    <message>
        <source>returned before</source>
        <translation>bereits zurückgesandt</translation>
    </message>
    <message>
        <source>serial already in stock</source>
        <translation>Seriennummer bereits auf Lager</translation>
    </message>
    <message>
        <source>not on the RMA</source>
        <translation>nicht auf der RMA</translation>
    </message>
    <message>
        <source>more than announced</source>
        <translation>mehr als angekündigt</translation>
    </message>
    <message>
        <source>as the customer described</source>
        <translation>wie vom Kunden beschrieben</translation>
    </message>
    <message>
        <source>scratched</source>
        <translation>zerkratzt</translation>
    </message>
    <message>
        <source>dented</source>
        <translation>verbeult</translation>
    </message>
    <message>
        <source>missing parts</source>
        <translation>Teile fehlen</translation>
    </message>
    <message>
        <source>not working</source>
        <translation>funktioniert nicht</translation>
    </message>
    <message>
        <source>used</source>
        <translation>gebraucht</translation>
    </message>
    <message>
        <source>dirty</source>
        <translation>verschmutzt</translation>
    </message>
    <message>
        <source>packaging damaged</source>
        <translation>Verpackung beschädigt</translation>
    </message>
    <message>
        <source>wrong item</source>
        <translation>falscher Artikel</translation>
    </message>
    <message>
        <source>water damage</source>
        <translation>Wasserschaden</translation>
    </message>
    <message>
        <source>Packaging intact</source>
        <translation>Verpackung unversehrt</translation>
    </message>
    <message>
        <source>Complete</source>
        <translation>Vollständig</translation>
    </message>
    <message>
        <source>Working</source>
        <translation>Funktioniert</translation>
    </message>
    <message>
        <source>Clean</source>
        <translation>Sauber</translation>
    </message>
</context>
<context>
    <name>ReturnUnitsModel</name>
    <message>
        <source>Unit</source>
        <translation>Einheit</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>Artikelnr.</translation>
    </message>
    <message>
        <source>Lot / serial</source>
        <translation>Charge / Seriennr.</translation>
    </message>
    <message>
        <source>Grade</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>Sent to</source>
        <translation>Gesendet an</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Prüfung</translation>
    </message>
    <message>
        <source>waiting for inspection</source>
        <translation>wartet auf Prüfung</translation>
    </message>
</context>
<context>
    <name>ReturnsScreen</name>
    <message>
        <source>Returns</source>
        <translation>Retouren</translation>
    </message>
    <message>
        <source>Scan the RMA, the order number, the customer&apos;s parcel or an item</source>
        <translation>RMA, Auftragsnummer, Paket des Kunden oder einen Artikel scannen</translation>
    </message>
    <message>
        <source>Or choose an announced return: arrow keys, then Enter</source>
        <translation>Oder eine angekündigte Retoure wählen: Pfeiltasten, dann Enter</translation>
    </message>
    <message>
        <source>No returns are announced.</source>
        <translation>Keine Retouren angekündigt.</translation>
    </message>
    <message>
        <source>Up/Down + Enter: open the highlighted RMA    Esc: back</source>
        <translation>Auf/Ab + Enter: markierte RMA öffnen    Esc: zurück</translation>
    </message>
    <message>
        <source>Scan an item of {rma}</source>
        <translation>Einen Artikel von {rma} scannen</translation>
    </message>
    <message>
        <source>Check {code} and grade it</source>
        <translation>{code} prüfen und bewerten</translation>
    </message>
    <message>
        <source>Confirm {code}: Enter, or scan SF:CONFIRM</source>
        <translation>{code} bestätigen: Enter oder SF:CONFIRM scannen</translation>
    </message>
    <message>
        <source>Open a return first: scan the RMA, the order or the parcel.</source>
        <translation>Zuerst eine Retoure öffnen: RMA, Auftrag oder Paket scannen.</translation>
    </message>
    <message>
        <source>{code} does nothing here.</source>
        <translation>{code} bewirkt hier nichts.</translation>
    </message>
    <message>
        <source>Unannounced return: {rma} opened for order {order}. Scan the first item.</source>
        <translation>Nicht angekündigte Retoure: {rma} für Auftrag {order} eröffnet. Ersten Artikel scannen.</translation>
    </message>
    <message>
        <source>{rma}, order {order}: scan the first item</source>
        <translation>{rma}, Auftrag {order}: ersten Artikel scannen</translation>
    </message>
    <message>
        <source>No returns are announced. Scan the RMA, the order or the parcel.</source>
        <translation>Keine Retouren angekündigt. RMA, Auftrag oder Paket scannen.</translation>
    </message>
    <message>
        <source>{sku}: scan or type its serial / lot number</source>
        <translation>{sku}: Seriennummer / Charge scannen oder eingeben</translation>
    </message>
    <message>
        <source>{code}: {sku} {name} received. Check it and grade it.</source>
        <translation>{code}: {sku} {name} erhalten. Prüfen und bewerten.</translation>
    </message>
    <message>
        <source>Already received: {text}</source>
        <translation>Bereits erhalten: {text}</translation>
    </message>
    <message>
        <source>{sku} {name} received offline: grade it online.</source>
        <translation>{sku} {name} offline angenommen: online bewerten.</translation>
    </message>
    <message>
        <source>Check: {flags}</source>
        <translation>Prüfen: {flags}</translation>
    </message>
    <message>
        <source>{code} is not waiting for inspection on {rma}.</source>
        <translation>{code} wartet bei {rma} nicht auf Prüfung.</translation>
    </message>
    <message>
        <source>{code}: {sku} {name} waits for inspection. Check it and grade it.</source>
        <translation>{code}: {sku} {name} wartet auf Prüfung. Prüfen und bewerten.</translation>
    </message>
    <message>
        <source>Scan an item of {rma} first.</source>
        <translation>Zuerst einen Artikel von {rma} scannen.</translation>
    </message>
    <message>
        <source>Grade {grade} ({name}) → {disposition} → {destination}: a supervisor must approve. Enter to confirm.</source>
        <translation>Note {grade} ({name}) → {disposition} → {destination}: ein Vorgesetzter muss genehmigen. Enter zum Bestätigen.</translation>
    </message>
    <message>
        <source>Grade {grade} ({name}) → {disposition} → {destination}. Enter to confirm.</source>
        <translation>Note {grade} ({name}) → {disposition} → {destination}. Enter zum Bestätigen.</translation>
    </message>
    <message>
        <source>{disposition} chosen: now grade the unit</source>
        <translation>{disposition} gewählt: jetzt die Einheit bewerten</translation>
    </message>
    <message>
        <source>{disposition} instead of the rules&apos; choice: a supervisor must approve on Enter</source>
        <translation>{disposition} statt der Wahl der Regeln: ein Vorgesetzter muss bei Enter genehmigen</translation>
    </message>
    <message>
        <source>{disposition} is what the rules say anyway</source>
        <translation>{disposition} ist ohnehin, was die Regeln sagen</translation>
    </message>
    <message>
        <source>The checklist has {count} items.</source>
        <translation>Die Checkliste hat {count} Punkte.</translation>
    </message>
    <message>
        <source>Grade {code} first: 1-4 or A-D, then Enter.</source>
        <translation>Zuerst {code} bewerten: 1-4 oder A-D, dann Enter.</translation>
    </message>
    <message>
        <source>Not routed: {reason}</source>
        <translation>Nicht weitergeleitet: {reason}</translation>
    </message>
    <message>
        <source>{code} grade {grade} → {disposition} → {destination}</source>
        <translation>{code} Note {grade} → {disposition} → {destination}</translation>
    </message>
    <message>
        <source>approved by {name}</source>
        <translation>genehmigt von {name}</translation>
    </message>
    <message>
        <source>Already routed: {text}</source>
        <translation>Bereits weitergeleitet: {text}</translation>
    </message>
    <message>
        <source>Label {code} NOT printed: {reason}</source>
        <translation>Etikett {code} NICHT gedruckt: {reason}</translation>
    </message>
    <message>
        <source>Label {code} printed: {where}</source>
        <translation>Etikett {code} gedruckt: {where}</translation>
    </message>
    <message>
        <source>No label was printed here yet.</source>
        <translation>Hier wurde noch kein Etikett gedruckt.</translation>
    </message>
    <message>
        <source>Label {code} printed again</source>
        <translation>Etikett {code} erneut gedruckt</translation>
    </message>
    <message>
        <source>Nothing of yours to undo on {rma}</source>
        <translation>Nichts von Ihnen auf {rma} rückgängig zu machen</translation>
    </message>
    <message>
        <source>Undone: {code} {sku} is back for inspection</source>
        <translation>Rückgängig: {code} {sku} wartet wieder auf Prüfung</translation>
    </message>
    <message>
        <source>Undone: {code} {sku} taken off the return</source>
        <translation>Rückgängig: {code} {sku} von der Retoure genommen</translation>
    </message>
    <message>
        <source>{rma} closed: {units} units inspected</source>
        <translation>{rma} geschlossen: {units} Einheiten geprüft</translation>
    </message>
    <message>
        <source>Serial question dropped: scan the item again</source>
        <translation>Seriennummer-Abfrage verworfen: Artikel erneut scannen</translation>
    </message>
    <message>
        <source>{code} waits for inspection</source>
        <translation>{code} wartet auf Prüfung</translation>
    </message>
    <message>
        <source>Left {rma}: everything confirmed is saved</source>
        <translation>{rma} verlassen: alles Bestätigte ist gespeichert</translation>
    </message>
    <message>
        <source>No units of {rma} wait for inspection.</source>
        <translation>Keine Einheiten von {rma} warten auf Prüfung.</translation>
    </message>
    <message>
        <source>F1-F6: checklist    1-4 / A-D + Enter: grade    Up/Down: waiting units</source>
        <translation>F1-F6: Prüfliste    1-4 / A-D + Enter: bewerten    Auf/Ab: wartende Einheiten</translation>
    </message>
</context>
<context>
    <name>ReviewLinesModel</name>
    <message>
        <source>Count</source>
        <translation>Inventur</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>Lagerplatz</translation>
    </message>
    <message>
        <source>Zone</source>
        <translation>Zone</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>Artikelnr.</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Artikel</translation>
    </message>
    <message>
        <source>Lot</source>
        <translation>Charge</translation>
    </message>
    <message>
        <source>ABC</source>
        <translation>ABC</translation>
    </message>
    <message>
        <source>Expected</source>
        <translation>Erwartet</translation>
    </message>
    <message>
        <source>Counted</source>
        <translation>Gezählt</translation>
    </message>
    <message>
        <source>Variance</source>
        <translation>Abweichung</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Moved</source>
        <translation>Bewegt</translation>
    </message>
    <message>
        <source>Counts (who, when)</source>
        <translation>Zählungen (wer, wann)</translation>
    </message>
    <message>
        <source>{counted} by {who} ({when})</source>
        <translation>{counted} von {who} ({when})</translation>
    </message>
    <message numerus="yes">
        <source>{net} in %n move(s)</source>
        <translation>
            <numerusform>{net} in %n Bewegung</numerusform>
            <numerusform>{net} in %n Bewegungen</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ReviewPanel</name>
    <message>
        <source>All</source>
        <translation>Alle</translation>
    </message>
    <message numerus="yes">
        <source>%n line(s) wait for a decision</source>
        <translation>
            <numerusform>%n Zeile wartet auf eine Entscheidung</numerusform>
            <numerusform>%n Zeilen warten auf eine Entscheidung</numerusform>
        </translation>
    </message>
    <message>
        <source>{shown} of {total} waiting lines shown</source>
        <translation>{shown} von {total} wartenden Zeilen angezeigt</translation>
    </message>
    <message>
        <source>Select a line to see its counts and the moves since counting began.</source>
        <translation>Eine Zeile wählen, um ihre Zählungen und die Bewegungen seit Zählbeginn zu sehen.</translation>
    </message>
    <message>
        <source>{line}: expected {expected}, counted {counted}, on hand now {now}</source>
        <translation>{line}: erwartet {expected}, gezählt {counted}, jetzt am Lager {now}</translation>
    </message>
    <message>
        <source>  {number} ({kind}): {counted} counted by {who}, {when}</source>
        <translation>  {number} ({kind}): {counted} gezählt von {who}, {when}</translation>
    </message>
    <message>
        <source>Moves since counting began:</source>
        <translation>Bewegungen seit Zählbeginn:</translation>
    </message>
    <message>
        <source>  {when}  {quantity}  {reason}  {other}  {who}</source>
        <translation>  {when}  {quantity}  {reason}  {other}  {who}</translation>
    </message>
    <message>
        <source>Approving asks: keep counted quantity ({counted_change}) or keep the difference ({difference_change}).</source>
        <translation>Genehmigen fragt: gezählte Menge übernehmen ({counted_change}) oder Differenz übernehmen ({difference_change}).</translation>
    </message>
    <message>
        <source>Select the lines to decide first.</source>
        <translation>Zuerst die zu entscheidenden Zeilen wählen.</translation>
    </message>
    <message>
        <source>These lines were already decided.</source>
        <translation>Über diese Zeilen wurde bereits entschieden.</translation>
    </message>
    <message numerus="yes">
        <source>Approved %n line(s) ({reason}): stock changed by {units} units.</source>
        <translation>
            <numerusform>%n Zeile genehmigt ({reason}): Bestand um {units} Einheiten geändert.</numerusform>
            <numerusform>%n Zeilen genehmigt ({reason}): Bestand um {units} Einheiten geändert.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Rejected %n line(s) ({reason}): stock stays as recorded.</source>
        <translation>
            <numerusform>%n Zeile abgelehnt ({reason}): Bestand bleibt wie erfasst.</numerusform>
            <numerusform>%n Zeilen abgelehnt ({reason}): Bestand bleibt wie erfasst.</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Count</source>
        <translation>&amp;Zählung</translation>
    </message>
    <message>
        <source>&amp;Zone</source>
        <translation>&amp;Zone</translation>
    </message>
    <message>
        <source>C&amp;lass</source>
        <translation>K&amp;lasse</translation>
    </message>
    <message>
        <source>Only &amp;beyond tolerance</source>
        <translation>Nur &amp;außerhalb der Toleranz</translation>
    </message>
    <message>
        <source>Only where stock &amp;moved</source>
        <translation>Nur wo Bestand &amp;bewegt wurde</translation>
    </message>
    <message>
        <source>&amp;Approve…</source>
        <translation>&amp;Genehmigen…</translation>
    </message>
    <message>
        <source>&amp;Reject…</source>
        <translation>&amp;Ablehnen…</translation>
    </message>
</context>
<context>
    <name>ReviewScreen</name>
    <message>
        <source>Review counts</source>
        <translation>Zählungen prüfen</translation>
    </message>
    <message>
        <source>Click or Shift/Ctrl+arrows: select lines    Ctrl+A: all shown    Alt+A: approve    Alt+R: reject    Alt+B / Alt+M: filters    F5: reload    Esc: back</source>
        <translation>Klick oder Umschalt/Strg+Pfeile: Zeilen wählen    Strg+A: alle angezeigten    Alt+A: genehmigen    Alt+R: ablehnen    Alt+B / Alt+M: Filter    F5: neu laden    Esc: zurück</translation>
    </message>
</context>
<context>
    <name>RmaPage</name>
    <message>
        <source>announced</source>
        <translation>angekündigt</translation>
    </message>
    <message>
        <source>unannounced</source>
        <translation>nicht angekündigt</translation>
    </message>
    <message>
        <source>{received} of {expected} units</source>
        <translation>{received} von {expected} Einheiten</translation>
    </message>
    <message>
        <source>{received} units</source>
        <translation>{received} Einheiten</translation>
    </message>
    <message>
        <source>order {order}</source>
        <translation>Auftrag {order}</translation>
    </message>
    <message>
        <source>{waiting} waiting</source>
        <translation>{waiting} wartend</translation>
    </message>
</context>
<context>
    <name>ScanRulesScreen</name>
    <message>
        <source>Locations: scan the bin label (or say its check digits)</source>
        <translation>Lagerplätze: das Platzetikett scannen (oder seine Prüfziffern sagen)</translation>
    </message>
    <message>
        <source>Items: scan the product&apos;s barcode</source>
        <translation>Artikel: den Barcode des Artikels scannen</translation>
    </message>
    <message>
        <source>Totes: scan the tote label on a batch cart</source>
        <translation>Kisten: das Kistenetikett auf dem Sammelwagen scannen</translation>
    </message>
    <message>
        <source>Documents: scan the order, wave or count number</source>
        <translation>Belege: die Auftrags-, Wellen- oder Zählnummer scannen</translation>
    </message>
    <message>
        <source>locations</source>
        <translation>Lagerplätzen</translation>
    </message>
    <message>
        <source>items</source>
        <translation>Artikeln</translation>
    </message>
    <message>
        <source>totes</source>
        <translation>Kisten</translation>
    </message>
    <message>
        <source>documents</source>
        <translation>Belegen</translation>
    </message>
    <message>
        <source>Scans required</source>
        <translation>Scan-Pflicht</translation>
    </message>
    <message>
        <source>At a ticked prompt the scan field takes only what the scanner sends: a code typed by hand is refused and journaled. Commands and answers such as quantities, lots or PINs may always be typed.</source>
        <translation>Bei einer angehakten Abfrage nimmt das Scanfeld nur, was der Scanner sendet: ein von Hand getippter Code wird abgelehnt und protokolliert. Befehle und Antworten wie Mengen, Chargen oder PINs dürfen immer getippt werden.</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
    <message>
        <source>Space: tick / untick    Tab: next    Alt+S: save    Esc: back</source>
        <translation>Leertaste: an- / abhaken    Tab: weiter    Alt+S: speichern    Esc: zurück</translation>
    </message>
    <message>
        <source>Saved: a scan is required at {kinds}.</source>
        <translation>Gespeichert: Scan-Pflicht bei {kinds}.</translation>
    </message>
    <message>
        <source>Saved: typed codes are accepted at every prompt.</source>
        <translation>Gespeichert: getippte Codes werden bei jeder Abfrage angenommen.</translation>
    </message>
</context>
<context>
    <name>SettingsScreen</name>
    <message>
        <source>Saved. The database and workstation name apply when Stockfloor starts again.</source>
        <translation>Gespeichert. Datenbank und Arbeitsplatzname gelten beim nächsten Start von Stockfloor.</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Gespeichert.</translation>
    </message>
    <message>
        <source>Diagnostics copied to the clipboard: paste them into your message to support.</source>
        <translation>Diagnose in die Zwischenablage kopiert: in die Nachricht an den Support einfügen.</translation>
    </message>
    <message>
        <source>Read “{code}” from a scanner.</source>
        <translation>„{code}“ von einem Scanner gelesen.</translation>
    </message>
    <message>
        <source>Read “{code}” typed by hand (keys slower than the interval).</source>
        <translation>„{code}“ von Hand eingegeben (Tasten langsamer als das Intervall).</translation>
    </message>
    <message>
        <source>Workstation settings</source>
        <translation>Arbeitsplatz-Einstellungen</translation>
    </message>
    <message>
        <source>This workstation</source>
        <translation>Dieser Arbeitsplatz</translation>
    </message>
    <message>
        <source>Scanner</source>
        <translation>Scanner</translation>
    </message>
    <message>
        <source>&amp;Database</source>
        <translation>&amp;Datenbank</translation>
    </message>
    <message>
        <source>&amp;Workstation name</source>
        <translation>&amp;Arbeitsplatzname</translation>
    </message>
    <message>
        <source>&amp;Language before log-in</source>
        <translation>&amp;Sprache vor der Anmeldung</translation>
    </message>
    <message>
        <source>S&amp;ound</source>
        <translation>&amp;Ton</translation>
    </message>
    <message>
        <source>&amp;Kiosk</source>
        <translation>&amp;Kiosk</translation>
    </message>
    <message>
        <source>&amp;Prefix</source>
        <translation>&amp;Präfix</translation>
    </message>
    <message>
        <source>S&amp;uffix</source>
        <translation>S&amp;uffix</translation>
    </message>
    <message>
        <source>&amp;Fastest typing</source>
        <translation>&amp;Schnellste Eingabe</translation>
    </message>
    <message>
        <source>S&amp;ymbology identifier</source>
        <translation>S&amp;ymbologie-Kennung</translation>
    </message>
    <message>
        <source>&amp;Try a scan</source>
        <translation>Scan &amp;testen</translation>
    </message>
    <message>
        <source>file path or postgresql://user@server/database</source>
        <translation>Dateipfad oder postgresql://benutzer@server/datenbank</translation>
    </message>
    <message>
        <source>Language of the system</source>
        <translation>Sprache des Systems</translation>
    </message>
    <message>
        <source>Beep for ok, attention and error</source>
        <translation>Piepton bei OK, Achtung und Fehler</translation>
    </message>
    <message>
        <source>Full screen, without title bar</source>
        <translation>Vollbild, ohne Titelleiste</translation>
    </message>
    <message>
        <source>Enter</source>
        <translation>Enter</translation>
    </message>
    <message>
        <source>Tab</source>
        <translation>Tab</translation>
    </message>
    <message>
        <source>Keys closer together than this come from a scanner.</source>
        <translation>Tasten, die schneller aufeinander folgen, kommen von einem Scanner.</translation>
    </message>
    <message>
        <source>The scanner sends ]C1, ]d2... before each code</source>
        <translation>Der Scanner sendet ]C1, ]d2... vor jedem Code</translation>
    </message>
    <message>
        <source>Save (Ctrl+S)</source>
        <translation>Speichern (Strg+S)</translation>
    </message>
    <message>
        <source>Support</source>
        <translation>Support</translation>
    </message>
    <message>
        <source>Log files: {folder}</source>
        <translation>Protokolldateien: {folder}</translation>
    </message>
    <message>
        <source>Log files: none (logging to the console only)</source>
        <translation>Protokolldateien: keine (Protokoll nur auf der Konsole)</translation>
    </message>
    <message>
        <source>Copy diagnostics (F8)</source>
        <translation>Diagnose kopieren (F8)</translation>
    </message>
    <message>
        <source>Tab: next field    Ctrl+S: save    Esc: back without saving</source>
        <translation>Tab: nächstes Feld    Strg+S: speichern    Esc: zurück ohne Speichern</translation>
    </message>
</context>
<context>
    <name>ShortPicks</name>
    <message>
        <source>Scan location {location} first, then report what is missing.</source>
        <translation>Zuerst Lagerplatz {location} scannen, dann melden, was fehlt.</translation>
    </message>
    <message>
        <source>How many {sku} are at {location}? Type the number found (0 to {most}), then Enter</source>
        <translation>Wie viele {sku} liegen an {location}? Gefundene Anzahl eingeben (0 bis {most}), dann Enter</translation>
    </message>
    <message>
        <source>{found} of {quantity} {sku} found at {location}. Why?</source>
        <translation>{found} von {quantity} {sku} an {location} gefunden. Warum?</translation>
    </message>
    <message>
        <source>Short pick cancelled: nothing was written off</source>
        <translation>Fehlmenge abgebrochen: nichts wurde ausgebucht</translation>
    </message>
    <message>
        <source>Short: {picked} of {quantity} {sku} → tote {slot}, {missing} written off.</source>
        <translation>Fehlmenge: {picked} von {quantity} {sku} → Kiste {slot}, {missing} ausgebucht.</translation>
    </message>
    <message>
        <source>{units} more reserved in other bins: at the end of the list.</source>
        <translation>{units} weitere an anderen Plätzen reserviert: am Ende der Liste.</translation>
    </message>
    <message>
        <source>{units} on backorder.</source>
        <translation>{units} im Rückstand.</translation>
    </message>
    <message>
        <source>A count of {location} is requested.</source>
        <translation>Eine Zählung von {location} ist angefordert.</translation>
    </message>
</context>
<context>
    <name>SpotDecision</name>
    <message>
        <source>Nothing of {number} waits for a decision.</source>
        <translation>Nichts von {number} wartet auf eine Entscheidung.</translation>
    </message>
    <message>
        <source>{line}: expected {expected}, counted {counted} ({variance})</source>
        <translation>{line}: erwartet {expected}, gezählt {counted} ({variance})</translation>
    </message>
    <message numerus="yes">
        <source>and %n more</source>
        <translation>
            <numerusform>und %n weitere</numerusform>
            <numerusform>und %n weitere</numerusform>
        </translation>
    </message>
    <message>
        <source>Approve: stock becomes what was counted</source>
        <translation>Genehmigen: Bestand wird, was gezählt wurde</translation>
    </message>
    <message>
        <source>Reject: stock stays as recorded</source>
        <translation>Ablehnen: Bestand bleibt wie gebucht</translation>
    </message>
    <message>
        <source>{name} decides {number}:</source>
        <translation>{name} entscheidet {number}:</translation>
    </message>
    <message>
        <source>Why approve?</source>
        <translation>Warum genehmigen?</translation>
    </message>
    <message>
        <source>Why reject?</source>
        <translation>Warum ablehnen?</translation>
    </message>
    <message>
        <source>{line}: {now} now; keep counted {counted_change}, keep the difference {difference_change}</source>
        <translation>{line}: jetzt {now}; gezählte Menge übernehmen {counted_change}, Differenz übernehmen {difference_change}</translation>
    </message>
    <message>
        <source>Stock moved while it was counted:</source>
        <translation>Bestand hat sich während der Zählung bewegt:</translation>
    </message>
    <message>
        <source>No supervisor decision was made.</source>
        <translation>Kein Vorgesetzter hat entschieden.</translation>
    </message>
    <message>
        <source>These lines were already decided.</source>
        <translation>Über diese Zeilen wurde bereits entschieden.</translation>
    </message>
    <message numerus="yes">
        <source>{name} approved %n line(s) of {number} ({reason}): stock changed by {units} units.</source>
        <translation>
            <numerusform>{name} hat %n Zeile von {number} genehmigt ({reason}): Bestand um {units} Einheiten geändert.</numerusform>
            <numerusform>{name} hat %n Zeilen von {number} genehmigt ({reason}): Bestand um {units} Einheiten geändert.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{name} rejected %n line(s) of {number} ({reason}): stock stays as recorded.</source>
        <translation>
            <numerusform>{name} hat %n Zeile von {number} abgelehnt ({reason}): Bestand bleibt wie gebucht.</numerusform>
            <numerusform>{name} hat %n Zeilen von {number} abgelehnt ({reason}): Bestand bleibt wie gebucht.</numerusform>
        </translation>
    </message>
    <message>
        <source>One line at a time</source>
        <translation>Zeile für Zeile</translation>
    </message>
    <message>
        <source>Stopped: the lines not decided yet keep waiting.</source>
        <translation>Angehalten: die noch nicht entschiedenen Zeilen warten weiter.</translation>
    </message>
</context>
<context>
    <name>StockScreen</name>
    <message>
        <source>Stock on hand</source>
        <translation>Lagerbestand</translation>
    </message>
    <message>
        <source>&amp;Search</source>
        <translation>&amp;Suchen</translation>
    </message>
    <message>
        <source>SKU, barcode, product name, location or lot</source>
        <translation>Artikelnr., Barcode, Artikelname, Lagerplatz oder Charge</translation>
    </message>
    <message>
        <source>History of the &amp;product</source>
        <translation>Verlauf des &amp;Artikels</translation>
    </message>
    <message>
        <source>History of the &amp;location</source>
        <translation>Verlauf des &amp;Lagerplatzes</translation>
    </message>
    <message>
        <source>Enter: search    Down: to the results    Alt+P / Alt+L: history of product / location    Esc: back</source>
        <translation>Enter: suchen    Ab: zu den Ergebnissen    Alt+P / Alt+L: Verlauf von Artikel / Lagerplatz    Esc: zurück</translation>
    </message>
    <message>
        <source>Nothing in stock matches “{text}”.</source>
        <translation>Nichts am Lager passt zu „{text}“.</translation>
    </message>
    <message numerus="yes">
        <source>Showing the first %n row(s); scroll down for more.</source>
        <translation>
            <numerusform>Die erste %n Zeile wird angezeigt; für mehr nach unten scrollen.</numerusform>
            <numerusform>Die ersten %n Zeilen werden angezeigt; für mehr nach unten scrollen.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n row(s).</source>
        <translation>
            <numerusform>%n Zeile.</numerusform>
            <numerusform>%n Zeilen.</numerusform>
        </translation>
    </message>
    <message>
        <source>The search matches a great many items: type more of it.</source>
        <translation>Die Suche trifft sehr viele Artikel: mehr davon eingeben.</translation>
    </message>
    <message>
        <source>Select a row to see its moves.</source>
        <translation>Eine Zeile wählen, um ihre Bewegungen zu sehen.</translation>
    </message>
    <message>
        <source>Moves of {sku}</source>
        <translation>Bewegungen von {sku}</translation>
    </message>
    <message>
        <source>Moves at {location}</source>
        <translation>Bewegungen an {location}</translation>
    </message>
</context>
<context>
    <name>StockTables</name>
    <message>
        <source>SKU</source>
        <translation>Artikelnr.</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Artikel</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>Lagerplatz</translation>
    </message>
    <message>
        <source>Lot</source>
        <translation>Charge</translation>
    </message>
    <message>
        <source>Expiry</source>
        <translation>Verfall</translation>
    </message>
    <message>
        <source>License plate</source>
        <translation>Ladungsträger</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>Menge</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Nach</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Nach</translation>
    </message>
    <message>
        <source>Workstation</source>
        <translation>Arbeitsplatz</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>Beleg</translation>
    </message>
</context>
<context>
    <name>SuggestionPanel</name>
    <message>
        <source>Also possible: {bins}</source>
        <translation>Auch möglich: {bins}</translation>
    </message>
    <message>
        <source>Not suggested: {why}</source>
        <translation>Nicht vorgeschlagen: {why}</translation>
    </message>
    <message>
        <source>Take plate {plate} ({quantity} units) to any bin with room</source>
        <translation>Ladungsträger {plate} ({quantity} Einheiten) auf einen beliebigen Platz mit Raum bringen</translation>
    </message>
    <message>
        <source>Take plate {plate} ({quantity} units) to {location}</source>
        <translation>Ladungsträger {plate} ({quantity} Einheiten) nach {location} bringen</translation>
    </message>
    <message>
        <source>Take {quantity} of {total} × {sku} to any bin with room</source>
        <translation>{quantity} von {total} × {sku} auf einen beliebigen Platz mit Raum bringen</translation>
    </message>
    <message>
        <source>Take {quantity} of {total} × {sku} to {location}</source>
        <translation>{quantity} von {total} × {sku} nach {location} bringen</translation>
    </message>
    <message>
        <source>Take {quantity} × {sku} to any bin with room</source>
        <translation>{quantity} × {sku} auf einen beliebigen Platz mit Raum bringen</translation>
    </message>
    <message>
        <source>Take {quantity} × {sku} to {location}</source>
        <translation>{quantity} × {sku} nach {location} bringen</translation>
    </message>
    <message>
        <source>{quantity} × {sku} {name}</source>
        <translation>{quantity} × {sku} {name}</translation>
    </message>
    <message>
        <source>lot {lot}</source>
        <translation>Charge {lot}</translation>
    </message>
    <message>
        <source>expires {date}</source>
        <translation>verfällt {date}</translation>
    </message>
    <message>
        <source>From {source}: {goods}</source>
        <translation>Von {source}: {goods}</translation>
    </message>
</context>
<context>
    <name>UserForm</name>
    <message>
        <source>New user</source>
        <translation>Neuer Benutzer</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Benutzername</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Badge</source>
        <translation>Ausweis</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rolle</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
</context>
<context>
    <name>UsersScreen</name>
    <message>
        <source>Users</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Benutzername</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Badge</source>
        <translation>Ausweis</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rolle</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <source>Locked</source>
        <translation>Gesperrt</translation>
    </message>
    <message>
        <source>New user...</source>
        <translation>Neuer Benutzer...</translation>
    </message>
    <message>
        <source>Deactivate / reactivate</source>
        <translation>Deaktivieren / reaktivieren</translation>
    </message>
    <message>
        <source>Reset PIN...</source>
        <translation>PIN zurücksetzen...</translation>
    </message>
    <message>
        <source>Print badge</source>
        <translation>Ausweis drucken</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <source>no</source>
        <translation>nein</translation>
    </message>
    <message>
        <source>Choose a user in the list first.</source>
        <translation>Zuerst einen Benutzer in der Liste auswählen.</translation>
    </message>
    <message>
        <source>User {name} added.</source>
        <translation>Benutzer {name} angelegt.</translation>
    </message>
    <message>
        <source>{name} is deactivated: the badge is refused.</source>
        <translation>{name} ist deaktiviert: der Ausweis wird abgewiesen.</translation>
    </message>
    <message>
        <source>{name} is active again.</source>
        <translation>{name} ist wieder aktiv.</translation>
    </message>
    <message>
        <source>New PIN set for {name}.</source>
        <translation>Neue PIN für {name} gesetzt.</translation>
    </message>
    <message>
        <source>Badge of {name} sent to the label printer.</source>
        <translation>Ausweis von {name} an den Etikettendrucker gesendet.</translation>
    </message>
</context>
<context>
    <name>WaitingModel</name>
    <message>
        <source>Location</source>
        <translation>Lagerplatz</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>Artikelnr.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Lot</source>
        <translation>Charge</translation>
    </message>
    <message>
        <source>License plate</source>
        <translation>Ladungsträger</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>Menge</translation>
    </message>
</context>
<context>
    <name>WaitingOrdersList</name>
    <message numerus="yes">
        <source>{order}    tote {tote}    %n unit(s)    {carrier}</source>
        <translation>
            <numerusform>{order}    Kiste {tote}    %n Einheit    {carrier}</numerusform>
            <numerusform>{order}    Kiste {tote}    %n Einheiten    {carrier}</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>WavesScreen</name>
    <message>
        <source>Waves and dispatch</source>
        <translation>Wellen und Versand</translation>
    </message>
    <message>
        <source>1 Release orders</source>
        <translation>1 Aufträge freigeben</translation>
    </message>
    <message>
        <source>2 Waves on the floor</source>
        <translation>2 Wellen in der Halle</translation>
    </message>
    <message>
        <source>3 Dispatch</source>
        <translation>3 Versand</translation>
    </message>
    <message>
        <source>Alt+1/2/3: tabs    Alt+A: allocate    Alt+S / Alt+B: release selected as single / batch waves    Alt+P / Alt+C: pick list PDF / CSV    Alt+D: dispatch    Alt+X: confirmations CSV    F5: reload    Ctrl+A: select all    Esc: back</source>
        <translation>Alt+1/2/3: Reiter    Alt+A: reservieren    Alt+S / Alt+B: Auswahl als Einzel- / Sammelwellen freigeben    Alt+P / Alt+C: Pickliste PDF / CSV    Alt+D: versenden    Alt+X: Bestätigungen CSV    F5: neu laden    Strg+A: alle wählen    Esc: zurück</translation>
    </message>
</context>
<context>
    <name>WavesTab</name>
    <message>
        <source>single order</source>
        <translation>Einzelauftrag</translation>
    </message>
    <message>
        <source>batch (cart)</source>
        <translation>Sammelkommissionierung (Wagen)</translation>
    </message>
    <message>
        <source>released</source>
        <translation>freigegeben</translation>
    </message>
    <message>
        <source>being picked</source>
        <translation>wird kommissioniert</translation>
    </message>
    <message>
        <source>picked</source>
        <translation>kommissioniert</translation>
    </message>
    <message>
        <source>Wave</source>
        <translation>Welle</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>Modus</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>Aufträge</translation>
    </message>
    <message>
        <source>Lines picked</source>
        <translation>Zeilen kommissioniert</translation>
    </message>
    <message>
        <source>Units picked</source>
        <translation>Einheiten kommissioniert</translation>
    </message>
    <message>
        <source>Route (m)</source>
        <translation>Weg (m)</translation>
    </message>
    <message>
        <source>Totes: orders</source>
        <translation>Kisten: Aufträge</translation>
    </message>
    <message>
        <source>Show picked waves</source>
        <translation>Kommissionierte Wellen anzeigen</translation>
    </message>
    <message>
        <source>Pick list as PDF (Alt+P)</source>
        <translation>Pickliste als PDF (Alt+P)</translation>
    </message>
    <message>
        <source>Pick list as CSV (Alt+C)</source>
        <translation>Pickliste als CSV (Alt+C)</translation>
    </message>
    <message>
        <source>{done} of {total}</source>
        <translation>{done} von {total}</translation>
    </message>
    <message>
        <source>Select a wave first.</source>
        <translation>Zuerst eine Welle wählen.</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF-Dateien (*.pdf)</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <source>Pick list of {wave}</source>
        <translation>Pickliste von {wave}</translation>
    </message>
    <message>
        <source>Writing the pick list of {wave}…</source>
        <translation>Die Pickliste von {wave} wird geschrieben…</translation>
    </message>
    <message>
        <source>Could not write {path}: {reason}</source>
        <translation>{path} konnte nicht geschrieben werden: {reason}</translation>
    </message>
    <message>
        <source>Pick list of {wave} saved to {path}</source>
        <translation>Pickliste von {wave} gespeichert unter {path}</translation>
    </message>
</context>
<context>
    <name>argparse</name>
    <message>
        <source>positional arguments</source>
        <translation>Positionsargumente</translation>
    </message>
    <message>
        <source>options</source>
        <translation>Optionen</translation>
    </message>
    <message>
        <source>show this help message and exit</source>
        <translation>diese Hilfe zeigen und beenden</translation>
    </message>
    <message>
        <source>usage: </source>
        <translation>Aufruf: </translation>
    </message>
    <message>
        <source>show program&apos;s version number and exit</source>
        <translation>die Versionsnummer zeigen und beenden</translation>
    </message>
</context>
<context>
    <name>cli</name>
    <message>
        <source>{prog}: error: {message}</source>
        <translation>{prog}: Fehler: {message}</translation>
    </message>
    <message>
        <source>--demo and --database exclude each other</source>
        <translation>--demo und --database schließen einander aus</translation>
    </message>
    <message>
        <source>database error: {reason}</source>
        <translation>Datenbankfehler: {reason}</translation>
    </message>
    <message>
        <source>row {row}, {column}: {reason}</source>
        <translation>Zeile {row}, {column}: {reason}</translation>
    </message>
    <message>
        <source>row {row}: {reason}</source>
        <translation>Zeile {row}: {reason}</translation>
    </message>
    <message>
        <source>{file}: no such file</source>
        <translation>{file}: keine solche Datei</translation>
    </message>
    <message>
        <source>&apos;{text}&apos; is not a whole number</source>
        <translation>&apos;{text}&apos; ist keine ganze Zahl</translation>
    </message>
    <message>
        <source>must be between {low} and {high}, not {value}</source>
        <translation>muss zwischen {low} und {high} liegen, nicht {value}</translation>
    </message>
    <message>
        <source>must be at least {low}, not {value}</source>
        <translation>muss mindestens {low} sein, nicht {value}</translation>
    </message>
    <message>
        <source>PIN for {name}: </source>
        <translation>PIN für {name}: </translation>
    </message>
    <message>
        <source>Created the Stockfloor tables in {database} (schema {schema}).</source>
        <translation>Stockfloor-Tabellen in {database} angelegt (Schema {schema}).</translation>
    </message>
    <message>
        <source>Upgraded {database} from schema {before} to {after}; backup: {file}.</source>
        <translation>{database} von Schema {before} auf {after} aktualisiert; Sicherung: {file}.</translation>
    </message>
    <message>
        <source>Upgraded {database} from schema {before} to {after}.</source>
        <translation>{database} von Schema {before} auf {after} aktualisiert.</translation>
    </message>
    <message>
        <source>database: {database}</source>
        <translation>Datenbank: {database}</translation>
    </message>
    <message>
        <source>schema before: {schema}</source>
        <translation>Schema vorher: {schema}</translation>
    </message>
    <message>
        <source>already up to date</source>
        <translation>bereits aktuell</translation>
    </message>
    <message>
        <source>schema after:  {schema}</source>
        <translation>Schema nachher: {schema}</translation>
    </message>
    <message>
        <source>backup: {file}</source>
        <translation>Sicherung: {file}</translation>
    </message>
    <message>
        <source>ledger consistent: {rows} on-hand rows, {moves} moves; document counters agree</source>
        <translation>Bestandsbuch stimmig: Bestandszeilen: {rows}, Buchungen: {moves}; die Belegzähler stimmen überein</translation>
    </message>
    <message>
        <source>{count} document counters disagree with the ledger</source>
        <translation>Belegzähler, die nicht zum Bestandsbuch passen: {count}</translation>
    </message>
    <message>
        <source>, lot {lot}</source>
        <translation>, Charge {lot}</translation>
    </message>
    <message>
        <source>, license plate {plate}</source>
        <translation>, Ladungsträger {plate}</translation>
    </message>
    <message>
        <source> (negative)</source>
        <translation> (negativ)</translation>
    </message>
    <message>
        <source>{product} at {location}{extra}: on-hand {on_hand}, ledger {ledger}{negative}</source>
        <translation>{product} auf {location}{extra}: Bestand {on_hand}, Bestandsbuch {ledger}{negative}</translation>
    </message>
    <message>
        <source>{count} discrepancies between on-hand and the ledger</source>
        <translation>Abweichungen zwischen Bestand und Bestandsbuch: {count}</translation>
    </message>
    <message>
        <source>file size: {size} MB</source>
        <translation>Dateigröße: {size} MB</translation>
    </message>
    <message>
        <source>current</source>
        <translation>aktuell</translation>
    </message>
    <message>
        <source>needs `stockfloor db upgrade` to {schema}</source>
        <translation>braucht `stockfloor db upgrade` auf {schema}</translation>
    </message>
    <message>
        <source>schema: {schema} ({state})</source>
        <translation>Schema: {schema} ({state})</translation>
    </message>
    <message>
        <source>products</source>
        <translation>Artikel</translation>
    </message>
    <message>
        <source>barcodes</source>
        <translation>Barcodes</translation>
    </message>
    <message>
        <source>locations</source>
        <translation>Lagerplätze</translation>
    </message>
    <message>
        <source>virtual locations</source>
        <translation>virtuelle Lagerplätze</translation>
    </message>
    <message>
        <source>lots</source>
        <translation>Chargen</translation>
    </message>
    <message>
        <source>license plates</source>
        <translation>Ladungsträger</translation>
    </message>
    <message>
        <source>on-hand rows</source>
        <translation>Bestandszeilen</translation>
    </message>
    <message>
        <source>units on hand</source>
        <translation>Einheiten am Lager</translation>
    </message>
    <message>
        <source>moves</source>
        <translation>Buchungen</translation>
    </message>
    <message>
        <source>open purchase orders</source>
        <translation>offene Bestellungen</translation>
    </message>
    <message>
        <source>active users</source>
        <translation>aktive Benutzer</translation>
    </message>
    <message>
        <source>Demo warehouse built in {database} in {seconds} s:</source>
        <translation>Demolager in {database} in {seconds} s aufgebaut:</translation>
    </message>
    <message>
        <source>bins</source>
        <translation>Fächer</translation>
    </message>
    <message>
        <source>{products} products, {locations} locations ({bins} bins), {lots} lots/serials, {plates} pallets on SSCC license plates</source>
        <translation>Artikel: {products}, Lagerplätze: {locations} (Fächer: {bins}), Chargen/Seriennummern: {lots}, Paletten auf SSCC-Ladungsträgern: {plates}</translation>
    </message>
    <message>
        <source>{moves} opening moves, {units} units on hand, {orders} open purchase orders / ASNs</source>
        <translation>Eröffnungsbuchungen: {moves}, Einheiten am Lager: {units}, offene Bestellungen/Lieferavise: {orders}</translation>
    </message>
    <message>
        <source>{orders} customer orders ({waves} waves released, ready to pick), floor layout and cartons</source>
        <translation>Kundenaufträge: {orders} (freigegebene Wellen, bereit zum Kommissionieren: {waves}), Hallenplan und Kartons</translation>
    </message>
    <message>
        <source>Users (badge, PIN, role, language):</source>
        <translation>Benutzer (Ausweis, PIN, Rolle, Sprache):</translation>
    </message>
    <message>
        <source>Built the demo warehouse in {file}.</source>
        <translation>Demolager in {file} aufgebaut.</translation>
    </message>
    <message>
        <source>users</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>orders</source>
        <translation>Bestellungen</translation>
    </message>
    <message>
        <source>rules</source>
        <translation>Regeln</translation>
    </message>
    <message>
        <source>{file}: rows valid: {rows}; {what}: would create {created}, would update {updated}. Dry run: nothing was written.</source>
        <translation>{file}: gültige Zeilen: {rows}; {what}: würde {created} anlegen und {updated} ändern. Probelauf: nichts wurde geschrieben.</translation>
    </message>
    <message>
        <source>{file}: rows imported: {rows}; {what}: created {created}, updated {updated}.</source>
        <translation>{file}: importierte Zeilen: {rows}; {what}: angelegt {created}, geändert {updated}.</translation>
    </message>
    <message>
        <source>Orders allocated: {orders}; units reserved: {units}; on backorder: {backorder}.</source>
        <translation>Zugeteilte Aufträge: {orders}; reservierte Einheiten: {units}; im Rückstand: {backorder}.</translation>
    </message>
    <message>
        <source>{file}: {orders} orders with {lines} lines valid, nothing written (dry run).</source>
        <translation>{file}: gültig, nichts geschrieben (Probelauf). Aufträge: {orders}, Positionen: {lines}.</translation>
    </message>
    <message>
        <source>{file}: {orders} orders with {lines} lines imported.</source>
        <translation>{file}: importiert. Aufträge: {orders}, Positionen: {lines}.</translation>
    </message>
    <message>
        <source>{file}: {aisles} aisles, {cross} middle cross aisles, depot at x={x}.</source>
        <translation>{file}: Gassen: {aisles}, mittlere Quergänge: {cross}, Depot bei x={x}.</translation>
    </message>
    <message>
        <source>{order}: {units} reserved, backorder {backorder}</source>
        <translation>{order}: reserviert {units}, im Rückstand {backorder}</translation>
    </message>
    <message>
        <source>Units waiting for replenishment: {units} (tasks: {tasks}).</source>
        <translation>Einheiten, die auf Nachschub warten: {units} (Aufgaben: {tasks}).</translation>
    </message>
    <message>
        <source>no allocated orders match: nothing released</source>
        <translation>keine zugeteilten Aufträge passen: nichts freigegeben</translation>
    </message>
    <message>
        <source>{wave}: {picks} picks, {units} units ({orders})</source>
        <translation>{wave}: Picks {picks}, Einheiten {units} ({orders})</translation>
    </message>
    <message>
        <source>Waves released: {waves}; lines to pick: {lines}.</source>
        <translation>Freigegebene Wellen: {waves}; zu kommissionierende Positionen: {lines}.</translation>
    </message>
    <message>
        <source>&apos;{text}&apos; is not a wave number like W000012</source>
        <translation>&apos;{text}&apos; ist keine Wellennummer wie W000012</translation>
    </message>
    <message>
        <source>pick list of {wave} written to {file}</source>
        <translation>Pickliste von {wave} nach {file} geschrieben</translation>
    </message>
    <message>
        <source>{count} parcel items written to {file}</source>
        <translation>{count} Paketpositionen nach {file} geschrieben</translation>
    </message>
    <message>
        <source>{count} shipped parcels written to {file}</source>
        <translation>versandte Pakete nach {file} geschrieben: {count}</translation>
    </message>
    <message>
        <source>only locations are printed by range</source>
        <translation>nur Lagerplätze werden nach Bereich gedruckt</translation>
    </message>
    <message>
        <source>only products are chosen by SKU</source>
        <translation>nur Artikel werden nach SKU gewählt</translation>
    </message>
    <message>
        <source>only receiving labels come from an order</source>
        <translation>nur Wareneingangsetiketten kommen aus einer Bestellung</translation>
    </message>
    <message>
        <source>give --order PO</source>
        <translation>--order BESTELLUNG angeben</translation>
    </message>
    <message>
        <source>only location labels have arrows</source>
        <translation>nur Lagerplatzetiketten haben Pfeile</translation>
    </message>
    <message>
        <source>Print job {job} is kept as failed: retry it from the Print jobs screen.</source>
        <translation>Druckauftrag {job} bleibt als fehlgeschlagen gespeichert: im Bildschirm Druckaufträge erneut versuchen.</translation>
    </message>
    <message>
        <source>{count} labels written to {file}</source>
        <translation>Etiketten nach {file} geschrieben: {count}</translation>
    </message>
    <message>
        <source>document written to {file}</source>
        <translation>Dokument nach {file} geschrieben</translation>
    </message>
    <message>
        <source>Print job {job}: {count} page sent to {printer}</source>
        <translation>Druckauftrag {job} an {printer} gesendet: Seiten: {count}</translation>
    </message>
    <message>
        <source>Print job {job}: {count} pages sent to {printer}</source>
        <translation>Druckauftrag {job} an {printer} gesendet: Seiten: {count}</translation>
    </message>
    <message>
        <source>Print job {job}: {count} label sent to {printer}</source>
        <translation>Druckauftrag {job} an {printer} gesendet: Etiketten: {count}</translation>
    </message>
    <message>
        <source>Print job {job}: {count} labels sent to {printer}</source>
        <translation>Druckauftrag {job} an {printer} gesendet: Etiketten: {count}</translation>
    </message>
    <message>
        <source>printer {name} prints {format}</source>
        <translation>Drucker {name} druckt {format}</translation>
    </message>
    <message>
        <source>no printer profile is named &apos;{name}&apos;, and CUPS cannot be asked: {reason}</source>
        <translation>kein Druckerprofil heißt &apos;{name}&apos;, und CUPS ist nicht erreichbar: {reason}</translation>
    </message>
    <message>
        <source>there is no printer profile or CUPS queue named &apos;{name}&apos;</source>
        <translation>es gibt kein Druckerprofil und keine CUPS-Warteschlange namens &apos;{name}&apos;</translation>
    </message>
    <message>
        <source>bad scan: {reason}</source>
        <translation>unlesbarer Scan: {reason}</translation>
    </message>
    <message>
        <source>database: none at {file} (interpretation only)</source>
        <translation>Datenbank: keine unter {file} (nur Deutung)</translation>
    </message>
    <message>
        <source>database: not known in {database}</source>
        <translation>Datenbank: in {database} nicht bekannt</translation>
    </message>
    <message>
        <source>database: no exact match in {database}</source>
        <translation>Datenbank: kein genauer Treffer in {database}</translation>
    </message>
    <message>
        <source>{count} tamper findings in moves, audit_log and scan_journal</source>
        <translation>Manipulationsbefunde in moves, audit_log und scan_journal: {count}</translation>
    </message>
    <message>
        <source>hash chain intact: {rows} rows chained, head {head}</source>
        <translation>Hash-Kette intakt: verkettete Zeilen: {rows}, Kopf {head}</translation>
    </message>
    <message>
        <source>setup-roles is for PostgreSQL; on SQLite the triggers alone keep the tables append-only.</source>
        <translation>setup-roles ist für PostgreSQL; unter SQLite halten die Trigger allein die Tabellen unveränderlich.</translation>
    </message>
    <message>
        <source>Token for {name} (shown once; keep it where the scheduled job runs):</source>
        <translation>Token für {name} (nur einmal angezeigt; dort aufbewahren, wo der geplante Job läuft):</translation>
    </message>
    <message>
        <source>{count} products written to {file}</source>
        <translation>{count} Artikel nach {file} geschrieben</translation>
    </message>
    <message>
        <source>{count} on-hand rows written to {file}</source>
        <translation>Bestandszeilen nach {file} geschrieben: {count}</translation>
    </message>
    <message>
        <source>{count} receipt rows of {po} written to {file}</source>
        <translation>{count} Wareneingangszeilen von {po} nach {file} geschrieben</translation>
    </message>
    <message>
        <source>{count} journal rows written to {file}</source>
        <translation>Journalzeilen nach {file} geschrieben: {count}</translation>
    </message>
    <message>
        <source>{file}: {rmas} RMAs with {lines} lines valid, nothing written (dry run)</source>
        <translation>{file}: gültig, nichts geschrieben (Probelauf). Retouren: {rmas}, Positionen: {lines}</translation>
    </message>
    <message>
        <source>{file}: {rmas} RMAs with {lines} lines imported</source>
        <translation>{file}: importiert. Retouren: {rmas}, Positionen: {lines}</translation>
    </message>
    <message>
        <source>, {replaced} replaced</source>
        <translation>, ersetzt: {replaced}</translation>
    </message>
    <message>
        <source>{count} inspected returns written to {file}</source>
        <translation>geprüfte Retouren nach {file} geschrieben: {count}</translation>
    </message>
    <message>
        <source>return report by {group} written to {file}</source>
        <translation>Retourenbericht nach {group} in {file} geschrieben</translation>
    </message>
    <message>
        <source>argument {argument}: {message}</source>
        <translation>Argument {argument}: {message}</translation>
    </message>
    <message>
        <source>the following arguments are required: {arguments}</source>
        <translation>diese Argumente fehlen: {arguments}</translation>
    </message>
    <message>
        <source>invalid choice: {value} (choose from {choices})</source>
        <translation>ungültige Wahl: {value} (möglich: {choices})</translation>
    </message>
    <message>
        <source>unrecognized arguments: {arguments}</source>
        <translation>unbekannte Argumente: {arguments}</translation>
    </message>
    <message>
        <source>expected one argument</source>
        <translation>erwartet einen Wert</translation>
    </message>
    <message>
        <source>expected at least one argument</source>
        <translation>erwartet mindestens einen Wert</translation>
    </message>
    <message>
        <source>invalid {type} value: {value}</source>
        <translation>ungültiger {type}-Wert: {value}</translation>
    </message>
    <message>
        <source>not allowed with argument {argument}</source>
        <translation>nicht zusammen mit Argument {argument} erlaubt</translation>
    </message>
    <message>
        <source>one of the arguments {arguments} is required</source>
        <translation>eines dieser Argumente ist nötig: {arguments}</translation>
    </message>
    <message>
        <source>Products classified: {count} (by {basis}, over {days} days): {classes}</source>
        <translation>Artikel klassifiziert: {count} (nach {basis}, über {days} Tage): {classes}</translation>
    </message>
    <message>
        <source>{day}  counts: {count}</source>
        <translation>{day}  Zählungen: {count}</translation>
    </message>
    <message>
        <source>Counts that would be planned: {count} over {days} days; due counts left for the next plan (daily cap): {left}</source>
        <translation>Zählungen, die geplant würden: {count} über {days} Tage; fällige Zählungen für den nächsten Plan (Tageslimit): {left}</translation>
    </message>
    <message>
        <source>Counts planned: {count} over {days} days; due counts left for the next plan (daily cap): {left}</source>
        <translation>Geplante Zählungen: {count} über {days} Tage; fällige Zählungen für den nächsten Plan (Tageslimit): {left}</translation>
    </message>
    <message>
        <source>{count} figures written to {file}</source>
        <translation>{count} Kennzahlen nach {file} geschrieben</translation>
    </message>
    <message>
        <source>{reference}</source>
        <translation>{reference}</translation>
    </message>
    <message>
        <source>order {reference}</source>
        <translation>Auftrag {reference}</translation>
    </message>
    <message>
        <source>stock {reference}</source>
        <translation>Bestand {reference}</translation>
    </message>
    <message>
        <source>{document}, {item}: {counter} {stored}, ledger says {ledger}</source>
        <translation>{document}, {item}: {counter} {stored}, laut Bestandsbuch {ledger}</translation>
    </message>
    <message>
        <source>pick faces</source>
        <translation>Kommissionierplätze</translation>
    </message>
    <message>
        <source>lines: {count}</source>
        <translation>Positionen: {count}</translation>
    </message>
    <message>
        <source>new barcodes: {count}</source>
        <translation>neue Barcodes: {count}</translation>
    </message>
    <message>
        <source>raw: {raw}</source>
        <translation>roh: {raw}</translation>
    </message>
    <message>
        <source>command: {value}</source>
        <translation>Befehl: {value}</translation>
    </message>
    <message>
        <source>GTIN: {value}</source>
        <translation>GTIN: {value}</translation>
    </message>
    <message>
        <source>SSCC: {value}</source>
        <translation>SSCC: {value}</translation>
    </message>
    <message>
        <source>lot: {value}</source>
        <translation>Charge: {value}</translation>
    </message>
    <message>
        <source>expiry: {value}</source>
        <translation>Verfallsdatum: {value}</translation>
    </message>
    <message>
        <source>best before: {value}</source>
        <translation>mindestens haltbar bis: {value}</translation>
    </message>
    <message>
        <source>serial: {value}</source>
        <translation>Seriennummer: {value}</translation>
    </message>
    <message>
        <source>count: {value}</source>
        <translation>Anzahl: {value}</translation>
    </message>
    <message>
        <source>net weight (kg): {value}</source>
        <translation>Nettogewicht (kg): {value}</translation>
    </message>
    <message>
        <source>kind: {kind}</source>
        <translation>Art: {kind}</translation>
    </message>
    <message>
        <source>symbology identifier: {value}</source>
        <translation>Symbologie-Kennung: {value}</translation>
    </message>
    <message>
        <source>code: {value}</source>
        <translation>Code: {value}</translation>
    </message>
    <message>
        <source>problem: {problem}</source>
        <translation>Problem: {problem}</translation>
    </message>
    <message>
        <source>product {sku} ({name})</source>
        <translation>Artikel {sku} ({name})</translation>
    </message>
    <message>
        <source>, {units} units per scan</source>
        <translation>, {units} Einheiten je Scan</translation>
    </message>
    <message>
        <source>location {code} ({kind}, blocked), check digits {digits}</source>
        <translation>Lagerplatz {code} ({kind}, gesperrt), Prüfziffern {digits}</translation>
    </message>
    <message>
        <source>location {code} ({kind}), check digits {digits}</source>
        <translation>Lagerplatz {code} ({kind}), Prüfziffern {digits}</translation>
    </message>
    <message>
        <source>license plate {code}</source>
        <translation>Ladungsträger {code}</translation>
    </message>
    <message>
        <source>{kind} {number} from {supplier} ({status})</source>
        <translation>{kind} {number} von {supplier} ({status})</translation>
    </message>
    <message>
        <source>badge of {name} ({role})</source>
        <translation>Ausweis von {name} ({role})</translation>
    </message>
    <message>
        <source>, lot tracked</source>
        <translation>, chargengeführt</translation>
    </message>
    <message>
        <source>, serial tracked</source>
        <translation>, seriennummerngeführt</translation>
    </message>
    <message>
        <source>{table} row {row} was edited after it was written</source>
        <translation>{table}, Zeile {row}: nach dem Schreiben geändert</translation>
    </message>
    <message>
        <source>{table} row {row} was deleted</source>
        <translation>{table}, Zeile {row}: gelöscht</translation>
    </message>
    <message>
        <source>{table} row {row} is not in the chain (written outside Stockfloor)</source>
        <translation>{table}, Zeile {row}: nicht in der Kette (außerhalb von Stockfloor geschrieben)</translation>
    </message>
    <message>
        <source>the chain link before {table} row {row} was removed</source>
        <translation>das Kettenglied vor {table}, Zeile {row}, wurde entfernt</translation>
    </message>
    <message>
        <source>letters, digits and _ only</source>
        <translation>nur Buchstaben, Ziffern und _</translation>
    </message>
    <message>
        <source>password for {role}: </source>
        <translation>Passwort für {role}: </translation>
    </message>
    <message>
        <source>role {role}: may read and write the warehouse in schema {schema}, may only append to {tables}.</source>
        <translation>Rolle {role}: darf das Lager im Schema {schema} lesen und schreiben, an {tables} nur anhängen.</translation>
    </message>
    <message>
        <source>Connect Stockfloor as {url}; run `stockfloor db upgrade` as the owner.</source>
        <translation>Stockfloor als {url} verbinden; `stockfloor db upgrade` als Eigentümer ausführen.</translation>
    </message>
    <message>
        <source>{text} is not a date (YYYY-MM-DD)</source>
        <translation>{text} ist kein Datum (JJJJ-MM-TT)</translation>
    </message>
    <message>
        <source>{file}: rows valid: {rows}; would move {units_in} units in and {units_out} out ({lots} new lots, {plates} new license plates). Dry run: nothing was written.</source>
        <translation>{file}: gültige Zeilen: {rows}; würde Einheiten zubuchen: {units_in}, ausbuchen: {units_out} (neue Chargen: {lots}, neue Ladungsträger: {plates}). Probelauf: nichts wurde geschrieben.</translation>
    </message>
    <message>
        <source>{file}: rows imported: {rows}; moved {units_in} units in and {units_out} out ({lots} new lots, {plates} new license plates).</source>
        <translation>{file}: importierte Zeilen: {rows}; Einheiten zugebucht: {units_in}, ausgebucht: {units_out} (neue Chargen: {lots}, neue Ladungsträger: {plates}).</translation>
    </message>
</context>
<context>
    <name>cli codes</name>
    <message>
        <source>gs1</source>
        <translation>GS1-Datenstring</translation>
    </message>
    <message>
        <source>gtin</source>
        <translation>GTIN</translation>
    </message>
    <message>
        <source>command</source>
        <translation>Befehl</translation>
    </message>
    <message>
        <source>text</source>
        <translation>Text</translation>
    </message>
    <message>
        <source>receiving</source>
        <translation>Wareneingang</translation>
    </message>
    <message>
        <source>storage</source>
        <translation>Lagerung</translation>
    </message>
    <message>
        <source>pick_face</source>
        <translation>Kommissionierplatz</translation>
    </message>
    <message>
        <source>packing</source>
        <translation>Packplatz</translation>
    </message>
    <message>
        <source>shipping</source>
        <translation>Versand</translation>
    </message>
    <message>
        <source>quarantine</source>
        <translation>Sperrlager</translation>
    </message>
    <message>
        <source>returns</source>
        <translation>Retouren</translation>
    </message>
    <message>
        <source>cart</source>
        <translation>Wagen</translation>
    </message>
    <message>
        <source>supplier</source>
        <translation>Lieferant</translation>
    </message>
    <message>
        <source>customer</source>
        <translation>Kunde</translation>
    </message>
    <message>
        <source>inventory_loss</source>
        <translation>Inventurverlust</translation>
    </message>
    <message>
        <source>open</source>
        <translation>offen</translation>
    </message>
    <message>
        <source>partially received</source>
        <translation>teilweise eingegangen</translation>
    </message>
    <message>
        <source>received</source>
        <translation>eingegangen</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>abgeschlossen</translation>
    </message>
    <message>
        <source>operator</source>
        <translation>Bediener</translation>
    </message>
    <message>
        <source>supervisor</source>
        <translation>Schichtleiter</translation>
    </message>
    <message>
        <source>admin</source>
        <translation>Administrator</translation>
    </message>
</context>
<context>
    <name>cli columns</name>
    <message>
        <source>required</source>
        <translation>erforderlich</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>optional</translation>
    </message>
    <message>
        <source>text</source>
        <translation>Text</translation>
    </message>
    <message>
        <source>integer</source>
        <translation>ganze Zahl</translation>
    </message>
    <message>
        <source>decimal</source>
        <translation>Dezimalzahl</translation>
    </message>
    <message>
        <source>date YYYY-MM-DD</source>
        <translation>Datum JJJJ-MM-TT</translation>
    </message>
    <message>
        <source>one of {choices}</source>
        <translation>einer von {choices}</translation>
    </message>
    <message>
        <source>text, max {length}</source>
        <translation>Text, max. {length}</translation>
    </message>
    <message>
        <source>Stock-keeping unit. The key: a SKU already in the database is updated.</source>
        <translation>Artikelnummer (SKU). Der Schlüssel: eine SKU, die schon in der Datenbank ist, wird aktualisiert.</translation>
    </message>
    <message>
        <source>Product name as operators see it.</source>
        <translation>Artikelname, wie ihn die Mitarbeiter sehen.</translation>
    </message>
    <message>
        <source>Unit of measure (each, pack...); quantities are whole units.</source>
        <translation>Mengeneinheit (Stück, Packung...); Mengen sind ganze Einheiten.</translation>
    </message>
    <message>
        <source>Lot or serial numbers captured on receipt.</source>
        <translation>Chargen- oder Seriennummern, beim Wareneingang erfasst.</translation>
    </message>
    <message>
        <source>Lots carry an expiry date (needs tracking lot or serial).</source>
        <translation>Chargen tragen ein Ablaufdatum (braucht tracking lot oder serial).</translation>
    </message>
    <message>
        <source>Days of shelf life a lot must still have on receipt (0: only expired lots are held).</source>
        <translation>Tage Restlaufzeit, die eine Charge beim Wareneingang noch haben muss (0: nur abgelaufene Chargen werden zurückgehalten).</translation>
    </message>
    <message>
        <source>Free grouping for reports and put-away.</source>
        <translation>Freie Gruppierung für Berichte und Einlagerung.</translation>
    </message>
    <message>
        <source>The unit&apos;s GTIN (check digit verified).</source>
        <translation>Die GTIN der Einheit (Prüfziffer wird geprüft).</translation>
    </message>
    <message>
        <source>GTIN of a case, usually a GTIN-14; needs case_qty.</source>
        <translation>GTIN eines Kartons, meist eine GTIN-14; braucht case_qty.</translation>
    </message>
    <message>
        <source>Units in one case_gtin case.</source>
        <translation>Einheiten in einem case_gtin-Karton.</translation>
    </message>
    <message>
        <source>Weight of one unit in kg.</source>
        <translation>Gewicht einer Einheit in kg.</translation>
    </message>
    <message>
        <source>Length of one unit in cm.</source>
        <translation>Länge einer Einheit in cm.</translation>
    </message>
    <message>
        <source>Width of one unit in cm.</source>
        <translation>Breite einer Einheit in cm.</translation>
    </message>
    <message>
        <source>Height of one unit in cm.</source>
        <translation>Höhe einer Einheit in cm.</translation>
    </message>
    <message>
        <source>Cost of one unit (stock valuation).</source>
        <translation>Kosten einer Einheit (Bestandsbewertung).</translation>
    </message>
    <message>
        <source>More codes and the units each stands for, e.g. &apos;INT-77:1;95012345678903:6&apos;. All-digit codes of GTIN length must have a valid check digit.</source>
        <translation>Weitere Codes und die Einheiten, für die jeder steht, z. B. &apos;INT-77:1;95012345678903:6&apos;. Reine Ziffernfolgen in GTIN-Länge brauchen eine gültige Prüfziffer.</translation>
    </message>
    <message>
        <source>Location code, e.g. A-03-02-1. The key: an existing code is updated.</source>
        <translation>Lagerplatzcode, z. B. A-03-02-1. Der Schlüssel: ein vorhandener Code wird aktualisiert.</translation>
    </message>
    <message>
        <source>What the location&apos;s label encodes; blank means the code itself.</source>
        <translation>Was das Etikett des Lagerplatzes codiert; leer heißt der Code selbst.</translation>
    </message>
    <message>
        <source>What the location is for; supplier, customer and inventory_loss are virtual (they hold no stock).</source>
        <translation>Wofür der Lagerplatz da ist; supplier, customer und inventory_loss sind virtuell (sie führen keinen Bestand).</translation>
    </message>
    <message>
        <source>Zone name, for put-away rules and reports.</source>
        <translation>Zonenname, für Einlagerungsregeln und Berichte.</translation>
    </message>
    <message>
        <source>Aisle name, e.g. A.</source>
        <translation>Gangname, z. B. A.</translation>
    </message>
    <message>
        <source>Bay number along the aisle.</source>
        <translation>Nummer des Regalfelds entlang des Gangs.</translation>
    </message>
    <message>
        <source>Shelf level, 1 = floor / pick face.</source>
        <translation>Regalebene, 1 = Boden / Kommissionierplatz.</translation>
    </message>
    <message>
        <source>Position within the level.</source>
        <translation>Position innerhalb der Ebene.</translation>
    </message>
    <message>
        <source>Floor position across the aisles, metres (pick routing).</source>
        <translation>Position quer zu den Gängen, in Metern (Wegeoptimierung).</translation>
    </message>
    <message>
        <source>Floor position along the aisle from the front cross aisle, metres.</source>
        <translation>Position entlang des Gangs ab dem vorderen Quergang, in Metern.</translation>
    </message>
    <message>
        <source>Blocked locations take no stock.</source>
        <translation>Gesperrte Lagerplätze nehmen keinen Bestand auf.</translation>
    </message>
    <message>
        <source>Log-in name. The key: an existing username is updated.</source>
        <translation>Anmeldename. Der Schlüssel: ein vorhandener Benutzername wird aktualisiert.</translation>
    </message>
    <message>
        <source>Name shown on screens and in the audit trail.</source>
        <translation>Name auf den Bildschirmen und im Prüfprotokoll.</translation>
    </message>
    <message>
        <source>What the user&apos;s badge barcode encodes.</source>
        <translation>Was der Ausweis-Barcode des Benutzers codiert.</translation>
    </message>
    <message>
        <source>What the user may do.</source>
        <translation>Was der Benutzer darf.</translation>
    </message>
    <message>
        <source>4 to 12 digits. Required for a new user; blank keeps the current PIN.</source>
        <translation>4 bis 12 Ziffern. Pflicht für einen neuen Benutzer; leer behält die aktuelle PIN.</translation>
    </message>
    <message>
        <source>Language of the user&apos;s screens: en, es...</source>
        <translation>Sprache der Bildschirme des Benutzers: en, es...</translation>
    </message>
    <message>
        <source>Order number as printed and scanned. An existing order that nothing was received on yet is replaced.</source>
        <translation>Bestellnummer, wie gedruckt und gescannt. Eine vorhandene Bestellung, auf die noch nichts eingegangen ist, wird ersetzt.</translation>
    </message>
    <message>
        <source>po = purchase order, asn = advance shipping notice.</source>
        <translation>po = Bestellung, asn = Lieferavis.</translation>
    </message>
    <message>
        <source>Supplier name.</source>
        <translation>Name des Lieferanten.</translation>
    </message>
    <message>
        <source>When the goods are due.</source>
        <translation>Wann die Ware fällig ist.</translation>
    </message>
    <message>
        <source>Line number within the order.</source>
        <translation>Positionsnummer innerhalb der Bestellung.</translation>
    </message>
    <message>
        <source>Product ordered; must already exist.</source>
        <translation>Bestellter Artikel; muss schon existieren.</translation>
    </message>
    <message>
        <source>Units expected.</source>
        <translation>Erwartete Einheiten.</translation>
    </message>
    <message>
        <source>Location code of the bin. The key: an existing limit is replaced.</source>
        <translation>Lagerplatzcode des Fachs. Der Schlüssel: eine vorhandene Grenze wird ersetzt.</translation>
    </message>
    <message>
        <source>Most units the bin holds, all products together; blank = no limit.</source>
        <translation>Höchstens so viele Einheiten fasst das Fach, alle Artikel zusammen; leer = keine Grenze.</translation>
    </message>
    <message>
        <source>Most weight in kg (products&apos; weight_kg); blank = no limit.</source>
        <translation>Höchstgewicht in kg (weight_kg der Artikel); leer = keine Grenze.</translation>
    </message>
    <message>
        <source>Most volume in litres (products&apos; length x width x height); blank = no limit.</source>
        <translation>Höchstvolumen in Litern (length x width x height der Artikel); leer = keine Grenze.</translation>
    </message>
    <message>
        <source>May the bin hold several lots of one product? no = never, whatever the rules say.</source>
        <translation>Darf das Fach mehrere Chargen eines Artikels enthalten? no = nie, egal was die Regeln sagen.</translation>
    </message>
    <message>
        <source>What the rule is for: a product, a product group or a zone.</source>
        <translation>Wofür die Regel gilt: einen Artikel, eine Artikelgruppe oder eine Zone.</translation>
    </message>
    <message>
        <source>The SKU, product group or zone name. With scope, the key.</source>
        <translation>Die SKU, Artikelgruppe oder der Zonenname. Mit scope der Schlüssel.</translation>
    </message>
    <message>
        <source>Products only: the bin the product always goes to first.</source>
        <translation>Nur Artikel: das Fach, in das der Artikel immer zuerst kommt.</translation>
    </message>
    <message>
        <source>Products and groups: empty bins are looked for here first.</source>
        <translation>Artikel und Gruppen: leere Fächer werden zuerst hier gesucht.</translation>
    </message>
    <message>
        <source>Products and groups: the only zones allowed, separated by &apos;;&apos;; blank = every zone.</source>
        <translation>Artikel und Gruppen: die einzigen zugelassenen Zonen, getrennt durch &apos;;&apos;; leer = jede Zone.</translation>
    </message>
    <message>
        <source>May lots be mixed in a bin? Blank = the next rule decides (product, group, zone; default yes).</source>
        <translation>Dürfen Chargen in einem Fach gemischt werden? Leer = die nächste Regel entscheidet (Artikel, Gruppe, Zone; Standard ja).</translation>
    </message>
    <message>
        <source>Put a lot only with stock expiring no later? Blank = the next rule decides (default: yes for products with expiry dates).</source>
        <translation>Eine Charge nur zu Bestand legen, der nicht später abläuft? Leer = die nächste Regel entscheidet (Standard: ja für Artikel mit Ablaufdaten).</translation>
    </message>
    <message>
        <source>Code of the pick face. The key: an existing face&apos;s levels are replaced.</source>
        <translation>Code des Kommissionierplatzes. Der Schlüssel: die Füllstände eines vorhandenen Platzes werden ersetzt.</translation>
    </message>
    <message>
        <source>The product the face holds.</source>
        <translation>Der Artikel, den der Platz führt.</translation>
    </message>
    <message>
        <source>Replenish when the face holds fewer units than this.</source>
        <translation>Nachfüllen, wenn der Platz weniger Einheiten als diese enthält.</translation>
    </message>
    <message>
        <source>Fill the face up to this many units.</source>
        <translation>Den Platz bis zu so vielen Einheiten auffüllen.</translation>
    </message>
    <message>
        <source>Replenish in whole multiples of this (a case: 12).</source>
        <translation>In ganzen Vielfachen hiervon nachfüllen (ein Karton: 12).</translation>
    </message>
    <message>
        <source>The product&apos;s SKU (import products first).</source>
        <translation>Die SKU des Artikels (zuerst Artikel importieren).</translation>
    </message>
    <message>
        <source>Code of the bin the stock is in: a physical location, not blocked when stock is added.</source>
        <translation>Code des Fachs, in dem der Bestand liegt: ein physischer Lagerplatz, nicht gesperrt, wenn Bestand zugebucht wird.</translation>
    </message>
    <message>
        <source>Lot code (lot-tracked products) or serial number (serial-tracked, one unit per row); blank for products without tracking.</source>
        <translation>Chargencode (chargengeführte Artikel) oder Seriennummer (seriengeführt, eine Einheit pro Zeile); leer bei Artikeln ohne Verfolgung.</translation>
    </message>
    <message>
        <source>Expiry of a new lot (products with expiry dates); an existing lot&apos;s expiry must match.</source>
        <translation>Ablaufdatum einer neuen Charge (Artikel mit Ablaufdaten); das einer vorhandenen Charge muss übereinstimmen.</translation>
    </message>
    <message>
        <source>License plate (LPN or SSCC) the units are on; blank = loose.</source>
        <translation>Ladungsträger (LPN oder SSCC), auf dem die Einheiten stehen; leer = lose.</translation>
    </message>
    <message>
        <source>Units to add; negative to take units out (to inventory loss). Not 0.</source>
        <translation>Zuzubuchende Einheiten; negativ, um Einheiten zu entnehmen (an Inventurverlust). Nicht 0.</translation>
    </message>
    <message>
        <source>Why: opening_balance comes from the supplier location, the others from or to inventory loss.</source>
        <translation>Warum: opening_balance kommt vom Lieferantenplatz, die anderen von oder zum Inventurverlust.</translation>
    </message>
    <message>
        <source>What the row describes.</source>
        <translation>Was die Zeile beschreibt.</translation>
    </message>
    <message>
        <source>Aisle: its label, as in the locations&apos; aisle column.</source>
        <translation>Gang: seine Bezeichnung, wie in der Spalte aisle der Lagerplätze.</translation>
    </message>
    <message>
        <source>Aisle or depot: position across the aisles.</source>
        <translation>Gang oder Depot: Position quer zu den Gängen.</translation>
    </message>
    <message>
        <source>Cross aisle: position along the aisles (&gt; 0). Depot: 0 or blank.</source>
        <translation>Quergang: Position entlang der Gänge (&gt; 0). Depot: 0 oder leer.</translation>
    </message>
    <message>
        <source>Aisle: length from the front cross aisle.</source>
        <translation>Gang: Länge ab dem vorderen Quergang.</translation>
    </message>
    <message>
        <source>Sales channel of the original order: Shopify, Amazon...</source>
        <translation>Vertriebskanal des ursprünglichen Auftrags: Shopify, Amazon...</translation>
    </message>
    <message>
        <source>The channel&apos;s RMA (return authorisation) number, unique per channel.</source>
        <translation>Die RMA-Nummer (Rücksendegenehmigung) des Kanals, eindeutig je Kanal.</translation>
    </message>
    <message>
        <source>The original order&apos;s number in that channel.</source>
        <translation>Die Nummer des ursprünglichen Auftrags in diesem Kanal.</translation>
    </message>
    <message>
        <source>Product being returned.</source>
        <translation>Zurückgesendeter Artikel.</translation>
    </message>
    <message>
        <source>Units announced.</source>
        <translation>Angekündigte Einheiten.</translation>
    </message>
    <message>
        <source>The customer&apos;s reason, as the channel gives it.</source>
        <translation>Der Grund des Kunden, wie ihn der Kanal angibt.</translation>
    </message>
</context>
<context>
    <name>cli counters</name>
    <message>
        <source>received</source>
        <translation>eingegangen</translation>
    </message>
    <message>
        <source>damaged</source>
        <translation>beschädigt</translation>
    </message>
    <message>
        <source>picked</source>
        <translation>kommissioniert</translation>
    </message>
    <message>
        <source>packed</source>
        <translation>verpackt</translation>
    </message>
    <message>
        <source>pick tasks&apos; picked</source>
        <translation>kommissioniert laut Pickaufgaben</translation>
    </message>
    <message>
        <source>reserved (allocations + returns held)</source>
        <translation>reserviert (Zuteilungen + zurückgehaltene Retouren)</translation>
    </message>
</context>
<context>
    <name>cli help</name>
    <message>
        <source>database:
  --database takes a SQLite file path or a postgresql://user:password@host/name URL.
  Without it: ${variable}, else {default}
  --demo opens {demo}
  instead, building the demo warehouse there first when it is missing.

exit codes:
  0  done
  1  the command ran and found problems: rejected import rows, ledger discrepancies,
     an unreadable scan
  2  the command could not run: bad arguments, database unreachable or written by a
     newer Stockfloor, a file that cannot be read, other errors
</source>
        <translation>Datenbank:
  --database nimmt einen SQLite-Dateipfad oder eine URL postgresql://user:password@host/name.
  Ohne: ${variable}, sonst {default}
  --demo öffnet {demo}
  und baut dort zuerst das Demolager auf, wenn es fehlt.

Exit-Codes:
  0  erledigt
  1  der Befehl lief und fand Probleme: abgelehnte Importzeilen, Abweichungen im
     Bestandsbuch, ein unlesbarer Scan
  2  der Befehl konnte nicht laufen: falsche Argumente, Datenbank nicht erreichbar oder
     von einem neueren Stockfloor geschrieben, eine unlesbare Datei, andere Fehler
</translation>
    </message>
    <message>
        <source>SQLite file or postgresql:// URL</source>
        <translation>SQLite-Datei oder postgresql://-URL</translation>
    </message>
    <message>
        <source>use the demo database (built on first use)</source>
        <translation>die Demo-Datenbank verwenden (beim ersten Mal aufgebaut)</translation>
    </message>
    <message>
        <source>run as this user (asks for the PIN); or set STOCKFLOOR_TOKEN</source>
        <translation>als dieser Benutzer ausführen (fragt nach der PIN); oder STOCKFLOOR_TOKEN setzen</translation>
    </message>
    <message>
        <source>messages and printed documents in en, de, es or pl (default: the workstation&apos;s language, else the system&apos;s)</source>
        <translation>Meldungen und gedruckte Belege auf en, de, es oder pl (Standard: die Sprache des Arbeitsplatzes, sonst die des Systems)</translation>
    </message>
    <message>
        <source>Warehouse floor client. Without a command it opens the window.</source>
        <translation>Client für die Lagerhalle. Ohne Befehl öffnet er das Fenster.</translation>
    </message>
    <message>
        <source>ABC classes and the cycle-count plan</source>
        <translation>ABC-Klassen und der Plan der permanenten Inventur</translation>
    </message>
    <message>
        <source>classify every product A/B/C from its movement over the policy&apos;s look-back days (by value or by number of moves, with the policy&apos;s class shares)</source>
        <translation>jeden Artikel nach seiner Bewegung in den Rückblicktagen der Richtlinie in A/B/C einteilen (nach Wert oder Anzahl der Buchungen, mit den Klassenanteilen der Richtlinie)</translation>
    </message>
    <message>
        <source>plan the product counts the ABC schedule says are due in the policy&apos;s plan days, spread evenly, at most the daily cap a day</source>
        <translation>die laut ABC-Zeitplan fälligen Artikelzählungen auf die Plantage der Richtlinie verteilen, gleichmäßig, höchstens die Tagesgrenze pro Tag</translation>
    </message>
    <message>
        <source>the plan&apos;s first day (default today)</source>
        <translation>erster Tag des Plans (Standard: heute)</translation>
    </message>
    <message>
        <source>show the counts per day; plan nothing</source>
        <translation>die Zählungen pro Tag zeigen; nichts planen</translation>
    </message>
    <message>
        <source>schema upgrade, ledger check, database info</source>
        <translation>Schema-Aktualisierung, Prüfung des Bestandsbuchs, Datenbank-Info</translation>
    </message>
    <message>
        <source>bring the schema up to date (SQLite: after a backup)</source>
        <translation>das Schema aktualisieren (SQLite: nach einer Sicherung)</translation>
    </message>
    <message>
        <source>compare on-hand with the ledger; exit 1 and list every discrepancy when they differ</source>
        <translation>Bestand mit dem Bestandsbuch vergleichen; bei Abweichung jede auflisten und mit 1 enden</translation>
    </message>
    <message>
        <source>where the database is, its schema revisions and what it holds</source>
        <translation>wo die Datenbank liegt, ihre Schema-Revisionen und was sie enthält</translation>
    </message>
    <message>
        <source>fill an empty database with a demo warehouse</source>
        <translation>eine leere Datenbank mit einem Demolager füllen</translation>
    </message>
    <message>
        <source>how many products, 1 to {most} (default 300)</source>
        <translation>wie viele Artikel, 1 bis {most} (Standard 300)</translation>
    </message>
    <message>
        <source>the same seed builds the same warehouse (default 1)</source>
        <translation>derselbe Startwert baut dasselbe Lager (Standard 1)</translation>
    </message>
    <message>
        <source>ERASE everything in the database first</source>
        <translation>zuerst ALLES in der Datenbank LÖSCHEN</translation>
    </message>
    <message>
        <source>export stock as CSV</source>
        <translation>Bestand als CSV exportieren</translation>
    </message>
    <message>
        <source>every non-zero on-hand row: {columns}</source>
        <translation>jede Bestandszeile ungleich null: {columns}</translation>
    </message>
    <message>
        <source>where to write; &apos;-&apos; writes to standard output</source>
        <translation>wohin schreiben; &apos;-&apos; schreibt auf die Standardausgabe</translation>
    </message>
    <message>
        <source>only pick faces and storage bins that are not blocked (no quarantine, carts, docks)</source>
        <translation>nur nicht gesperrte Kommissionier- und Lagerplätze (kein Sperrlager, keine Wagen, keine Rampen)</translation>
    </message>
    <message>
        <source>one row per product: {columns}</source>
        <translation>eine Zeile pro Artikel: {columns}</translation>
    </message>
    <message>
        <source>the goods receipt of a purchase order: {columns}</source>
        <translation>der Wareneingang einer Bestellung: {columns}</translation>
    </message>
    <message>
        <source>purchase order or ASN number</source>
        <translation>Bestell- oder Lieferavis-Nummer</translation>
    </message>
    <message>
        <source>import products, locations, users or purchase orders from CSV</source>
        <translation>Artikel, Lagerplätze, Benutzer oder Bestellungen aus CSV importieren</translation>
    </message>
    <message>
        <source>columns:</source>
        <translation>Spalten:</translation>
    </message>
    <message>
        <source>check every row and report what would change; write nothing</source>
        <translation>jede Zeile prüfen und melden, was sich ändern würde; nichts schreiben</translation>
    </message>
    <message>
        <source>Products and their barcodes (one row per SKU).</source>
        <translation>Artikel und ihre Barcodes (eine Zeile pro SKU).</translation>
    </message>
    <message>
        <source>Locations: bins, docks, packing and shipping, and the virtual ends of moves.</source>
        <translation>Lagerplätze: Fächer, Rampen, Pack- und Versandplätze und die virtuellen Enden von Buchungen.</translation>
    </message>
    <message>
        <source>Users with badge, role, PIN and language.</source>
        <translation>Benutzer mit Ausweis, Rolle, PIN und Sprache.</translation>
    </message>
    <message>
        <source>Purchase orders and ASNs to receive (one row per line).</source>
        <translation>Bestellungen und Lieferavise zum Wareneingang (eine Zeile pro Position).</translation>
    </message>
    <message>
        <source>Bin capacities for put-away: units, weight, volume, and whether lots may mix.</source>
        <translation>Fachkapazitäten für die Einlagerung: Einheiten, Gewicht, Volumen und ob Chargen sich mischen dürfen.</translation>
    </message>
    <message>
        <source>Put-away rules per product, product group or zone: home bin, zones, lots, FEFO.</source>
        <translation>Einlagerungsregeln pro Artikel, Artikelgruppe oder Zone: Stammplatz, Zonen, Chargen, FEFO.</translation>
    </message>
    <message>
        <source>Pick faces for replenishment: the product, min / max and the replenishment unit.</source>
        <translation>Kommissionierplätze für den Nachschub: der Artikel, Min./Max. und die Nachschubeinheit.</translation>
    </message>
    <message>
        <source>the scan journal</source>
        <translation>das Scan-Journal</translation>
    </message>
    <message>
        <source>write the scan journal as CSV: {columns}</source>
        <translation>das Scan-Journal als CSV schreiben: {columns}</translation>
    </message>
    <message>
        <source>only this user (user name or display name); --user is who runs the command</source>
        <translation>nur dieser Benutzer (Benutzername oder Anzeigename); --user ist, wer den Befehl ausführt</translation>
    </message>
    <message>
        <source>only this workstation</source>
        <translation>nur dieser Arbeitsplatz</translation>
    </message>
    <message>
        <source>from this time (ISO 8601; UTC unless a zone is given)</source>
        <translation>ab diesem Zeitpunkt (ISO 8601; UTC, wenn keine Zone angegeben ist)</translation>
    </message>
    <message>
        <source>before this time</source>
        <translation>vor diesem Zeitpunkt</translation>
    </message>
    <message>
        <source>only this outcome (ok, error, refused, command, answer...)</source>
        <translation>nur dieses Ergebnis (ok, error, refused, command, answer...)</translation>
    </message>
    <message>
        <source>only scans whose text or message contains this</source>
        <translation>nur Scans, deren Text oder Meldung dies enthält</translation>
    </message>
    <message>
        <source>customer orders from CSV (one row per line) or JSON</source>
        <translation>Kundenaufträge aus CSV (eine Zeile pro Position) oder JSON</translation>
    </message>
    <message>
        <source>CSV columns (JSON: the same names, ship_to_* inside &quot;ship_to&quot;, lines as [{&quot;sku&quot;, &quot;quantity&quot;}]):</source>
        <translation>CSV-Spalten (JSON: dieselben Namen, ship_to_* in &quot;ship_to&quot;, Positionen als [{&quot;sku&quot;, &quot;quantity&quot;}]):</translation>
    </message>
    <message>
        <source>FILE.csv or FILE.json</source>
        <translation>FILE.csv oder FILE.json</translation>
    </message>
    <message>
        <source>check every order; write nothing</source>
        <translation>jeden Auftrag prüfen; nichts schreiben</translation>
    </message>
    <message>
        <source>the floor layout for pick routes (replaces the stored one)</source>
        <translation>der Hallenplan für Pickwege (ersetzt den gespeicherten)</translation>
    </message>
    <message>
        <source>allocate customer orders</source>
        <translation>Kundenaufträge zuteilen</translation>
    </message>
    <message>
        <source>reserve stock for every open or partly allocated order</source>
        <translation>Bestand für jeden offenen oder teilweise zugeteilten Auftrag reservieren</translation>
    </message>
    <message>
        <source>release allocated orders to the floor</source>
        <translation>zugeteilte Aufträge in die Halle freigeben</translation>
    </message>
    <message>
        <source>release the releasable orders (filters narrow them)</source>
        <translation>die freigabebereiten Aufträge freigeben (Filter grenzen sie ein)</translation>
    </message>
    <message>
        <source>single: a wave per order; batch: orders share carts, a tote each</source>
        <translation>single: eine Welle pro Auftrag; batch: Aufträge teilen sich Wagen, je eine Kiste</translation>
    </message>
    <message>
        <source>leave out orders with a backorder</source>
        <translation>Aufträge mit Rückstand auslassen</translation>
    </message>
    <message>
        <source>only this order number (repeat for more)</source>
        <translation>nur diese Auftragsnummer (für mehrere wiederholen)</translation>
    </message>
    <message>
        <source>a wave&apos;s pick list</source>
        <translation>die Pickliste einer Welle</translation>
    </message>
    <message>
        <source>the pick list in walking order as CSV or PDF</source>
        <translation>die Pickliste in Laufreihenfolge als CSV oder PDF</translation>
    </message>
    <message>
        <source>wave number (W000012) or id</source>
        <translation>Wellennummer (W000012) oder ID</translation>
    </message>
    <message>
        <source>default picklist-WAVE.csv|pdf; &apos;-&apos; = stdout</source>
        <translation>Standard picklist-WAVE.csv|pdf; &apos;-&apos; = Standardausgabe</translation>
    </message>
    <message>
        <source>shipment confirmations</source>
        <translation>Versandbestätigungen</translation>
    </message>
    <message>
        <source>one CSV row per shipped parcel: {columns}</source>
        <translation>eine CSV-Zeile pro versandtem Paket: {columns}</translation>
    </message>
    <message>
        <source>&apos;-&apos; writes to standard output</source>
        <translation>&apos;-&apos; schreibt auf die Standardausgabe</translation>
    </message>
    <message>
        <source>one row per item in each parcel instead: {columns}</source>
        <translation>stattdessen eine Zeile pro Artikel in jedem Paket: {columns}</translation>
    </message>
    <message>
        <source>print labels and documents</source>
        <translation>Etiketten und Belege drucken</translation>
    </message>
    <message>
        <source>labels: {kinds}</source>
        <translation>Etiketten: {kinds}</translation>
    </message>
    <message>
        <source>location codes, SKUs, license plate codes or badge codes</source>
        <translation>Lagerplatzcodes, SKUs, Ladungsträgercodes oder Ausweiscodes</translation>
    </message>
    <message>
        <source>locations: every location from FIRST to LAST</source>
        <translation>Lagerplätze: jeder Lagerplatz von FIRST bis LAST</translation>
    </message>
    <message>
        <source>products: these SKUs</source>
        <translation>Artikel: diese SKUs</translation>
    </message>
    <message>
        <source>receiving: the purchase order or ASN</source>
        <translation>Wareneingang: die Bestellung oder das Lieferavis</translation>
    </message>
    <message>
        <source>receiving: a label per receipt scan (case) or per unit</source>
        <translation>Wareneingang: ein Etikett pro Eingangsscan (Karton) oder pro Einheit</translation>
    </message>
    <message>
        <source>locations: an arrow pointing at the bin</source>
        <translation>Lagerplätze: ein Pfeil, der auf das Fach zeigt</translation>
    </message>
    <message>
        <source>label size or sheet</source>
        <translation>Etikettengröße oder Bogen</translation>
    </message>
    <message>
        <source>with -o: PDF (default; .zpl files: ZPL) or ZPL for thermal printers</source>
        <translation>mit -o: PDF (Standard; .zpl-Dateien: ZPL) oder ZPL für Thermodrucker</translation>
    </message>
    <message>
        <source>each label N times</source>
        <translation>jedes Etikett N-mal</translation>
    </message>
    <message>
        <source>receiving-report PO | putaway-list</source>
        <translation>receiving-report BESTELLUNG | putaway-list</translation>
    </message>
    <message>
        <source>what a receipt brought in</source>
        <translation>was ein Wareneingang gebracht hat</translation>
    </message>
    <message>
        <source>what waits to be put away, with the suggested bins</source>
        <translation>was auf die Einlagerung wartet, mit den vorgeschlagenen Fächern</translation>
    </message>
    <message>
        <source>only what waits on this location</source>
        <translation>nur was auf diesem Lagerplatz wartet</translation>
    </message>
    <message>
        <source>paper (default: A4 or the profile&apos;s)</source>
        <translation>Papier (Standard: A4 oder das des Profils)</translation>
    </message>
    <message>
        <source>write the PDF or ZPL here</source>
        <translation>das PDF oder ZPL hierhin schreiben</translation>
    </message>
    <message>
        <source>a printer profile (name or WORKSTATION/labels) or a CUPS queue</source>
        <translation>ein Druckerprofil (Name oder ARBEITSPLATZ/labels) oder eine CUPS-Warteschlange</translation>
    </message>
    <message>
        <source>key figures for supervisors</source>
        <translation>Kennzahlen für Schichtleiter</translation>
    </message>
    <message>
        <source>KPIs per day, week or month (README: KPI definitions)</source>
        <translation>Kennzahlen pro Tag, Woche oder Monat (README: KPI-Definitionen)</translation>
    </message>
    <message>
        <source>One row per figure: {columns}. A ratio with nothing to divide by has an empty value (null in JSON).</source>
        <translation>Eine Zeile pro Kennzahl: {columns}. Ein Verhältnis ohne Nenner hat einen leeren Wert (null in JSON).</translation>
    </message>
    <message>
        <source>first day (default: 27 days before --to)</source>
        <translation>erster Tag (Standard: 27 Tage vor --to)</translation>
    </message>
    <message>
        <source>last day (default: today)</source>
        <translation>letzter Tag (Standard: heute)</translation>
    </message>
    <message>
        <source>only this sales channel&apos;s orders, returns and lines</source>
        <translation>nur Aufträge, Retouren und Positionen dieses Verkaufskanals</translation>
    </message>
    <message>
        <source>where to write; &apos;-&apos; (default) is stdout</source>
        <translation>wohin schreiben; &apos;-&apos; (Standard) ist die Standardausgabe</translation>
    </message>
    <message>
        <source>check every RMA; write nothing</source>
        <translation>jede RMA prüfen; nichts schreiben</translation>
    </message>
    <message>
        <source>only units inspected on or after this day</source>
        <translation>nur Einheiten, die an oder nach diesem Tag geprüft wurden</translation>
    </message>
    <message>
        <source>only units inspected before this day</source>
        <translation>nur Einheiten, die vor diesem Tag geprüft wurden</translation>
    </message>
    <message>
        <source>FILE.pdf, or FILE.csv / &apos;-&apos; for the rows as CSV</source>
        <translation>FILE.pdf, oder FILE.csv / &apos;-&apos; für die Zeilen als CSV</translation>
    </message>
    <message>
        <source>returns the sales channels announced (CSV or JSON)</source>
        <translation>von den Verkaufskanälen angekündigte Retouren (CSV oder JSON)</translation>
    </message>
    <message>
        <source>CSV columns (JSON: a list of {channel, rma_number, order_number, lines: [{sku, quantity, reason}]}):</source>
        <translation>CSV-Spalten (JSON: eine Liste von {channel, rma_number, order_number, lines: [{sku, quantity, reason}]}):</translation>
    </message>
    <message>
        <source>inspected returns with grade, disposition and refund: {columns}</source>
        <translation>geprüfte Retouren mit Zustand, Verwendung und Erstattung: {columns}</translation>
    </message>
    <message>
        <source>return rate and grades by channel, product, reason or month</source>
        <translation>Retourenquote und Zustände nach Kanal, Artikel, Grund oder Monat</translation>
    </message>
    <message>
        <source>RMAs, inspection results, return report</source>
        <translation>RMAs, Prüfergebnisse, Retourenbericht</translation>
    </message>
    <message>
        <source>import RMAs from CSV or JSON</source>
        <translation>RMAs aus CSV oder JSON importieren</translation>
    </message>
    <message>
        <source>CSV columns:</source>
        <translation>CSV-Spalten:</translation>
    </message>
    <message>
        <source>inspection results as CSV</source>
        <translation>Prüfergebnisse als CSV</translation>
    </message>
    <message>
        <source>the return report</source>
        <translation>der Retourenbericht</translation>
    </message>
    <message>
        <source>explain what a scanned string means</source>
        <translation>erklären, was ein gescannter Text bedeutet</translation>
    </message>
    <message>
        <source>Explain a scan: symbology, GS1 fields, check digits, commands; and what it is in the database when there is one. Type the GS separator between GS1 fields as &lt;GS&gt; or \x1d, e.g. &apos;]C10109501101530003&apos; &apos;10LOT7&lt;GS&gt;17271231&apos;. Exit 1 when the scan is unreadable.</source>
        <translation>Einen Scan erklären: Symbologie, GS1-Felder, Prüfziffern, Befehle; und was er in der Datenbank ist, wenn es eine gibt. Das GS-Trennzeichen zwischen GS1-Feldern als &lt;GS&gt; oder \x1d eingeben, z. B. &apos;]C10109501101530003&apos; &apos;10LOT7&lt;GS&gt;17271231&apos;. Exit-Code 1, wenn der Scan unlesbar ist.</translation>
    </message>
    <message>
        <source>the scanned text</source>
        <translation>der gescannte Text</translation>
    </message>
    <message>
        <source>opening stock and adjustments, moved through the ledger (admin)</source>
        <translation>Anfangsbestand und Korrekturen, über das Bestandsbuch gebucht (Admin)</translation>
    </message>
    <message>
        <source>check every row and report what would move; write nothing</source>
        <translation>jede Zeile prüfen und melden, was gebucht würde; nichts schreiben</translation>
    </message>
    <message>
        <source>PostgreSQL: create the login role the app should connect as (no UPDATE/DELETE on moves, audit_log, scan_journal, chain_links); run once as the database owner</source>
        <translation>PostgreSQL: die Anmelderolle anlegen, mit der sich die App verbinden soll (kein UPDATE/DELETE auf moves, audit_log, scan_journal, chain_links); einmal als Eigentümer der Datenbank ausführen</translation>
    </message>
    <message>
        <source>name of the role (default stockfloor_app)</source>
        <translation>Name der Rolle (Standard stockfloor_app)</translation>
    </message>
    <message>
        <source>its password (asked when omitted)</source>
        <translation>ihr Passwort (wird abgefragt, wenn weggelassen)</translation>
    </message>
    <message>
        <source>accounts: tokens for scheduled jobs</source>
        <translation>Konten: Token für geplante Aufgaben</translation>
    </message>
    <message>
        <source>print a new token for NAME (admin only; the previous token stops working). Scheduled jobs set STOCKFLOOR_TOKEN to it and run as NAME.</source>
        <translation>einen neuen Token für NAME ausgeben (nur Admins; der bisherige Token gilt nicht mehr). Geplante Aufgaben setzen STOCKFLOOR_TOKEN darauf und laufen als NAME.</translation>
    </message>
    <message>
        <source>user name the token acts as</source>
        <translation>Benutzername, als der der Token handelt</translation>
    </message>
</context>
<context>
    <name>cli reasons</name>
    <message>
        <source>byte 0x{byte} at character {position} is not UTF-8 text (save the file as &apos;CSV UTF-8&apos;)</source>
        <translation>Byte 0x{byte} an Zeichen {position} ist kein UTF-8-Text (Datei als „CSV UTF-8“ speichern)</translation>
    </message>
    <message>
        <source>the file is empty: a header row is required</source>
        <translation>die Datei ist leer: eine Kopfzeile ist erforderlich</translation>
    </message>
    <message>
        <source>cannot be read as CSV: {error}</source>
        <translation>nicht als CSV lesbar: {error}</translation>
    </message>
    <message>
        <source>the file has a header but no rows</source>
        <translation>die Datei hat eine Kopfzeile, aber keine Zeilen</translation>
    </message>
    <message>
        <source>required column is missing</source>
        <translation>Pflichtspalte fehlt</translation>
    </message>
    <message>
        <source>unknown column (known: {columns})</source>
        <translation>unbekannte Spalte (bekannt: {columns})</translation>
    </message>
    <message>
        <source>column appears twice</source>
        <translation>Spalte kommt zweimal vor</translation>
    </message>
    <message>
        <source>value in a column without a header</source>
        <translation>Wert in einer Spalte ohne Überschrift</translation>
    </message>
    <message>
        <source>required, but empty</source>
        <translation>erforderlich, aber leer</translation>
    </message>
    <message>
        <source>contains a control character (0x{code})</source>
        <translation>enthält ein Steuerzeichen (0x{code})</translation>
    </message>
    <message>
        <source>longer than {length} characters</source>
        <translation>länger als {length} Zeichen</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not a whole number</source>
        <translation>„{value}“ ist keine ganze Zahl</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not a number (decimals take a dot)</source>
        <translation>„{value}“ ist keine Zahl (Dezimalstellen mit Punkt)</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not a number the database can hold</source>
        <translation>„{value}“ ist keine Zahl, die die Datenbank speichern kann</translation>
    </message>
    <message>
        <source>must be at least {minimum}, got {value}</source>
        <translation>muss mindestens {minimum} sein, ist {value}</translation>
    </message>
    <message>
        <source>must be between {low} and {high}, got {value}</source>
        <translation>muss zwischen {low} und {high} liegen, ist {value}</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not yes or no</source>
        <translation>„{value}“ ist weder yes noch no</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not a date as YYYY-MM-DD</source>
        <translation>„{value}“ ist kein Datum im Format JJJJ-MM-TT</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not one of {choices}</source>
        <translation>„{value}“ ist keiner von {choices}</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not a GTIN (8, 12, 13 or 14 digits)</source>
        <translation>„{value}“ ist keine GTIN (8, 12, 13 oder 14 Ziffern)</translation>
    </message>
    <message>
        <source>check digit of {code} should be {expected}, not {found}</source>
        <translation>Prüfziffer von {code} müsste {expected} sein, nicht {found}</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not a barcode (1-64 characters, no spaces)</source>
        <translation>„{value}“ ist kein Barcode (1–64 Zeichen, keine Leerzeichen)</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not a barcode (digits are 0-9)</source>
        <translation>„{value}“ ist kein Barcode (Ziffern sind 0–9)</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; after {code}: is not a whole number</source>
        <translation>„{value}“ nach {code}: ist keine ganze Zahl</translation>
    </message>
    <message>
        <source>{code}: a pack holds at most {limit} units</source>
        <translation>{code}: eine Packung enthält höchstens {limit} Einheiten</translation>
    </message>
    <message>
        <source>{code}: a pack holds at least 1 unit</source>
        <translation>{code}: eine Packung enthält mindestens 1 Einheit</translation>
    </message>
    <message>
        <source>{value} is already on row {row}</source>
        <translation>{value} steht schon in Zeile {row}</translation>
    </message>
    <message>
        <source>this SKU is already on row {row}</source>
        <translation>diese SKU steht schon in Zeile {row}</translation>
    </message>
    <message>
        <source>this line number is already on row {row}</source>
        <translation>diese Positionsnummer steht schon in Zeile {row}</translation>
    </message>
    <message>
        <source>a rule for this target is already on row {row}</source>
        <translation>eine Regel für dieses Ziel steht schon in Zeile {row}</translation>
    </message>
    <message>
        <source>this SKU, location, lot and license plate is already on row {row}</source>
        <translation>diese Kombination aus SKU, Lagerplatz, Charge und Ladungsträger steht schon in Zeile {row}</translation>
    </message>
    <message>
        <source>not valid JSON: {error} (column {column})</source>
        <translation>kein gültiges JSON: {error} (Spalte {column})</translation>
    </message>
    <message>
        <source>not valid JSON: {error}</source>
        <translation>kein gültiges JSON: {error}</translation>
    </message>
    <message>
        <source>nested deeper than {depth} levels</source>
        <translation>tiefer als {depth} Ebenen verschachtelt</translation>
    </message>
    <message>
        <source>expected a list of {what}</source>
        <translation>erwartet: eine Liste von {what}</translation>
    </message>
    <message>
        <source>unknown field</source>
        <translation>unbekanntes Feld</translation>
    </message>
    <message>
        <source>must be {kind}</source>
        <translation>erwartet: {kind}</translation>
    </message>
    <message>
        <source>required with case_gtin</source>
        <translation>erforderlich mit case_gtin</translation>
    </message>
    <message>
        <source>case_qty is given, but no case_gtin</source>
        <translation>case_qty ist angegeben, aber keine case_gtin</translation>
    </message>
    <message>
        <source>barcode {code} is already on row {row}</source>
        <translation>Barcode {code} steht schon in Zeile {row}</translation>
    </message>
    <message>
        <source>barcode {code} is already on this row</source>
        <translation>Barcode {code} steht schon in dieser Zeile</translation>
    </message>
    <message>
        <source>barcode {code} belongs to {sku}</source>
        <translation>Barcode {code} gehört zu {sku}</translation>
    </message>
    <message>
        <source>expiry is kept per lot: set tracking to lot or serial</source>
        <translation>das Ablaufdatum wird je Charge geführt: tracking auf lot oder serial setzen</translation>
    </message>
    <message>
        <source>{sku} has stock: {field} cannot change from {old} to {new}</source>
        <translation>{sku} hat Bestand: {field} kann nicht von {old} auf {new} wechseln</translation>
    </message>
    <message>
        <source>{value} is already used on row {row}</source>
        <translation>{value} wird schon in Zeile {row} verwendet</translation>
    </message>
    <message>
        <source>{value} is already used by location {location}</source>
        <translation>{value} wird schon von Lagerplatz {location} verwendet</translation>
    </message>
    <message>
        <source>{location} has stock history: it cannot change from {old} to {new}</source>
        <translation>{location} hat Bestandshistorie: kann nicht von {old} auf {new} wechseln</translation>
    </message>
    <message>
        <source>a PIN is 4 to 12 digits</source>
        <translation>eine PIN hat 4 bis 12 Ziffern</translation>
    </message>
    <message>
        <source>required for a new user</source>
        <translation>erforderlich für einen neuen Benutzer</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not a language code like en or es</source>
        <translation>„{value}“ ist kein Sprachcode wie en oder es</translation>
    </message>
    <message>
        <source>{badge} is the badge of {user}</source>
        <translation>{badge} ist der Ausweis von {user}</translation>
    </message>
    <message>
        <source>no product {sku} (import products first)</source>
        <translation>kein Artikel {sku} (zuerst Artikel importieren)</translation>
    </message>
    <message>
        <source>no location {location} (import locations first)</source>
        <translation>kein Lagerplatz {location} (zuerst Lagerplätze importieren)</translation>
    </message>
    <message>
        <source>no location {location}</source>
        <translation>kein Lagerplatz {location}</translation>
    </message>
    <message>
        <source>{number} is {status} and cannot be replaced</source>
        <translation>{number} ist {status} und kann nicht ersetzt werden</translation>
    </message>
    <message>
        <source>{number} is open and cannot be replaced</source>
        <translation>{number} ist offen und kann nicht ersetzt werden</translation>
    </message>
    <message>
        <source>{number} is partially received and cannot be replaced</source>
        <translation>{number} ist teilweise eingegangen und kann nicht ersetzt werden</translation>
    </message>
    <message>
        <source>{number} is received and cannot be replaced</source>
        <translation>{number} ist eingegangen und kann nicht ersetzt werden</translation>
    </message>
    <message>
        <source>{number} is closed and cannot be replaced</source>
        <translation>{number} ist abgeschlossen und kann nicht ersetzt werden</translation>
    </message>
    <message>
        <source>{number} says {first} on row {row}, {here} here</source>
        <translation>{number} hat {first} in Zeile {row}, hier {here}</translation>
    </message>
    <message>
        <source>{location} is a {kind} location, not a storage bin or pick face</source>
        <translation>{location} ist ein Lagerplatz der Art {kind}, kein Lagerfach und kein Kommissionierplatz</translation>
    </message>
    <message>
        <source>{location} is not a storage bin or pick face</source>
        <translation>{location} ist weder Lagerfach noch Kommissionierplatz</translation>
    </message>
    <message>
        <source>{location} is a {kind} location, not a pick face</source>
        <translation>{location} ist ein Lagerplatz der Art {kind}, kein Kommissionierplatz</translation>
    </message>
    <message>
        <source>{location} is a virtual {kind} location: it holds no stock</source>
        <translation>{location} ist ein virtueller Lagerplatz der Art {kind}: er führt keinen Bestand</translation>
    </message>
    <message>
        <source>{location} is blocked: it takes no stock</source>
        <translation>{location} ist gesperrt: er nimmt keinen Bestand auf</translation>
    </message>
    <message>
        <source>must not be 0</source>
        <translation>darf nicht 0 sein</translation>
    </message>
    <message>
        <source>{sku} is not lot or serial tracked: leave it blank</source>
        <translation>{sku} wird weder nach Charge noch nach Seriennummer geführt: leer lassen</translation>
    </message>
    <message>
        <source>{sku} is {tracking} tracked: a {what} is required</source>
        <translation>{sku} wird nach {tracking} geführt: {what} ist erforderlich</translation>
    </message>
    <message>
        <source>{sku} is lot tracked: a lot is required</source>
        <translation>{sku} wird nach Charge geführt: eine Charge ist erforderlich</translation>
    </message>
    <message>
        <source>{sku} is serial tracked: a serial number is required</source>
        <translation>{sku} wird nach Seriennummer geführt: eine Seriennummer ist erforderlich</translation>
    </message>
    <message>
        <source>{sku} is serial tracked: one unit per row (1 or -1)</source>
        <translation>{sku} wird nach Seriennummer geführt: eine Einheit pro Zeile (1 oder -1)</translation>
    </message>
    <message>
        <source>an expiry belongs to a lot: give the lot too</source>
        <translation>ein Ablaufdatum gehört zu einer Charge: auch die Charge angeben</translation>
    </message>
    <message>
        <source>lot {lot} of {sku} expires on {expiry}, not {given}</source>
        <translation>Charge {lot} von {sku} läuft am {expiry} ab, nicht am {given}</translation>
    </message>
    <message>
        <source>{sku} has expiry dates: a new lot needs one</source>
        <translation>{sku} hat Ablaufdaten: eine neue Charge braucht eines</translation>
    </message>
    <message>
        <source>{plate} holds stock in another location</source>
        <translation>{plate} enthält Bestand an einem anderen Lagerplatz</translation>
    </message>
    <message>
        <source>serial {serial} of {sku} is already in stock</source>
        <translation>Seriennummer {serial} von {sku} ist schon im Bestand</translation>
    </message>
    <message>
        <source>{location} has {free} free units of {sku} there (on hand {on_hand}, reserved {reserved}); cannot take {quantity}</source>
        <translation>{location} hat dort {free} freie Einheiten von {sku} (Bestand {on_hand}, reserviert {reserved}); {quantity} können nicht entnommen werden</translation>
    </message>
    <message>
        <source>only a product has a home location</source>
        <translation>nur ein Artikel hat einen Stammplatz</translation>
    </message>
    <message>
        <source>a zone rule cannot prefer a zone</source>
        <translation>eine Zonenregel kann keine Zone bevorzugen</translation>
    </message>
    <message>
        <source>a zone rule cannot allow zones</source>
        <translation>eine Zonenregel kann keine Zonen zulassen</translation>
    </message>
    <message>
        <source>&apos;{zone}&apos; is not among the allowed zones</source>
        <translation>„{zone}“ ist nicht unter den zugelassenen Zonen</translation>
    </message>
    <message>
        <source>cannot be negative</source>
        <translation>darf nicht negativ sein</translation>
    </message>
    <message>
        <source>must be more than min ({minimum})</source>
        <translation>muss größer als min ({minimum}) sein</translation>
    </message>
    <message>
        <source>must be at least 1</source>
        <translation>muss mindestens 1 sein</translation>
    </message>
    <message>
        <source>one unit ({unit}) does not fit below max ({maximum})</source>
        <translation>eine Einheit ({unit}) passt nicht unter max ({maximum})</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not a two-letter country code</source>
        <translation>„{value}“ ist kein zweibuchstabiger Ländercode</translation>
    </message>
    <message>
        <source>differs from row {row} of order {order}</source>
        <translation>weicht von Zeile {row} des Auftrags {order} ab</translation>
    </message>
    <message>
        <source>{sku} is already on row {row} of order {order}</source>
        <translation>{sku} steht schon in Zeile {row} des Auftrags {order}</translation>
    </message>
    <message>
        <source>{channel} order {order} is already order {first} of this file</source>
        <translation>{channel}-Auftrag {order} ist schon Auftrag {first} dieser Datei</translation>
    </message>
    <message>
        <source>an order must be an object</source>
        <translation>ein Auftrag muss ein Objekt sein</translation>
    </message>
    <message>
        <source>required: an object with name, address1, city, postcode, country</source>
        <translation>erforderlich: ein Objekt mit name, address1, city, postcode, country</translation>
    </message>
    <message>
        <source>required: a list of {sku, quantity}</source>
        <translation>erforderlich: eine Liste von {sku, quantity}</translation>
    </message>
    <message>
        <source>a line must be an object with sku and quantity</source>
        <translation>eine Position muss ein Objekt mit sku und quantity sein</translation>
    </message>
    <message>
        <source>unknown SKU {sku}</source>
        <translation>unbekannte SKU {sku}</translation>
    </message>
    <message>
        <source>{channel} order {order} already exists</source>
        <translation>{channel}-Auftrag {order} existiert bereits</translation>
    </message>
    <message>
        <source>RMA {rma} says order {order} on row {row}</source>
        <translation>RMA {rma} nennt in Zeile {row} den Auftrag {order}</translation>
    </message>
    <message>
        <source>{sku} is already on row {row} of RMA {rma}</source>
        <translation>{sku} steht schon in Zeile {row} der RMA {rma}</translation>
    </message>
    <message>
        <source>{channel} RMA {rma} is already RMA {first} of this file</source>
        <translation>{channel}-RMA {rma} ist schon RMA {first} dieser Datei</translation>
    </message>
    <message>
        <source>an RMA must be an object</source>
        <translation>eine RMA muss ein Objekt sein</translation>
    </message>
    <message>
        <source>required: a list of {sku, quantity, reason}</source>
        <translation>erforderlich: eine Liste von {sku, quantity, reason}</translation>
    </message>
    <message>
        <source>a line must be an object with sku, quantity and reason</source>
        <translation>eine Position muss ein Objekt mit sku, quantity und reason sein</translation>
    </message>
    <message>
        <source>no {channel} order {order}</source>
        <translation>kein {channel}-Auftrag {order}</translation>
    </message>
    <message>
        <source>{channel} RMA {rma} already exists and units of it have arrived</source>
        <translation>{channel}-RMA {rma} existiert bereits und Einheiten davon sind eingetroffen</translation>
    </message>
    <message>
        <source>{sku} was not shipped on {channel} order {order}</source>
        <translation>{sku} wurde mit {channel}-Auftrag {order} nicht versandt</translation>
    </message>
    <message>
        <source>{quantity} x {sku} announced, only {left} of the {shipped} shipped can still come back</source>
        <translation>{quantity} × {sku} angekündigt, von {shipped} versandten können nur noch {left} zurückkommen</translation>
    </message>
    <message>
        <source>required when kind is {kind}</source>
        <translation>erforderlich, wenn kind {kind} ist</translation>
    </message>
    <message>
        <source>the depot must be on the front cross aisle (y = 0)</source>
        <translation>das Depot muss am vorderen Quergang liegen (y = 0)</translation>
    </message>
    <message>
        <source>a middle cross aisle lies beyond the front (y &gt; 0)</source>
        <translation>ein mittlerer Quergang liegt hinter dem vorderen (y &gt; 0)</translation>
    </message>
    <message>
        <source>the layout needs at least one aisle row</source>
        <translation>der Lageplan braucht mindestens eine Gangzeile</translation>
    </message>
    <message>
        <source>only one depot row</source>
        <translation>nur eine Depotzeile</translation>
    </message>
    <message>
        <source>beyond the aisles&apos; length {length}</source>
        <translation>jenseits der Ganglänge {length}</translation>
    </message>
    <message>
        <source>a layout needs at least one aisle</source>
        <translation>ein Lageplan braucht mindestens einen Gang</translation>
    </message>
    <message>
        <source>every coordinate must be a finite number</source>
        <translation>jede Koordinate muss eine endliche Zahl sein</translation>
    </message>
    <message>
        <source>aisle x coordinates must be strictly increasing ({first}, {second})</source>
        <translation>die x-Koordinaten der Gänge müssen streng steigen ({first}, {second})</translation>
    </message>
    <message>
        <source>aisle length must be positive</source>
        <translation>die Ganglänge muss positiv sein</translation>
    </message>
    <message>
        <source>middle cross aisles must increase strictly inside (0, {length})</source>
        <translation>mittlere Quergänge müssen innerhalb von (0, {length}) streng steigen</translation>
    </message>
    <message>
        <source>column {number}</source>
        <translation>Spalte {number}</translation>
    </message>
</context>
<context>
    <name>deviation reasons</name>
    <message>
        <source>Suggested bin is full</source>
        <translation>Vorgeschlagener Platz ist voll</translation>
    </message>
    <message>
        <source>Suggested bin is blocked physically</source>
        <translation>Vorgeschlagener Platz ist physisch blockiert</translation>
    </message>
    <message>
        <source>Better location</source>
        <translation>Besserer Lagerplatz</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Sonstiges</translation>
    </message>
</context>
<context>
    <name>error words</name>
    <message>
        <source>product</source>
        <translation>Artikel</translation>
    </message>
    <message>
        <source>location</source>
        <translation>Lagerplatz</translation>
    </message>
    <message>
        <source>license plate</source>
        <translation>Ladungsträger</translation>
    </message>
    <message>
        <source>purchase order</source>
        <translation>Bestellung</translation>
    </message>
    <message>
        <source>badge</source>
        <translation>Ausweis</translation>
    </message>
    <message>
        <source>command</source>
        <translation>Befehl</translation>
    </message>
    <message>
        <source>a product</source>
        <translation>einen Artikel</translation>
    </message>
    <message>
        <source>a location</source>
        <translation>einen Lagerplatz</translation>
    </message>
    <message>
        <source>a license plate</source>
        <translation>einen Ladungsträger</translation>
    </message>
    <message>
        <source>a purchase order</source>
        <translation>eine Bestellung</translation>
    </message>
    <message>
        <source>a badge</source>
        <translation>einen Ausweis</translation>
    </message>
    <message>
        <source>a command</source>
        <translation>einen Befehl</translation>
    </message>
    <message>
        <source>open</source>
        <translation>offen</translation>
    </message>
    <message>
        <source>partially received</source>
        <translation>teilweise erhalten</translation>
    </message>
    <message>
        <source>received</source>
        <translation>erhalten</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>abgeschlossen</translation>
    </message>
    <message>
        <source>receive</source>
        <translation>annehmen</translation>
    </message>
    <message>
        <source>complete</source>
        <translation>abschließen</translation>
    </message>
    <message>
        <source>close short</source>
        <translation>mit Fehlmenge schließen</translation>
    </message>
    <message>
        <source>approve</source>
        <translation>genehmigen</translation>
    </message>
    <message>
        <source>quantity</source>
        <translation>Menge</translation>
    </message>
    <message>
        <source>Purchase order</source>
        <translation>Bestellung</translation>
    </message>
    <message>
        <source>SSCC</source>
        <translation>SSCC</translation>
    </message>
    <message>
        <source>GTIN</source>
        <translation>GTIN</translation>
    </message>
    <message>
        <source>GTIN of the contents</source>
        <translation>GTIN des Inhalts</translation>
    </message>
    <message>
        <source>lot</source>
        <translation>Charge</translation>
    </message>
    <message>
        <source>production date</source>
        <translation>Herstellungsdatum</translation>
    </message>
    <message>
        <source>due date</source>
        <translation>Fälligkeitsdatum</translation>
    </message>
    <message>
        <source>packaging date</source>
        <translation>Verpackungsdatum</translation>
    </message>
    <message>
        <source>best before date</source>
        <translation>Mindesthaltbarkeitsdatum</translation>
    </message>
    <message>
        <source>sell by date</source>
        <translation>Verkaufsdatum</translation>
    </message>
    <message>
        <source>expiry date</source>
        <translation>Verfallsdatum</translation>
    </message>
    <message>
        <source>serial number</source>
        <translation>Seriennummer</translation>
    </message>
    <message>
        <source>count</source>
        <translation>Anzahl</translation>
    </message>
    <message>
        <source>net weight</source>
        <translation>Nettogewicht</translation>
    </message>
    <message>
        <source>its fields do not follow the GS1 rules</source>
        <translation>seine Felder entsprechen nicht den GS1-Regeln</translation>
    </message>
    <message>
        <source> or </source>
        <translation> oder </translation>
    </message>
    <message>
        <source>This step</source>
        <translation>Dieser Schritt</translation>
    </message>
    <message>
        <source>This document</source>
        <translation>Dieses Dokument</translation>
    </message>
    <message>
        <source>This pick task</source>
        <translation>Dieser Kommissionierauftrag</translation>
    </message>
    <message>
        <source>A product not on the document</source>
        <translation>Ein Artikel, der nicht im Dokument steht,</translation>
    </message>
    <message>
        <source>Receiving more than expected</source>
        <translation>Eine Mehrmenge</translation>
    </message>
    <message>
        <source>Another bin than the suggested one</source>
        <translation>Ein anderer Lagerplatz als der vorgeschlagene</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <source>Something went wrong.</source>
        <translation>Etwas ist schiefgelaufen.</translation>
    </message>
    <message>
        <source>This scan could not be read.</source>
        <translation>Dieser Scan konnte nicht gelesen werden.</translation>
    </message>
    <message>
        <source>The scan was empty.</source>
        <translation>Der Scan war leer.</translation>
    </message>
    <message>
        <source>&apos;{raw}&apos; contains characters a barcode cannot hold.</source>
        <translation>&apos;{raw}&apos; enthält Zeichen, die ein Barcode nicht enthalten kann.</translation>
    </message>
    <message>
        <source>{kind} check digit is {got}, expected {expected} (&apos;{code}&apos;).</source>
        <translation>{kind}-Prüfziffer ist {got}, erwartet {expected} (&apos;{code}&apos;).</translation>
    </message>
    <message>
        <source>&apos;{raw}&apos; looks like a GS1 barcode but cannot be read: {reason}</source>
        <translation>&apos;{raw}&apos; sieht wie ein GS1-Barcode aus, kann aber nicht gelesen werden: {reason}</translation>
    </message>
    <message>
        <source>&apos;{code}&apos; is not a known product, location, license plate, document or badge.</source>
        <translation>&apos;{code}&apos; ist kein bekannter Artikel, Lagerplatz, Ladungsträger, Beleg oder Ausweis.</translation>
    </message>
    <message>
        <source>{code} is a {got}, scan {expected}.</source>
        <translation>{code} ist {got}, bitte {expected} scannen.</translation>
    </message>
    <message>
        <source>Only {available} of {sku} at {location}, {requested} needed.</source>
        <translation>Nur {available} von {sku} an {location}, {requested} benötigt.</translation>
    </message>
    <message>
        <source>Location {location} is blocked.</source>
        <translation>Lagerplatz {location} ist gesperrt.</translation>
    </message>
    <message>
        <source>{who} may not {action}.</source>
        <translation>{who} darf nicht {action}.</translation>
    </message>
    <message>
        <source>{reason} A supervisor must approve.</source>
        <translation>{reason} Ein Vorgesetzter muss genehmigen.</translation>
    </message>
    <message>
        <source>{document} is {state}: &apos;{action}&apos; is not possible.</source>
        <translation>{document} ist {state}: &apos;{action}&apos; ist nicht möglich.</translation>
    </message>
    <message>
        <source>{what} &apos;{key}&apos; does not exist.</source>
        <translation>{what} &apos;{key}&apos; existiert nicht.</translation>
    </message>
    <message>
        <source>{field}: {reason}</source>
        <translation>{field}: {reason}</translation>
    </message>
    <message>
        <source>{sku} is tracked by lot: scan the lot (GS1 barcode) or enter it.</source>
        <translation>{sku} wird nach Charge geführt: Charge scannen (GS1-Barcode) oder eingeben.</translation>
    </message>
    <message>
        <source>{sku} needs an expiry date: scan the GS1 barcode or enter it.</source>
        <translation>{sku} braucht ein Verfallsdatum: GS1-Barcode scannen oder eingeben.</translation>
    </message>
    <message>
        <source>{sku} lot {lot} expires {expiry}.</source>
        <translation>{sku} Charge {lot} läuft am {expiry} ab.</translation>
    </message>
    <message>
        <source>{sku} lot {lot} expired on {expiry}.</source>
        <translation>{sku} Charge {lot} ist am {expiry} abgelaufen.</translation>
    </message>
    <message>
        <source>{sku} lot {lot} expires {expiry}: {days} days left, at least {minimum} required.</source>
        <translation>{sku} Charge {lot} läuft am {expiry} ab: noch {days} Tage, mindestens {minimum} verlangt.</translation>
    </message>
    <message>
        <source>The database {where} cannot be reached: {reason}</source>
        <translation>Die Datenbank {where} ist nicht erreichbar: {reason}</translation>
    </message>
    <message>
        <source>The database {where} was written by a newer Stockfloor (schema {revision}). Update Stockfloor on this workstation.</source>
        <translation>Die Datenbank {where} wurde von einem neueren Stockfloor geschrieben (Schema {revision}). Stockfloor auf diesem Arbeitsplatz aktualisieren.</translation>
    </message>
    <message>
        <source>The database {where} needs Stockfloor {required} or newer; this workstation runs {running}. Update Stockfloor on this workstation.</source>
        <translation>Die Datenbank {where} braucht Stockfloor {required} oder neuer; dieser Arbeitsplatz hat {running}. Stockfloor auf diesem Arbeitsplatz aktualisieren.</translation>
    </message>
    <message>
        <source>Badge or PIN not recognised.</source>
        <translation>Ausweis oder PIN nicht erkannt.</translation>
    </message>
    <message>
        <source>Type the PIN of badge {badge}.</source>
        <translation>PIN zum Ausweis {badge} eingeben.</translation>
    </message>
    <message>
        <source>Too many wrong PINs: {name} is locked until {until}.</source>
        <translation>Zu viele falsche PINs: {name} ist bis {until} gesperrt.</translation>
    </message>
    <message>
        <source>Badge {badge} belongs to a deactivated account.</source>
        <translation>Ausweis {badge} gehört zu einem deaktivierten Konto.</translation>
    </message>
    <message>
        <source>A supervisor must approve this.</source>
        <translation>Ein Vorgesetzter muss dies genehmigen.</translation>
    </message>
    <message>
        <source>{sku} is not on {document}. A supervisor must approve receiving it.</source>
        <translation>{sku} steht nicht auf {document}. Ein Vorgesetzter muss die Annahme genehmigen.</translation>
    </message>
    <message>
        <source>{sku}: {would_be} would be received, {expected} expected (tolerance {tolerance}%). A supervisor must approve.</source>
        <translation>{sku}: {would_be} würden angenommen, {expected} erwartet (Toleranz {tolerance}%). Ein Vorgesetzter muss genehmigen.</translation>
    </message>
    <message>
        <source>Serial {serial} of {sku} is already in stock.</source>
        <translation>Seriennummer {serial} von {sku} ist bereits am Lager.</translation>
    </message>
    <message>
        <source>The scan is {length} characters long, a barcode here holds at most {limit}: scan one barcode at a time.</source>
        <translation>Der Scan ist {length} Zeichen lang, ein Barcode hat hier höchstens {limit}: immer nur einen Barcode scannen.</translation>
    </message>
    <message>
        <source>&apos;{raw}&apos; contains {char}, which is not a barcode digit: scan the barcode itself or type it with the digits 0-9.</source>
        <translation>&apos;{raw}&apos; enthält {char}, das keine Barcode-Ziffer ist: den Barcode selbst scannen oder mit den Ziffern 0-9 eingeben.</translation>
    </message>
    <message>
        <source>The {field} {value} is not a date: check the label, or enter the date by hand.</source>
        <translation>{field} {value} ist kein Datum: Etikett prüfen oder das Datum von Hand eingeben.</translation>
    </message>
    <message>
        <source>The {field} in &apos;{raw}&apos; cannot be read (&apos;{value}&apos;): scan another label, or type the code.</source>
        <translation>Das Feld {field} in &apos;{raw}&apos; ist nicht lesbar (&apos;{value}&apos;): ein anderes Etikett scannen oder den Code eingeben.</translation>
    </message>
    <message>
        <source>&apos;{raw}&apos; has no known GS1 field at &apos;{value}&apos;: scan another label, or type the code.</source>
        <translation>&apos;{raw}&apos; hat bei &apos;{value}&apos; kein bekanntes GS1-Feld: ein anderes Etikett scannen oder den Code eingeben.</translation>
    </message>
    <message>
        <source>Count {count} is for {wanted} only; {sku} is not counted here.</source>
        <translation>Zählung {count} gilt nur für {wanted}; {sku} wird hier nicht gezählt.</translation>
    </message>
    <message>
        <source>Nothing to count: {what}.</source>
        <translation>Nichts zu zählen: {what}.</translation>
    </message>
    <message>
        <source>Nothing was counted at {location}: scan what is there, or confirm it is empty.</source>
        <translation>An {location} wurde nichts gezählt: scannen, was dort liegt, oder bestätigen, dass er leer ist.</translation>
    </message>
    <message>
        <source>Scan location {location} before counting in it.</source>
        <translation>Lagerplatz {location} scannen, bevor darin gezählt wird.</translation>
    </message>
    <message>
        <source>Serial {serial} of {sku} was already counted here.</source>
        <translation>Seriennummer {serial} von {sku} wurde hier bereits gezählt.</translation>
    </message>
    <message>
        <source>{location} is not part of count {count}.</source>
        <translation>{location} gehört nicht zu Zählung {count}.</translation>
    </message>
    <message>
        <source>{sku} at {location} moved during the count: choose &apos;keep counted quantity&apos; or &apos;keep the difference&apos;.</source>
        <translation>{sku} an {location} wurde während der Zählung bewegt: &apos;gezählte Menge übernehmen&apos; oder &apos;Differenz übernehmen&apos; wählen.</translation>
    </message>
    <message>
        <source>{units} units were already counted at {location}: it is not empty.</source>
        <translation>An {location} wurden bereits {units} Einheiten gezählt: er ist nicht leer.</translation>
    </message>
    <message>
        <source>{file}: {count} problem(s), nothing was imported.</source>
        <translation>{file}: {count} Problem(e), nichts wurde importiert.</translation>
    </message>
    <message>
        <source>All {picked} {sku} of order {order} are packed: this one is extra.</source>
        <translation>Alle {picked} {sku} von Auftrag {order} sind gepackt: dieser ist zu viel.</translation>
    </message>
    <message>
        <source>Lot {scanned} of {sku} is not the one reserved: pick lot {expected}.</source>
        <translation>Charge {scanned} von {sku} ist nicht die reservierte: Charge {expected} entnehmen.</translation>
    </message>
    <message>
        <source>No packed parcels are waiting for {carrier}.</source>
        <translation>Keine gepackten Pakete warten auf {carrier}.</translation>
    </message>
    <message>
        <source>Only {remaining} more {sku} to pick here, {units} scanned.</source>
        <translation>Hier nur noch {remaining} {sku} zu entnehmen, {units} gescannt.</translation>
    </message>
    <message>
        <source>Order {order} is missing {missing}: a supervisor must split the order to close it.</source>
        <translation>Auftrag {order} fehlt {missing}: ein Vorgesetzter muss den Auftrag teilen, um ihn abzuschließen.</translation>
    </message>
    <message>
        <source>Parcel {parcel} of order {order} is open: close it with its weight first.</source>
        <translation>Paket {parcel} von Auftrag {order} ist offen: zuerst mit seinem Gewicht schließen.</translation>
    </message>
    <message>
        <source>Scan location {location} first.</source>
        <translation>Zuerst Lagerplatz {location} scannen.</translation>
    </message>
    <message>
        <source>{scanned} is not the item to pick at {location}, pick {expected}.</source>
        <translation>{scanned} ist nicht der Artikel, der an {location} zu entnehmen ist, {expected} entnehmen.</translation>
    </message>
    <message>
        <source>{scanned} is not the pick location, go to {expected}.</source>
        <translation>{scanned} ist nicht der Entnahmeplatz, gehen Sie zu {expected}.</translation>
    </message>
    <message>
        <source>{sku} is not on order {order}: put it aside.</source>
        <translation>{sku} steht nicht auf Auftrag {order}: beiseitelegen.</translation>
    </message>
    <message>
        <source>License plate {plate} moves whole: scan an item on it to move part of it.</source>
        <translation>Ladungsträger {plate} wird als Ganzes bewegt: einen Artikel darauf scannen, um einen Teil zu bewegen.</translation>
    </message>
    <message>
        <source>No {what} waits to be put away on {sources}.</source>
        <translation>Keine {what} warten auf {sources} auf Einlagerung.</translation>
    </message>
    <message>
        <source>{location} cannot take these goods.</source>
        <translation>{location} kann diese Ware nicht aufnehmen.</translation>
    </message>
    <message>
        <source>{location} holds lot {other_lot} of {sku}; lots may not be mixed there.</source>
        <translation>{location} enthält Charge {other_lot} von {sku}; Chargen dürfen dort nicht gemischt werden.</translation>
    </message>
    <message>
        <source>{location} holds {used} units, room for {limit}: {adding} more do not fit.</source>
        <translation>{location} enthält {used} Einheiten, Platz für {limit}: {adding} weitere passen nicht.</translation>
    </message>
    <message>
        <source>{location} is a {kind} location: put away into a storage bin or pick face.</source>
        <translation>{location} ist ein Lagerplatz der Art {kind}: in einen Lagerplatz oder Greifplatz einlagern.</translation>
    </message>
    <message>
        <source>{location} is full.</source>
        <translation>{location} ist voll.</translation>
    </message>
    <message>
        <source>{location} would hold {would_be} l, its limit is {limit} l.</source>
        <translation>{location} würde {would_be} l enthalten, die Grenze ist {limit} l.</translation>
    </message>
    <message>
        <source>{location} would weigh {would_be} kg, its limit is {limit} kg.</source>
        <translation>{location} würde {would_be} kg wiegen, die Grenze ist {limit} kg.</translation>
    </message>
    <message>
        <source>{sku} may not be stored in zone {zone} ({location}); allowed zones: {allowed}.</source>
        <translation>{sku} darf nicht in Zone {zone} gelagert werden ({location}); erlaubte Zonen: {allowed}.</translation>
    </message>
    <message>
        <source>{suggested} was suggested. A supervisor must approve using {location} instead.</source>
        <translation>{suggested} wurde vorgeschlagen. Ein Vorgesetzter muss genehmigen, dass stattdessen {location} verwendet wird.</translation>
    </message>
    <message>
        <source>{suggested} was suggested: say why {location} is used instead.</source>
        <translation>{suggested} wurde vorgeschlagen: begründen, warum stattdessen {location} verwendet wird.</translation>
    </message>
    <message>
        <source>The database {where} already holds data ({contents}). Use --force to erase everything in it and build the demo warehouse.</source>
        <translation>Die Datenbank {where} enthält bereits Daten ({contents}). Mit --force wird alles darin gelöscht und das Demolager aufgebaut.</translation>
    </message>
    <message>
        <source>Nothing to print: {what}.</source>
        <translation>Nichts zu drucken: {what}.</translation>
    </message>
    <message>
        <source>{count} labels in one job is too many; the most is {most}. Print a smaller selection.</source>
        <translation>{count} Etiketten in einem Auftrag sind zu viele; höchstens {most}. Eine kleinere Auswahl drucken.</translation>
    </message>
    <message>
        <source>Print job {job} is from {date}: only jobs of the last {days} days can be printed again.</source>
        <translation>Druckauftrag {job} ist vom {date}: nur Aufträge der letzten {days} Tage können erneut gedruckt werden.</translation>
    </message>
    <message>
        <source>Print job {job} was sent to the printer already: reprint it instead.</source>
        <translation>Druckauftrag {job} wurde bereits an den Drucker gesendet: stattdessen erneut drucken.</translation>
    </message>
    <message>
        <source>Grade &apos;{grade}&apos; does not exist: use {grades}.</source>
        <translation>Note &apos;{grade}&apos; existiert nicht: {grades} verwenden.</translation>
    </message>
    <message>
        <source>This disposition rule cannot be used: {reason}.</source>
        <translation>Diese Verwendungsregel kann nicht genutzt werden: {reason}.</translation>
    </message>
    <message>
        <source>{sku} was not shipped on order {order}: it cannot be returned on it.</source>
        <translation>{sku} wurde mit Auftrag {order} nicht versandt: es kann darauf nicht zurückgegeben werden.</translation>
    </message>
    <message>
        <source>{sku}: {shipped} shipped on order {order}, {returned} already returned. This one is more than was shipped.</source>
        <translation>{sku}: {shipped} mit Auftrag {order} versandt, {returned} bereits zurück. Dieser ist mehr als versandt wurde.</translation>
    </message>
    <message>
        <source>No shipped order matches {code}: scan the RMA, the order number or the customer&apos;s parcel.</source>
        <translation>Kein versandter Auftrag passt zu {code}: RMA, Auftragsnummer oder Paket des Kunden scannen.</translation>
    </message>
    <message>
        <source>{code} matches several orders ({orders}): scan the RMA or the order number.</source>
        <translation>{code} passt zu mehreren Aufträgen ({orders}): RMA oder Auftragsnummer scannen.</translation>
    </message>
    <message>
        <source>{rma} has {count} unit(s) waiting for inspection: inspect them before closing.</source>
        <translation>{rma} hat {count} Einheit(en), die auf Prüfung warten: vor dem Schließen prüfen.</translation>
    </message>
    <message>
        <source>Scrapping {sku} (value {value}) is over {limit}. A supervisor must approve.</source>
        <translation>Verschrotten von {sku} (Wert {value}) liegt über {limit}. Ein Vorgesetzter muss genehmigen.</translation>
    </message>
    <message>
        <source>Returning {sku} to the vendor (value {value}) is over {limit}. A supervisor must approve.</source>
        <translation>Rücksendung von {sku} an den Lieferanten (Wert {value}) liegt über {limit}. Ein Vorgesetzter muss genehmigen.</translation>
    </message>
    <message>
        <source>{sku}: the rules say {suggested}, not {chosen}. A supervisor must approve.</source>
        <translation>{sku}: die Regeln sagen {suggested}, nicht {chosen}. Ein Vorgesetzter muss genehmigen.</translation>
    </message>
    <message>
        <source>There is no database at {path}. `stockfloor db upgrade` creates an empty one, `stockfloor demo` a demo warehouse.</source>
        <translation>Unter {path} gibt es keine Datenbank. `stockfloor db upgrade` legt eine leere an, `stockfloor demo` ein Demolager.</translation>
    </message>
    <message>
        <source>The input ended before the {prompt} was typed. Run the command at a terminal, or pipe the answer in; scheduled jobs use STOCKFLOOR_TOKEN=&lt;token&gt; instead of a PIN (`stockfloor user token NAME`).</source>
        <translation>Die Eingabe endete, bevor {prompt} eingegeben wurde. Führen Sie den Befehl in einem Terminal aus oder leiten Sie die Antwort hinein; geplante Jobs nutzen STOCKFLOOR_TOKEN=&lt;token&gt; statt einer PIN (`stockfloor user token NAME`).</translation>
    </message>
    <message>
        <source>Commands that change data run as a named user: --user NAME (asks for the PIN), or STOCKFLOOR_TOKEN=&lt;token&gt; for scheduled jobs (`stockfloor user token NAME`).</source>
        <translation>Befehle, die Daten ändern, laufen unter einem Benutzer: --user NAME (fragt nach der PIN) oder STOCKFLOOR_TOKEN=&lt;token&gt; für geplante Jobs (`stockfloor user token NAME`).</translation>
    </message>
    <message>
        <source>The window cannot open: {reason}</source>
        <translation>Das Fenster kann nicht geöffnet werden: {reason}</translation>
    </message>
    <message>
        <source>{location} holds no free {sku} to replenish from: scan a reserve bin that does.</source>
        <translation>{location} enthält kein freies {sku} für den Nachschub: ein Reservefach scannen, das welches enthält.</translation>
    </message>
    <message>
        <source>{scanned} is not {expected}: take {expected}.</source>
        <translation>{scanned} ist nicht {expected}: {expected} nehmen.</translation>
    </message>
    <message>
        <source>{scanned} is not the pick face of {sku}: take it to {face}.</source>
        <translation>{scanned} ist nicht der Kommissionierplatz von {sku}: nach {face} bringen.</translation>
    </message>
    <message>
        <source>Replenishment {task} is {state}: nothing to do.</source>
        <translation>Nachschub {task} ist {state}: nichts zu tun.</translation>
    </message>
    <message>
        <source>{location} is a {kind} location: min / max belong to pick faces.</source>
        <translation>{location} ist ein Platz der Art {kind}: Min / Max gehören zu Kommissionierplätzen.</translation>
    </message>
    <message>
        <source>&apos;{code}&apos; is not on the local copy of {document}: scan it again when the database is back.</source>
        <translation>&apos;{code}&apos; steht nicht in der lokalen Kopie von {document}: scannen Sie es erneut, wenn die Datenbank wieder erreichbar ist.</translation>
    </message>
    <message>
        <source>{what} waits until the database is back: it cannot be done offline.</source>
        <translation>{what} wartet, bis die Datenbank wieder erreichbar ist: offline nicht möglich.</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Something went wrong and was written to the log. Please tell a supervisor.</source>
        <translation>Etwas ist schiefgelaufen und wurde protokolliert. Bitte einem Vorgesetzten Bescheid geben.</translation>
    </message>
    <message>
        <source>Building the demo warehouse. This takes a few seconds the first time.</source>
        <translation>Das Demolager wird aufgebaut. Beim ersten Mal dauert das einige Sekunden.</translation>
    </message>
</context>
<context>
    <name>printing</name>
    <message>
        <source>Printing {title} on {printer}</source>
        <translation>{title} wird auf {printer} gedruckt</translation>
    </message>
    <message>
        <source>Drawing the pages of {title}…</source>
        <translation>Die Seiten von {title} werden gezeichnet…</translation>
    </message>
    <message>
        <source>Not printed: {reason} Retry it from Print jobs.</source>
        <translation>Nicht gedruckt: {reason} Unter Druckaufträge wiederholen.</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Was</translation>
    </message>
    <message>
        <source>Labels / pages</source>
        <translation>Etiketten / Seiten</translation>
    </message>
    <message>
        <source>Printer</source>
        <translation>Drucker</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Tries</source>
        <translation>Versuche</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Nach</translation>
    </message>
    <message>
        <source> (again)</source>
        <translation> (erneut)</translation>
    </message>
    <message>
        <source>Location labels</source>
        <translation>Lagerplatzetiketten</translation>
    </message>
    <message>
        <source>Product labels</source>
        <translation>Artikeletiketten</translation>
    </message>
    <message>
        <source>License plate labels</source>
        <translation>Ladungsträgeretiketten</translation>
    </message>
    <message>
        <source>Receiving labels</source>
        <translation>Wareneingangsetiketten</translation>
    </message>
    <message>
        <source>Badges</source>
        <translation>Ausweise</translation>
    </message>
    <message>
        <source>Command sheet</source>
        <translation>Befehlsblatt</translation>
    </message>
    <message>
        <source>Parcel labels</source>
        <translation>Paketetiketten</translation>
    </message>
    <message>
        <source>Routing label</source>
        <translation>Leitetikett</translation>
    </message>
    <message>
        <source>Receiving report</source>
        <translation>Wareneingangsbericht</translation>
    </message>
    <message>
        <source>Put-away list</source>
        <translation>Einlagerungsliste</translation>
    </message>
    <message>
        <source>Packing slip</source>
        <translation>Lieferschein</translation>
    </message>
    <message>
        <source>PDF files in a folder</source>
        <translation>PDF-Dateien in einem Ordner</translation>
    </message>
    <message>
        <source>System printer</source>
        <translation>Systemdrucker</translation>
    </message>
    <message>
        <source>Label printer on the network (ZPL, port 9100)</source>
        <translation>Etikettendrucker im Netzwerk (ZPL, Port 9100)</translation>
    </message>
    <message>
        <source>Label printer through a raw CUPS queue (ZPL)</source>
        <translation>Etikettendrucker über eine Raw-CUPS-Warteschlange (ZPL)</translation>
    </message>
    <message>
        <source>CUPS queue (PDF)</source>
        <translation>CUPS-Warteschlange (PDF)</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Wartend</translation>
    </message>
    <message>
        <source>Printed</source>
        <translation>Gedruckt</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>2 x 1 in label</source>
        <translation>Etikett 2 x 1 Zoll</translation>
    </message>
    <message>
        <source>4 x 3 in label</source>
        <translation>Etikett 4 x 3 Zoll</translation>
    </message>
    <message>
        <source>4 x 6 in label</source>
        <translation>Etikett 4 x 6 Zoll</translation>
    </message>
    <message>
        <source>A4 sheet, 3 x 8 labels</source>
        <translation>A4-Bogen, 3 x 8 Etiketten</translation>
    </message>
    <message>
        <source>Letter sheet, 3 x 10 labels</source>
        <translation>Letter-Bogen, 3 x 10 Etiketten</translation>
    </message>
    <message>
        <source>A4 page</source>
        <translation>A4-Seite</translation>
    </message>
    <message>
        <source>Letter page</source>
        <translation>Letter-Seite</translation>
    </message>
    <message>
        <source>Printer {printer} does not answer: it is switched off or not listening.</source>
        <translation>Drucker {printer} antwortet nicht: er ist ausgeschaltet oder hört nicht zu.</translation>
    </message>
    <message>
        <source>Printer {printer} did not answer in time.</source>
        <translation>Drucker {printer} hat nicht rechtzeitig geantwortet.</translation>
    </message>
    <message>
        <source>The printer address {printer} is unknown.</source>
        <translation>Die Druckeradresse {printer} ist unbekannt.</translation>
    </message>
    <message>
        <source>Printer {printer} cannot be reached over the network.</source>
        <translation>Drucker {printer} ist über das Netzwerk nicht erreichbar.</translation>
    </message>
    <message>
        <source>There is no print queue called {printer}.</source>
        <translation>Es gibt keine Druckwarteschlange namens {printer}.</translation>
    </message>
    <message>
        <source>The print service (CUPS) of this workstation is not running.</source>
        <translation>Der Druckdienst (CUPS) dieses Arbeitsplatzes läuft nicht.</translation>
    </message>
    <message>
        <source>Print queue {printer} is not accepting jobs.</source>
        <translation>Druckwarteschlange {printer} nimmt keine Aufträge an.</translation>
    </message>
    <message>
        <source>This workstation may not print to {printer}.</source>
        <translation>Dieser Arbeitsplatz darf nicht auf {printer} drucken.</translation>
    </message>
    <message>
        <source>The print command (lp) is not installed on this workstation.</source>
        <translation>Der Druckbefehl (lp) ist auf diesem Arbeitsplatz nicht installiert.</translation>
    </message>
    <message>
        <source>The file {printer} cannot be written.</source>
        <translation>Die Datei {printer} kann nicht geschrieben werden.</translation>
    </message>
    <message>
        <source>System printer {printer} cannot print.</source>
        <translation>Systemdrucker {printer} kann nicht drucken.</translation>
    </message>
    <message>
        <source>The labels cannot be drawn at this size: {reason}</source>
        <translation>Die Etiketten können in dieser Größe nicht gezeichnet werden: {reason}</translation>
    </message>
    <message>
        <source>What this job printed is no longer there: {reason}</source>
        <translation>Was dieser Auftrag gedruckt hat, ist nicht mehr vorhanden: {reason}</translation>
    </message>
    <message>
        <source>Printing failed: {reason}</source>
        <translation>Drucken fehlgeschlagen: {reason}</translation>
    </message>
    <message>
        <source>Confirm</source>
        <translation>Bestätigen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Rückgängig</translation>
    </message>
    <message>
        <source>Print</source>
        <translation>Drucken</translation>
    </message>
    <message>
        <source>Empty</source>
        <translation>Leer</translation>
    </message>
    <message>
        <source>Damaged</source>
        <translation>Beschädigt</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>Abmelden</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>Menge</translation>
    </message>
    <message>
        <source>Grade A</source>
        <translation>Note A</translation>
    </message>
    <message>
        <source>Grade B</source>
        <translation>Note B</translation>
    </message>
    <message>
        <source>Grade C</source>
        <translation>Note C</translation>
    </message>
    <message>
        <source>Grade D</source>
        <translation>Note D</translation>
    </message>
    <message>
        <source>Commands - {workstation}</source>
        <translation>Befehle - {workstation}</translation>
    </message>
</context>
<context>
    <name>putaway reasons</name>
    <message>
        <source>{location} is the home location of {sku}.</source>
        <translation>{location} ist der Stammplatz von {sku}.</translation>
    </message>
    <message>
        <source>{location} already holds lot {lot} of {sku}.</source>
        <translation>{location} enthält bereits Charge {lot} von {sku}.</translation>
    </message>
    <message>
        <source>{location} already holds {sku}.</source>
        <translation>{location} enthält bereits {sku}.</translation>
    </message>
    <message>
        <source>{location} holds {sku} expiring {bin_expiry}, no later than this lot ({expiry}).</source>
        <translation>{location} enthält {sku} mit Verfall {bin_expiry}, nicht später als diese Charge ({expiry}).</translation>
    </message>
    <message>
        <source>{location} is the nearest empty bin in zone {zone}.</source>
        <translation>{location} ist der nächste leere Platz in Zone {zone}.</translation>
    </message>
    <message>
        <source>{location} is the nearest empty bin.</source>
        <translation>{location} ist der nächste leere Platz.</translation>
    </message>
    <message>
        <source>{location} is the nearest bin with room for {quantity} x {sku}.</source>
        <translation>{location} ist der nächste Platz mit Raum für {quantity} x {sku}.</translation>
    </message>
    <message>
        <source>No bin can take {quantity} x {sku}: scan any bin that has room.</source>
        <translation>Kein Platz kann {quantity} x {sku} aufnehmen: einen beliebigen Platz mit Raum scannen.</translation>
    </message>
</context>
<context>
    <name>roles</name>
    <message>
        <source>operator</source>
        <translation>Mitarbeiter</translation>
    </message>
    <message>
        <source>supervisor</source>
        <translation>Vorgesetzter</translation>
    </message>
    <message>
        <source>admin</source>
        <translation>Administrator</translation>
    </message>
</context>
<context>
    <name>short pick reasons</name>
    <message>
        <source>Bin empty</source>
        <translation>Platz leer</translation>
    </message>
    <message>
        <source>Fewer in the bin than expected</source>
        <translation>Weniger im Platz als erwartet</translation>
    </message>
    <message>
        <source>Damaged, cannot be sent</source>
        <translation>Beschädigt, nicht versendbar</translation>
    </message>
    <message>
        <source>Another product in the bin</source>
        <translation>Anderer Artikel im Platz</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Sonstiges</translation>
    </message>
</context>
<context>
    <name>workflows</name>
    <message>
        <source>Receive</source>
        <translation>Wareneingang</translation>
    </message>
    <message>
        <source>Put away</source>
        <translation>Einlagern</translation>
    </message>
    <message>
        <source>Pick</source>
        <translation>Kommissionieren</translation>
    </message>
    <message>
        <source>Pack</source>
        <translation>Verpacken</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Inventur</translation>
    </message>
    <message>
        <source>Returns</source>
        <translation>Retouren</translation>
    </message>
    <message>
        <source>Review counts</source>
        <translation>Zählungen prüfen</translation>
    </message>
    <message>
        <source>Stock</source>
        <translation>Bestand</translation>
    </message>
    <message>
        <source>Scan journal</source>
        <translation>Scanprotokoll</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Printers</source>
        <translation>Drucker</translation>
    </message>
    <message>
        <source>Print jobs</source>
        <translation>Druckaufträge</translation>
    </message>
    <message>
        <source>Plan counts</source>
        <translation>Zählungen planen</translation>
    </message>
    <message>
        <source>Return report</source>
        <translation>Retourenbericht</translation>
    </message>
    <message>
        <source>Waves and dispatch</source>
        <translation>Wellen und Versand</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>Prüfprotokoll</translation>
    </message>
    <message>
        <source>Scans required</source>
        <translation>Scan-Pflicht</translation>
    </message>
    <message>
        <source>Replenish</source>
        <translation>Nachschub</translation>
    </message>
    <message>
        <source>Count policy</source>
        <translation>Zählrichtlinie</translation>
    </message>
    <message>
        <source>Pick faces</source>
        <translation>Kommissionierplätze</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>Übersicht</translation>
    </message>
    <message>
        <source>Offline scans</source>
        <translation>Offline-Scans</translation>
    </message>
</context>
</TS>

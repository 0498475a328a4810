<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="pl_PL">
<context>
    <name>AccuracyTab</name>
    <message>
        <source>Overall: {within} of {lines} counted lines within tolerance ({share})</source>
        <translation>Razem: {within} z {lines} policzonych pozycji w granicach tolerancji ({share})</translation>
    </message>
    <message>
        <source>No counted lines in this period.</source>
        <translation>Brak policzonych pozycji w tym okresie.</translation>
    </message>
    <message>
        <source>Export count results</source>
        <translation>Eksportuj wyniki inwentaryzacji</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Pliki CSV (*.csv)</translation>
    </message>
    <message numerus="yes">
        <source>%n count line(s) written to {path}</source>
        <translation>
            <numerusform>%n pozycja inwentaryzacji zapisana w {path}</numerusform>
            <numerusform>%n pozycje inwentaryzacji zapisane w {path}</numerusform>
            <numerusform>%n pozycji inwentaryzacji zapisanych w {path}</numerusform>
        </translation>
    </message>
    <message>
        <source>Save accuracy report</source>
        <translation>Zapisz raport dokładności</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>Pliki PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Writing the accuracy report…</source>
        <translation>Zapisywanie raportu dokładności…</translation>
    </message>
    <message>
        <source>Accuracy report saved to {path}</source>
        <translation>Raport dokładności zapisany w {path}</translation>
    </message>
    <message>
        <source>Could not write the file: {reason}</source>
        <translation>Nie można zapisać pliku: {reason}</translation>
    </message>
    <message>
        <source>P&amp;eriod</source>
        <translation>&amp;Okres</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>Miesiąc</translation>
    </message>
    <message>
        <source>Week</source>
        <translation>Tydzień</translation>
    </message>
    <message>
        <source>B&amp;y</source>
        <translation>&amp;Według</translation>
    </message>
    <message>
        <source>ABC class</source>
        <translation>Klasa ABC</translation>
    </message>
    <message>
        <source>Zone</source>
        <translation>Strefa</translation>
    </message>
    <message>
        <source>&amp;From</source>
        <translation>&amp;Od</translation>
    </message>
    <message>
        <source>&amp;Until</source>
        <translation>&amp;Do</translation>
    </message>
    <message>
        <source>Period from</source>
        <translation>Okres od</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>Grupa</translation>
    </message>
    <message>
        <source>Lines counted</source>
        <translation>Policzone pozycje</translation>
    </message>
    <message>
        <source>Within tolerance</source>
        <translation>W granicach tolerancji</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>Dokładność</translation>
    </message>
    <message>
        <source>Export results as &amp;CSV…</source>
        <translation>Eksportuj wyniki jako &amp;CSV…</translation>
    </message>
    <message>
        <source>Save report as P&amp;DF…</source>
        <translation>Zapisz raport jako P&amp;DF…</translation>
    </message>
</context>
<context>
    <name>AttentionScreen</name>
    <message>
        <source>Offline scans that need a supervisor</source>
        <translation>Skany offline wymagające kierownika</translation>
    </message>
    <message>
        <source>Scanned</source>
        <translation>Zeskanowano</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Kto</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>Gdzie</translation>
    </message>
    <message>
        <source>Scan</source>
        <translation>Skan</translation>
    </message>
    <message>
        <source>Refused because</source>
        <translation>Odrzucono, ponieważ</translation>
    </message>
    <message>
        <source>F5 Send again</source>
        <translation>F5 Wyślij ponownie</translation>
    </message>
    <message>
        <source>Del Done by hand</source>
        <translation>Del Załatwione ręcznie</translation>
    </message>
    <message>
        <source>This workstation keeps no offline outbox: its database is on this computer.</source>
        <translation>To stanowisko nie prowadzi skrzynki offline: jego baza danych jest na tym komputerze.</translation>
    </message>
    <message>
        <source>No offline scan needs attention.</source>
        <translation>Żaden skan offline nie wymaga uwagi.</translation>
    </message>
    <message numerus="yes">
        <source>%n offline scan(s) refused by the server. Fix the cause, then send again; or mark as done by hand.</source>
        <translation>
            <numerusform>%n skan offline został odrzucony przez serwer. Usuń przyczynę i wyślij ponownie albo oznacz jako załatwiony ręcznie.</numerusform>
            <numerusform>%n skany offline zostały odrzucone przez serwer. Usuń przyczynę i wyślij ponownie albo oznacz jako załatwione ręcznie.</numerusform>
            <numerusform>%n skanów offline zostało odrzuconych przez serwer. Usuń przyczynę i wyślij ponownie albo oznacz jako załatwione ręcznie.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AuditScreen</name>
    <message>
        <source>Audit log</source>
        <translation>Dziennik audytu</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Użytkownik</translation>
    </message>
    <message>
        <source>Action (end with * for a prefix)</source>
        <translation>Akcja (zakończ znakiem *, aby szukać po prefiksie)</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>Dokument</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Od</translation>
    </message>
    <message>
        <source>Until</source>
        <translation>Do</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Szukaj</translation>
    </message>
    <message>
        <source>Export CSV...</source>
        <translation>Eksportuj CSV...</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Kiedy</translation>
    </message>
    <message>
        <source>Workstation</source>
        <translation>Stanowisko</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Akcja</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Szczegóły</translation>
    </message>
    <message numerus="yes">
        <source>%n entries</source>
        <translation>
            <numerusform>%n wpis</numerusform>
            <numerusform>%n wpisy</numerusform>
            <numerusform>%n wpisów</numerusform>
        </translation>
    </message>
    <message>
        <source>Export audit log</source>
        <translation>Eksportuj dziennik audytu</translation>
    </message>
    <message>
        <source>{count} entries written to {path}</source>
        <translation>Zapisano wpisy w {path}: {count}</translation>
    </message>
</context>
<context>
    <name>Bridge</name>
    <message>
        <source>Nobody is logged in.</source>
        <translation>Nikt nie jest zalogowany.</translation>
    </message>
    <message>
        <source>Unexpected error ({kind}). The details are in the log.</source>
        <translation>Nieoczekiwany błąd ({kind}). Szczegóły są w dzienniku.</translation>
    </message>
</context>
<context>
    <name>Commands</name>
    <message>
        <source>open the highlighted count</source>
        <translation>otwórz zaznaczoną inwentaryzację</translation>
    </message>
    <message>
        <source>quantity</source>
        <translation>ilość</translation>
    </message>
    <message>
        <source>undo</source>
        <translation>cofnij</translation>
    </message>
    <message>
        <source>location is empty</source>
        <translation>lokalizacja jest pusta</translation>
    </message>
    <message>
        <source>location done</source>
        <translation>lokalizacja gotowa</translation>
    </message>
    <message>
        <source>a supervisor decides now</source>
        <translation>kierownik decyduje teraz</translation>
    </message>
    <message>
        <source>clear quantity, then leave</source>
        <translation>wyczyść ilość, potem wyjdź</translation>
    </message>
    <message>
        <source>cancel, back</source>
        <translation>anuluj, wstecz</translation>
    </message>
    <message>
        <source>log out</source>
        <translation>wyloguj</translation>
    </message>
    <message>
        <source>pack the highlighted order</source>
        <translation>spakuj zaznaczone zamówienie</translation>
    </message>
    <message>
        <source>choose the carton (or scan one)</source>
        <translation>wybierz karton (lub zeskanuj jakiś)</translation>
    </message>
    <message>
        <source>weigh and close parcel</source>
        <translation>zważ i zamknij paczkę</translation>
    </message>
    <message>
        <source>finish order</source>
        <translation>zakończ zamówienie</translation>
    </message>
    <message>
        <source>split missing units (supervisor)</source>
        <translation>wydziel brakujące sztuki (kierownik)</translation>
    </message>
    <message>
        <source>clear the marks, then leave the order</source>
        <translation>usuń oznaczenia, potem wyjdź z zamówienia</translation>
    </message>
    <message>
        <source>pick the highlighted wave</source>
        <translation>kompletuj zaznaczoną falę</translation>
    </message>
    <message>
        <source>bin holds less</source>
        <translation>w lokalizacji jest mniej</translation>
    </message>
    <message>
        <source>bin is empty</source>
        <translation>lokalizacja jest pusta</translation>
    </message>
    <message>
        <source>clear the quantity, then leave the wave</source>
        <translation>wyczyść ilość, potem wyjdź z fali</translation>
    </message>
    <message>
        <source>put away part of it</source>
        <translation>rozlokuj część</translation>
    </message>
    <message>
        <source>undo my last put-away</source>
        <translation>cofnij moje ostatnie rozlokowanie</translation>
    </message>
    <message>
        <source>print the list</source>
        <translation>drukuj listę</translation>
    </message>
    <message>
        <source>clear the quantity, then back to the list</source>
        <translation>wyczyść ilość, potem wróć do listy</translation>
    </message>
    <message>
        <source>open the highlighted receipt</source>
        <translation>otwórz zaznaczone przyjęcie</translation>
    </message>
    <message>
        <source>damaged</source>
        <translation>uszkodzone</translation>
    </message>
    <message>
        <source>labels for my last scan</source>
        <translation>etykiety do mojego ostatniego skanu</translation>
    </message>
    <message>
        <source>close receipt</source>
        <translation>zamknij przyjęcie</translation>
    </message>
    <message>
        <source>clear marks, then leave receipt</source>
        <translation>usuń oznaczenia, potem wyjdź z przyjęcia</translation>
    </message>
    <message>
        <source>change the database</source>
        <translation>zmień bazę danych</translation>
    </message>
    <message>
        <source>start over</source>
        <translation>zacznij od nowa</translation>
    </message>
    <message>
        <source>next task</source>
        <translation>następne zadanie</translation>
    </message>
    <message>
        <source>change the quantity</source>
        <translation>zmień ilość</translation>
    </message>
    <message>
        <source>one step back, then leave</source>
        <translation>krok wstecz, potem wyjdź</translation>
    </message>
    <message>
        <source>another disposition (supervisor)</source>
        <translation>inna dyspozycja (kierownik)</translation>
    </message>
    <message>
        <source>confirm</source>
        <translation>potwierdź</translation>
    </message>
    <message>
        <source>grade</source>
        <translation>oceń</translation>
    </message>
    <message>
        <source>checklist item</source>
        <translation>punkt listy kontrolnej</translation>
    </message>
    <message>
        <source>findings, notes</source>
        <translation>ustalenia, uwagi</translation>
    </message>
    <message>
        <source>close RMA</source>
        <translation>zamknij RMA</translation>
    </message>
    <message>
        <source>print the last label again</source>
        <translation>wydrukuj ponownie ostatnią etykietę</translation>
    </message>
    <message>
        <source>drop the unit, then leave the RMA</source>
        <translation>odłóż sztukę, potem opuść RMA</translation>
    </message>
</context>
<context>
    <name>CountedTable</name>
    <message>
        <source>SKU</source>
        <translation>Indeks</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Produkt</translation>
    </message>
    <message>
        <source>Lot</source>
        <translation>Partia</translation>
    </message>
    <message>
        <source>Counted</source>
        <translation>Policzono</translation>
    </message>
</context>
<context>
    <name>CountingNames</name>
    <message>
        <source>location range</source>
        <translation>zakres lokalizacji</translation>
    </message>
    <message>
        <source>zone</source>
        <translation>strefa</translation>
    </message>
    <message>
        <source>product</source>
        <translation>produkt</translation>
    </message>
    <message>
        <source>ABC schedule</source>
        <translation>harmonogram ABC</translation>
    </message>
    <message>
        <source>requested</source>
        <translation>zlecone</translation>
    </message>
    <message>
        <source>recount</source>
        <translation>ponowne liczenie</translation>
    </message>
    <message>
        <source>planned</source>
        <translation>zaplanowane</translation>
    </message>
    <message>
        <source>counting</source>
        <translation>w trakcie liczenia</translation>
    </message>
    <message>
        <source>in review</source>
        <translation>w weryfikacji</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>zamknięte</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>anulowane</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>oczekuje</translation>
    </message>
    <message>
        <source>matched</source>
        <translation>zgodne</translation>
    </message>
    <message>
        <source>within tolerance</source>
        <translation>w granicach tolerancji</translation>
    </message>
    <message>
        <source>approved</source>
        <translation>zatwierdzone</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>odrzucone</translation>
    </message>
    <message>
        <source>recounted</source>
        <translation>przeliczone ponownie</translation>
    </message>
    <message>
        <source>Miscount</source>
        <translation>Błąd liczenia</translation>
    </message>
    <message>
        <source>Found</source>
        <translation>Znaleziono</translation>
    </message>
    <message>
        <source>Lost</source>
        <translation>Zgubiono</translation>
    </message>
    <message>
        <source>Damaged</source>
        <translation>Uszkodzone</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>Przeterminowane</translation>
    </message>
    <message>
        <source>Unrecorded move</source>
        <translation>Niezarejestrowany ruch</translation>
    </message>
    <message>
        <source>short pick</source>
        <translation>brak przy kompletacji</translation>
    </message>
    <message>
        <source>bin found empty</source>
        <translation>lokalizacja zastana pusta</translation>
    </message>
    <message>
        <source>put-away refused</source>
        <translation>odmowa rozlokowania</translation>
    </message>
    <message>
        <source>supervisor request</source>
        <translation>prośba kierownika</translation>
    </message>
    <message>
        <source>Keep counted quantity</source>
        <translation>Zachowaj policzoną ilość</translation>
    </message>
    <message>
        <source>Keep the difference</source>
        <translation>Zachowaj różnicę</translation>
    </message>
</context>
<context>
    <name>CountingScreen</name>
    <message>
        <source>Count</source>
        <translation>Inwentaryzacja</translation>
    </message>
    <message>
        <source>Scan a count number, or choose a count</source>
        <translation>Zeskanuj numer inwentaryzacji lub wybierz inwentaryzację</translation>
    </message>
    <message>
        <source>Your counts due today: arrow keys, then Enter</source>
        <translation>Twoje inwentaryzacje na dziś: strzałki, potem Enter</translation>
    </message>
    <message>
        <source>No counts are due for you today.</source>
        <translation>Na dziś nie masz żadnych inwentaryzacji.</translation>
    </message>
    <message>
        <source>Scan location {location}</source>
        <translation>Zeskanuj lokalizację {location}</translation>
    </message>
    <message>
        <source>Scan a location of {number}</source>
        <translation>Zeskanuj lokalizację z {number}</translation>
    </message>
    <message>
        <source>{done} of {total} locations done</source>
        <translation>{done} z {total} lokalizacji gotowe</translation>
    </message>
    <message>
        <source>Scan every item in {location}</source>
        <translation>Zeskanuj każdą sztukę w {location}</translation>
    </message>
    <message>
        <source>counted here so far: {units}</source>
        <translation>policzono tu do tej pory: {units}</translation>
    </message>
    <message>
        <source>Next item: quantity {quantity}</source>
        <translation>Następna sztuka: ilość {quantity}</translation>
    </message>
    <message>
        <source>Choose a count first: scan its number.</source>
        <translation>Najpierw wybierz inwentaryzację: zeskanuj jej numer.</translation>
    </message>
    <message>
        <source>Scan a location of {number} first.</source>
        <translation>Najpierw zeskanuj lokalizację z {number}.</translation>
    </message>
    <message>
        <source>{code} does nothing here. Scan an item in {location}.</source>
        <translation>{code} nic tu nie robi. Zeskanuj sztukę w {location}.</translation>
    </message>
    <message>
        <source>{code} is not one of your counts due today.</source>
        <translation>{code} nie jest jedną z twoich inwentaryzacji na dziś.</translation>
    </message>
    <message>
        <source>{number}: scan location {location}</source>
        <translation>{number}: zeskanuj lokalizację {location}</translation>
    </message>
    <message>
        <source>Back at {location}, {units} counted so far: scan every item</source>
        <translation>Z powrotem w {location}, dotąd policzono {units}: skanuj każdą sztukę</translation>
    </message>
    <message>
        <source>{location}: count only {sku}, every one of them</source>
        <translation>{location}: licz tylko {sku}, każdą sztukę</translation>
    </message>
    <message>
        <source>{location}: scan every item in it</source>
        <translation>{location}: zeskanuj każdą sztukę w niej</translation>
    </message>
    <message>
        <source>Not counted: {reason}</source>
        <translation>Nie policzono: {reason}</translation>
    </message>
    <message>
        <source>Scan or type the lot of {sku}</source>
        <translation>Zeskanuj lub wpisz partię {sku}</translation>
    </message>
    <message>
        <source>lot {lot}</source>
        <translation>partia {lot}</translation>
    </message>
    <message>
        <source>Undone: {units} {sku} {name}{lot}. {total} counted here</source>
        <translation>Cofnięto: {units} {sku} {name}{lot}. Policzono tu {total}</translation>
    </message>
    <message>
        <source>+{units} {sku} {name}{lot}. {total} counted here</source>
        <translation>+{units} {sku} {name}{lot}. Policzono tu {total}</translation>
    </message>
    <message>
        <source>Already counted: {scan}</source>
        <translation>Już policzone: {scan}</translation>
    </message>
    <message>
        <source>A supervisor decides the waiting results of {number}.</source>
        <translation>Kierownik decyduje o oczekujących wynikach {number}.</translation>
    </message>
    <message>
        <source>No supervisor decision was made.</source>
        <translation>Kierownik nie podjął decyzji.</translation>
    </message>
    <message>
        <source>Nothing of yours to undo at {location}</source>
        <translation>Nic twojego do cofnięcia w {location}</translation>
    </message>
    <message>
        <source>{location} confirmed empty.</source>
        <translation>{location} potwierdzona jako pusta.</translation>
    </message>
    <message>
        <source>{location} done, {units} counted.</source>
        <translation>{location} gotowa, policzono {units}.</translation>
    </message>
    <message>
        <source>Count {number} is complete.</source>
        <translation>Inwentaryzacja {number} jest zakończona.</translation>
    </message>
    <message>
        <source>Next: {location}</source>
        <translation>Dalej: {location}</translation>
    </message>
    <message>
        <source>Quantity cleared</source>
        <translation>Ilość wyczyszczona</translation>
    </message>
    <message>
        <source>Left {location}: what you counted is saved. Scan it again to go on.</source>
        <translation>Opuszczono {location}: policzone jest zapisane. Zeskanuj ją ponownie, aby kontynuować.</translation>
    </message>
    <message>
        <source>Left {number}: what you counted is saved</source>
        <translation>Opuszczono {number}: policzone jest zapisane</translation>
    </message>
</context>
<context>
    <name>DashboardScreen</name>
    <message>
        <source>Order accuracy (%)</source>
        <translation>Dokładność zamówień (%)</translation>
    </message>
    <message>
        <source>Cycle time, median (h)</source>
        <translation>Czas realizacji, mediana (h)</translation>
    </message>
    <message>
        <source>Cycle time, 90th percentile (h)</source>
        <translation>Czas realizacji, 90. percentyl (h)</translation>
    </message>
    <message>
        <source>Return rate (%)</source>
        <translation>Wskaźnik zwrotów (%)</translation>
    </message>
    <message>
        <source>Stockout rate (%)</source>
        <translation>Wskaźnik braków (%)</translation>
    </message>
    <message>
        <source>Dock-to-stock, median (h)</source>
        <translation>Od rampy do lokacji, mediana (h)</translation>
    </message>
    <message>
        <source>Dock-to-stock, 90th percentile (h)</source>
        <translation>Od rampy do lokacji, 90. percentyl (h)</translation>
    </message>
    <message>
        <source>Inventory turnover</source>
        <translation>Rotacja zapasów</translation>
    </message>
    <message>
        <source>Inventory record accuracy (%)</source>
        <translation>Dokładność stanów (%)</translation>
    </message>
    <message>
        <source>Receipts open</source>
        <translation>Otwarte przyjęcia</translation>
    </message>
    <message>
        <source>Put-away waiting</source>
        <translation>Do rozlokowania</translation>
    </message>
    <message>
        <source>Latest figures and targets</source>
        <translation>Ostatnie wartości i cele</translation>
    </message>
    <message>
        <source>Waves not picked</source>
        <translation>Niezebrane fale</translation>
    </message>
    <message>
        <source>Counts open</source>
        <translation>Otwarte liczenia</translation>
    </message>
    <message>
        <source>Replenishments open</source>
        <translation>Otwarte uzupełnienia</translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation>Wymaga uwagi</translation>
    </message>
    <message>
        <source>Returns to inspect</source>
        <translation>Zwroty do kontroli</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>Pulpit</translation>
    </message>
    <message>
        <source>Open work now</source>
        <translation>Otwarta praca teraz</translation>
    </message>
    <message>
        <source>Operators today</source>
        <translation>Operatorzy dzisiaj</translation>
    </message>
    <message>
        <source>Latest</source>
        <translation>Ostatnio</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Cel</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Liczba</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>Operator</translation>
    </message>
    <message>
        <source>Error rate</source>
        <translation>Wskaźnik błędów</translation>
    </message>
    <message>
        <source>Hours</source>
        <translation>Godziny</translation>
    </message>
    <message>
        <source>Scans/h</source>
        <translation>Skany/h</translation>
    </message>
    <message>
        <source>Lines/h</source>
        <translation>Pozycje/h</translation>
    </message>
    <message>
        <source>F5: refresh   Double-click a target to change it   Esc: back</source>
        <translation>F5: odśwież   Kliknij dwukrotnie cel, aby go zmienić   Esc: wstecz</translation>
    </message>
    <message>
        <source>Daily figures of the last {days} days up to {today}; dashed line: target.</source>
        <translation>Wartości dzienne z ostatnich {days} dni do {today}; linia przerywana: cel.</translation>
    </message>
    <message>
        <source>A target is a number, e.g. 99.5</source>
        <translation>Cel to liczba, np. 99,5</translation>
    </message>
</context>
<context>
    <name>DatabaseTargetDialog</name>
    <message>
        <source>Database</source>
        <translation>Baza danych</translation>
    </message>
    <message>
        <source>Database of this workstation: a file path (SQLite, one workstation) or a PostgreSQL URL such as postgresql://stockfloor@server/warehouse (shared).</source>
        <translation>Baza danych tego stanowiska: ścieżka pliku (SQLite, jedno stanowisko) lub adres PostgreSQL, np. postgresql://stockfloor@server/warehouse (wspólna).</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Spróbuj ponownie</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Zapisz</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Zakończ</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Anuluj</translation>
    </message>
</context>
<context>
    <name>DecisionDialog</name>
    <message>
        <source>Approve counted lines</source>
        <translation>Zatwierdź policzone pozycje</translation>
    </message>
    <message>
        <source>Reject counted lines</source>
        <translation>Odrzuć policzone pozycje</translation>
    </message>
    <message numerus="yes">
        <source>and %n more</source>
        <translation>
            <numerusform>i jeszcze %n</numerusform>
            <numerusform>i jeszcze %n</numerusform>
            <numerusform>i jeszcze %n</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Approve %n line(s): stock is adjusted to what was counted.</source>
        <translation>
            <numerusform>Zatwierdź %n pozycję: stan zostanie ustawiony na policzoną ilość.</numerusform>
            <numerusform>Zatwierdź %n pozycje: stan zostanie ustawiony na policzoną ilość.</numerusform>
            <numerusform>Zatwierdź %n pozycji: stan zostanie ustawiony na policzoną ilość.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Reject %n line(s): stock stays as recorded.</source>
        <translation>
            <numerusform>Odrzuć %n pozycję: stan pozostaje jak zarejestrowany.</numerusform>
            <numerusform>Odrzuć %n pozycje: stan pozostaje jak zarejestrowany.</numerusform>
            <numerusform>Odrzuć %n pozycji: stan pozostaje jak zarejestrowany.</numerusform>
        </translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Powód</translation>
    </message>
    <message>
        <source>Stock moved while it was counted</source>
        <translation>Towar przesunięto w trakcie liczenia</translation>
    </message>
    <message>
        <source>Stock was put in or taken out after counting began. Choose:</source>
        <translation>Po rozpoczęciu liczenia towar dołożono lub pobrano. Wybierz:</translation>
    </message>
    <message>
        <source>&amp;Keep counted quantity</source>
        <translation>&amp;Zachowaj policzoną ilość</translation>
    </message>
    <message>
        <source>Keep the &amp;difference</source>
        <translation>Zachowaj &amp;różnicę</translation>
    </message>
    <message>
        <source>The location holds what was counted.</source>
        <translation>Lokalizacja zawiera to, co policzono.</translation>
    </message>
    <message>
        <source>Today&apos;s stock changes by the difference the count found.</source>
        <translation>Dzisiejszy stan zmienia się o znalezioną różnicę.</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>Zatwierdź</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>Odrzuć</translation>
    </message>
    <message>
        <source>{line}: expected {expected}, counted {counted} ({variance})</source>
        <translation>{line}: oczekiwano {expected}, policzono {counted} ({variance})</translation>
    </message>
    <message>
        <source>{line}: {now} now, becomes {after} ({change})</source>
        <translation>{line}: teraz {now}, będzie {after} ({change})</translation>
    </message>
</context>
<context>
    <name>Dialogue</name>
    <message>
        <source>Esc / SF:CANCEL: cancel the question</source>
        <translation>Esc / SF:CANCEL: anuluj pytanie</translation>
    </message>
    <message>
        <source>That did not work (a program error). The details are in the log.</source>
        <translation>To się nie udało (błąd programu). Szczegóły są w dzienniku.</translation>
    </message>
    <message>
        <source>Scan the label: a typed code is not accepted here. {prompt}</source>
        <translation>Zeskanuj etykietę: wpisany kod nie jest tu przyjmowany. {prompt}</translation>
    </message>
    <message>
        <source>{code} is a command, not an answer. {prompt} (SF:CANCEL: cancel)</source>
        <translation>{code} to polecenie, a nie odpowiedź. {prompt} (SF:CANCEL: anuluj)</translation>
    </message>
    <message>
        <source>Scan the location label here.</source>
        <translation>Zeskanuj tutaj etykietę lokalizacji.</translation>
    </message>
    <message>
        <source>Wrong check digits for {location}: scan its label or say its check digits.</source>
        <translation>Błędne cyfry kontrolne dla {location}: zeskanuj etykietę lub podaj cyfry kontrolne.</translation>
    </message>
    <message>
        <source>ALERT: wrong check digits twice. {message}</source>
        <translation>ALARM: dwukrotnie błędne cyfry kontrolne. {message}</translation>
    </message>
    <message>
        <source>Cancelled: nothing recorded</source>
        <translation>Anulowano: nic nie zarejestrowano</translation>
    </message>
    <message>
        <source>Say why in a few words, then Enter</source>
        <translation>Podaj powód w kilku słowach, potem Enter</translation>
    </message>
    <message>
        <source>Supervisor: type your PIN, then Enter</source>
        <translation>Kierownik: wpisz swój PIN, potem Enter</translation>
    </message>
    <message>
        <source>{reason} Supervisor: scan your badge</source>
        <translation>{reason} Kierownik: zeskanuj swój identyfikator</translation>
    </message>
    <message>
        <source>A quantity is a number from {least} to {most}: type or scan it, then Enter.</source>
        <translation>Ilość to liczba od {least} do {most}: wpisz ją lub zeskanuj, potem Enter.</translation>
    </message>
    <message>
        <source>that is {label}&apos;s barcode</source>
        <translation>to kod kreskowy {label}</translation>
    </message>
    <message>
        <source>that is {label}, not {wanted}</source>
        <translation>to {label}, a nie {wanted}</translation>
    </message>
    <message>
        <source>Not recorded: {what}. {prompt}</source>
        <translation>Nie zarejestrowano: {what}. {prompt}</translation>
    </message>
    <message>
        <source>a lot</source>
        <translation>partia</translation>
    </message>
    <message>
        <source>Not recorded: that GS1 label has no lot. {prompt}</source>
        <translation>Nie zarejestrowano: ta etykieta GS1 nie ma partii. {prompt}</translation>
    </message>
    <message>
        <source>a serial number</source>
        <translation>numer seryjny</translation>
    </message>
    <message>
        <source>Not recorded: that GS1 label has no serial number. {prompt}</source>
        <translation>Nie zarejestrowano: ta etykieta GS1 nie ma numeru seryjnego. {prompt}</translation>
    </message>
    <message>
        <source>An expiry is a date: type it as YYYY-MM-DD or scan the GS1 label.</source>
        <translation>Data ważności to data: wpisz ją jako RRRR-MM-DD lub zeskanuj etykietę GS1.</translation>
    </message>
    <message>
        <source>A weight is a number of kilograms, e.g. 1.25.</source>
        <translation>Waga to liczba kilogramów, np. 1,25.</translation>
    </message>
    <message>
        <source>a reason</source>
        <translation>powód</translation>
    </message>
    <message>
        <source>Not a reason: type its number from the list. {prompt}</source>
        <translation>To nie jest powód: wpisz jego numer z listy. {prompt}</translation>
    </message>
    <message>
        <source>Not recorded: that is not a badge. {prompt}</source>
        <translation>Nie zarejestrowano: to nie jest identyfikator. {prompt}</translation>
    </message>
    <message>
        <source>Not one of the list: {got}. {prompt}</source>
        <translation>Spoza listy: {got}. {prompt}</translation>
    </message>
    <message>
        <source>Wrong label {got}: scan {expected}.</source>
        <translation>Błędna etykieta {got}: zeskanuj {expected}.</translation>
    </message>
</context>
<context>
    <name>DispatchTab</name>
    <message>
        <source>Carrier</source>
        <translation>Przewoźnik</translation>
    </message>
    <message>
        <source>SSCC</source>
        <translation>SSCC</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>Zamówienie</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Usługa</translation>
    </message>
    <message>
        <source>Parcel</source>
        <translation>Paczka</translation>
    </message>
    <message>
        <source>Weight (kg)</source>
        <translation>Waga (kg)</translation>
    </message>
    <message>
        <source>Carton</source>
        <translation>Karton</translation>
    </message>
    <message>
        <source>Ship to</source>
        <translation>Adres dostawy</translation>
    </message>
    <message>
        <source>Hand over to the carrier: mark shipped (Alt+D)</source>
        <translation>Przekaż przewoźnikowi: oznacz jako wysłane (Alt+D)</translation>
    </message>
    <message>
        <source>Shipment confirmations as CSV (Alt+X)</source>
        <translation>Potwierdzenia wysyłki jako CSV (Alt+X)</translation>
    </message>
    <message numerus="yes">
        <source>{carrier} (%n parcel(s))</source>
        <translation>
            <numerusform>{carrier} (%n paczka)</numerusform>
            <numerusform>{carrier} (%n paczki)</numerusform>
            <numerusform>{carrier} (%n paczek)</numerusform>
        </translation>
    </message>
    <message>
        <source>No packed parcels are waiting.</source>
        <translation>Brak spakowanych paczek.</translation>
    </message>
    <message numerus="yes">
        <source>%n parcel(s) for this carrier. Alt+D hands over the selected ones, or all when none is selected.</source>
        <translation>
            <numerusform>%n paczka dla tego przewoźnika. Alt+D przekazuje zaznaczone, albo wszystkie, gdy nic nie zaznaczono.</numerusform>
            <numerusform>%n paczki dla tego przewoźnika. Alt+D przekazuje zaznaczone, albo wszystkie, gdy nic nie zaznaczono.</numerusform>
            <numerusform>%n paczek dla tego przewoźnika. Alt+D przekazuje zaznaczone, albo wszystkie, gdy nic nie zaznaczono.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Shipment {number}: %n parcel(s) handed to {carrier}; orders shipped: {orders}</source>
        <translation>
            <numerusform>Wysyłka {number}: %n paczka przekazana {carrier}; wysłane zamówienia: {orders}</numerusform>
            <numerusform>Wysyłka {number}: %n paczki przekazane {carrier}; wysłane zamówienia: {orders}</numerusform>
            <numerusform>Wysyłka {number}: %n paczek przekazanych {carrier}; wysłane zamówienia: {orders}</numerusform>
        </translation>
    </message>
    <message>
        <source>Shipment confirmations</source>
        <translation>Potwierdzenia wysyłki</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Pliki CSV (*.csv)</translation>
    </message>
    <message>
        <source>Writing the shipment confirmations…</source>
        <translation>Zapisywanie potwierdzeń wysyłki…</translation>
    </message>
    <message>
        <source>Could not write {path}: {reason}</source>
        <translation>Nie można zapisać {path}: {reason}</translation>
    </message>
    <message numerus="yes">
        <source>%n shipped parcel(s) written to {path}</source>
        <translation>
            <numerusform>%n wysłana paczka zapisana w {path}</numerusform>
            <numerusform>%n wysłane paczki zapisane w {path}</numerusform>
            <numerusform>%n wysłanych paczek zapisanych w {path}</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FacesScreen</name>
    <message>
        <source>Pick faces and replenishment</source>
        <translation>Lokacje kompletacyjne i uzupełnianie</translation>
    </message>
    <message>
        <source>Pick faces (orange: below min)</source>
        <translation>Lokacje kompletacyjne (pomarańczowe: poniżej minimum)</translation>
    </message>
    <message>
        <source>Open replenishment tasks</source>
        <translation>Otwarte zadania uzupełniania</translation>
    </message>
    <message>
        <source>&amp;Location</source>
        <translation>&amp;Lokacja</translation>
    </message>
    <message>
        <source>S&amp;KU</source>
        <translation>S&amp;KU</translation>
    </message>
    <message>
        <source>M&amp;in</source>
        <translation>M&amp;in</translation>
    </message>
    <message>
        <source>M&amp;ax</source>
        <translation>M&amp;aks</translation>
    </message>
    <message>
        <source>&amp;Unit</source>
        <translation>&amp;Jednostka</translation>
    </message>
    <message>
        <source>&amp;Save levels</source>
        <translation>&amp;Zapisz poziomy</translation>
    </message>
    <message>
        <source>&amp;Remove levels</source>
        <translation>&amp;Usuń poziomy</translation>
    </message>
    <message>
        <source>&amp;Cancel task</source>
        <translation>&amp;Anuluj zadanie</translation>
    </message>
    <message>
        <source>Face</source>
        <translation>Lokacja</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Produkt</translation>
    </message>
    <message>
        <source>On hand</source>
        <translation>Stan</translation>
    </message>
    <message>
        <source>Min</source>
        <translation>Min</translation>
    </message>
    <message>
        <source>Max</source>
        <translation>Maks</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Jednostka</translation>
    </message>
    <message>
        <source>To bring</source>
        <translation>Do przyniesienia</translation>
    </message>
    <message>
        <source>Orders wait</source>
        <translation>Czekające zamówienia</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Skąd</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Powód</translation>
    </message>
    <message>
        <source>below min</source>
        <translation>poniżej minimum</translation>
    </message>
    <message>
        <source>orders short</source>
        <translation>braki w zamówieniach</translation>
    </message>
    <message>
        <source>{location}: {sku}, min {min}, max {max}, unit {unit}</source>
        <translation>{location}: {sku}, min {min}, maks {max}, jednostka {unit}</translation>
    </message>
    <message>
        <source>{location} is no longer replenished</source>
        <translation>{location} nie jest już uzupełniana</translation>
    </message>
    <message>
        <source>Select a task first</source>
        <translation>Najpierw wybierz zadanie</translation>
    </message>
    <message>
        <source>Task for {face} cancelled</source>
        <translation>Zadanie dla {face} anulowane</translation>
    </message>
</context>
<context>
    <name>FloorScreen</name>
    <message>
        <source>Esc: back</source>
        <extracomment>Changes that make refresh() run (e.g. Changes(stock=True, receipts=True)). The scan journal&apos;s context for failed scans on this screen. Take the focus back from buttons (floor screens); off where Tab should reach buttons.</extracomment>
        <translation>Esc: wstecz</translation>
    </message>
    <message>
        <source>Type or scan the quantity for the next item, then Enter</source>
        <translation>Wpisz lub zeskanuj ilość dla następnej sztuki, potem Enter</translation>
    </message>
    <message>
        <source>A quantity is a number from 1 to {most}.</source>
        <translation>Ilość to liczba od 1 do {most}.</translation>
    </message>
    <message>
        <source>Next item counts {quantity} times: scan it</source>
        <translation>Następna sztuka liczy się {quantity} razy: zeskanuj ją</translation>
    </message>
    <message>
        <source>{code} does nothing here. {prompt}</source>
        <translation>{code} nic tu nie robi. {prompt}</translation>
    </message>
</context>
<context>
    <name>HomeScreen</name>
    <message>
        <source>Hello, {name}</source>
        <translation>Witaj, {name}</translation>
    </message>
    <message>
        <source>Choose a task</source>
        <translation>Wybierz zadanie</translation>
    </message>
    <message>
        <source>No tasks are available for your role yet.</source>
        <translation>Dla twojej roli nie ma jeszcze zadań.</translation>
    </message>
    <message>
        <source>Log out (Ctrl+L)</source>
        <translation>Wyloguj (Ctrl+L)</translation>
    </message>
    <message>
        <source>F1-F12: open a task    Tab, arrows: move    Enter: open    Ctrl+L or scan SF:LOGOUT: log out</source>
        <translation>F1-F12: otwórz zadanie    Tab, strzałki: przejdź    Enter: otwórz    Ctrl+L lub zeskanuj SF:LOGOUT: wyloguj</translation>
    </message>
    <message>
        <source>Choose a task first (F1-F12), then scan.</source>
        <translation>Najpierw wybierz zadanie (F1-F12), potem skanuj.</translation>
    </message>
</context>
<context>
    <name>InspectionPanel</name>
    <message>
        <source>lot/serial {lot}</source>
        <translation>partia/numer seryjny {lot}</translation>
    </message>
    <message>
        <source>Customer&apos;s reason: {reason}</source>
        <translation>Powód klienta: {reason}</translation>
    </message>
    <message>
        <source>Check: {flags}</source>
        <translation>Sprawdź: {flags}</translation>
    </message>
    <message>
        <source>(checklist)</source>
        <translation>(lista kontrolna)</translation>
    </message>
    <message>
        <source>Findings: {findings}</source>
        <translation>Ustalenia: {findings}</translation>
    </message>
    <message>
        <source>Notes: {notes}</source>
        <translation>Uwagi: {notes}</translation>
    </message>
    <message>
        <source>Grade it: 1–4 or A–D, then Enter (or scan SF:GRADE-A … SF:GRADE-D)</source>
        <translation>Oceń: 1–4 lub A–D, potem Enter (lub zeskanuj SF:GRADE-A … SF:GRADE-D)</translation>
    </message>
    <message>
        <source>Grade {grade} → {disposition} → {destination}    refund {refund}%</source>
        <translation>Ocena {grade} → {disposition} → {destination}    zwrot {refund}%</translation>
    </message>
    <message>
        <source>Not what the rules say: a supervisor must approve.</source>
        <translation>Niezgodne z regułami: kierownik musi zatwierdzić.</translation>
    </message>
    <message>
        <source>Worth {value}, over {limit}: a supervisor must approve.</source>
        <translation>Wartość {value}, powyżej {limit}: kierownik musi zatwierdzić.</translation>
    </message>
    <message>
        <source>Enter or SF:CONFIRM: route it and print its label</source>
        <translation>Enter lub SF:CONFIRM: skieruj i wydrukuj etykietę</translation>
    </message>
</context>
<context>
    <name>JournalScreen</name>
    <message>
        <source>Scan journal</source>
        <translation>Dziennik skanów</translation>
    </message>
    <message>
        <source>&amp;User</source>
        <translation>&amp;Użytkownik</translation>
    </message>
    <message>
        <source>&amp;Workstation</source>
        <translation>&amp;Stanowisko</translation>
    </message>
    <message>
        <source>&amp;Outcome</source>
        <translation>W&amp;ynik</translation>
    </message>
    <message>
        <source>&amp;Since</source>
        <translation>&amp;Od</translation>
    </message>
    <message>
        <source>&amp;Text or message</source>
        <translation>&amp;Tekst lub komunikat</translation>
    </message>
    <message>
        <source>any</source>
        <translation>wszystkie</translation>
    </message>
    <message>
        <source>&amp;More (older scans)</source>
        <translation>&amp;Więcej (starsze skany)</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Czas</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Użytkownik</translation>
    </message>
    <message>
        <source>Workstation</source>
        <translation>Stanowisko</translation>
    </message>
    <message>
        <source>Screen and step</source>
        <translation>Ekran i krok</translation>
    </message>
    <message>
        <source>Scan</source>
        <translation>Skan</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Wynik</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Komunikat</translation>
    </message>
    <message>
        <source>Esc: back</source>
        <translation>Esc: wstecz</translation>
    </message>
    <message>
        <source>{count} scans shown, newest first</source>
        <translation>Pokazane skany: {count}, najnowsze najpierw</translation>
    </message>
</context>
<context>
    <name>LoginScreen</name>
    <message>
        <source>Stockfloor: log in</source>
        <translation>Stockfloor: logowanie</translation>
    </message>
    <message>
        <source>Scan your badge</source>
        <translation>Zeskanuj swój identyfikator</translation>
    </message>
    <message>
        <source>Or type your user name and PIN</source>
        <translation>Albo wpisz nazwę użytkownika i PIN</translation>
    </message>
    <message>
        <source>&amp;User name</source>
        <translation>&amp;Nazwa użytkownika</translation>
    </message>
    <message>
        <source>&amp;PIN</source>
        <translation>&amp;PIN</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>Zaloguj</translation>
    </message>
    <message>
        <source>Database... (F10)</source>
        <translation>Baza danych... (F10)</translation>
    </message>
    <message>
        <source>Database: {database}</source>
        <translation>Baza danych: {database}</translation>
    </message>
    <message>
        <source>Tab: type user name and PIN instead</source>
        <translation>Tab: zamiast tego wpisz nazwę użytkownika i PIN</translation>
    </message>
    <message>
        <source>Type your PIN again, then Enter</source>
        <translation>Wpisz PIN jeszcze raz, potem Enter</translation>
    </message>
    <message>
        <source>Type your user name, then your PIN.</source>
        <translation>Wpisz nazwę użytkownika, potem PIN.</translation>
    </message>
    <message>
        <source>Database set to {target}. Start Stockfloor again to use it.</source>
        <translation>Ustawiono bazę danych {target}. Uruchom Stockfloor ponownie, aby jej użyć.</translation>
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
        <translation>(dane demonstracyjne)</translation>
    </message>
    <message>
        <source>Nobody logged in</source>
        <translation>Nikt nie jest zalogowany</translation>
    </message>
    <message>
        <source>{name} ({role})</source>
        <translation>{name} ({role})</translation>
    </message>
    <message>
        <source>Workstation {name}</source>
        <translation>Stanowisko {name}</translation>
    </message>
    <message>
        <source>Database {url}</source>
        <translation>Baza danych {url}</translation>
    </message>
</context>
<context>
    <name>MyCountsList</name>
    <message>
        <source>{number}    {kind} {about}    {done} of {total} locations done</source>
        <translation>{number}    {kind} {about}    {done} z {total} lokalizacji gotowe</translation>
    </message>
    <message>
        <source>next: {location}</source>
        <translation>dalej: {location}</translation>
    </message>
    <message>
        <source>(anyone&apos;s)</source>
        <translation>(dowolna osoba)</translation>
    </message>
</context>
<context>
    <name>OfflineDesk</name>
    <message>
        <source>Not saved: the offline outbox cannot be written ({kind}).</source>
        <translation>Nie zapisano: nie można zapisać skrzynki offline ({kind}).</translation>
    </message>
</context>
<context>
    <name>OfflineStatus</name>
    <message numerus="yes">
        <source>Offline — %n scan(s) waiting</source>
        <translation>
            <numerusform>Offline — %n skan czeka</numerusform>
            <numerusform>Offline — %n skany czekają</numerusform>
            <numerusform>Offline — %n skanów czeka</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Back online: sending %n offline scan(s)</source>
        <translation>
            <numerusform>Znów online: wysyłanie %n skanu offline</numerusform>
            <numerusform>Znów online: wysyłanie %n skanów offline</numerusform>
            <numerusform>Znów online: wysyłanie %n skanów offline</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n offline scan(s) need a supervisor</source>
        <translation>
            <numerusform>%n skan offline wymaga kierownika</numerusform>
            <numerusform>%n skany offline wymagają kierownika</numerusform>
            <numerusform>%n skanów offline wymaga kierownika</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>OpenReceiptsList</name>
    <message>
        <source>{number}    {supplier}    {kind}    {done} of {expected} units</source>
        <translation>{number}    {supplier}    {kind}    {done} z {expected} sztuk</translation>
    </message>
</context>
<context>
    <name>OpenRmasList</name>
    <message>
        <source>{rma}    order {order}    {received} of {expected} units</source>
        <translation>{rma}    zamówienie {order}    {received} z {expected} sztuk</translation>
    </message>
</context>
<context>
    <name>OpenWavesList</name>
    <message numerus="yes">
        <source>{number}    {mode}, %n order(s)    {done} of {total} lines picked    {status}</source>
        <translation>
            <numerusform>{number}    {mode}, %n zamówienie    {done} z {total} pozycji skompletowane    {status}</numerusform>
            <numerusform>{number}    {mode}, %n zamówienia    {done} z {total} pozycji skompletowane    {status}</numerusform>
            <numerusform>{number}    {mode}, %n zamówień    {done} z {total} pozycji skompletowane    {status}</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PackLinesModel</name>
    <message>
        <source>SKU</source>
        <translation>Indeks</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Produkt</translation>
    </message>
    <message>
        <source>Ordered</source>
        <translation>Zamówiono</translation>
    </message>
    <message>
        <source>Picked</source>
        <translation>Skompletowano</translation>
    </message>
    <message>
        <source>Packed</source>
        <translation>Spakowano</translation>
    </message>
    <message>
        <source>In tote</source>
        <translation>W pojemniku</translation>
    </message>
    <message>
        <source>{units} missing</source>
        <translation>brakuje {units}</translation>
    </message>
</context>
<context>
    <name>PackScreen</name>
    <message>
        <source>Pack</source>
        <translation>Pakowanie</translation>
    </message>
    <message>
        <source>Scan a tote or an order number</source>
        <translation>Zeskanuj pojemnik lub numer zamówienia</translation>
    </message>
    <message>
        <source>Or choose a picked order: arrow keys, then Enter</source>
        <translation>Albo wybierz skompletowane zamówienie: strzałki, potem Enter</translation>
    </message>
    <message>
        <source>No picked orders are waiting.</source>
        <translation>Brak skompletowanych zamówień.</translation>
    </message>
    <message>
        <source>Next item counts {quantity} times</source>
        <translation>Następna sztuka liczy się {quantity} razy</translation>
    </message>
    <message>
        <source>Weigh parcel {number}: type or scan its weight in kg, then Enter</source>
        <translation>Zważ paczkę {number}: wpisz lub zeskanuj wagę w kg, potem Enter</translation>
    </message>
    <message>
        <source>Scan the lot of the item (GS1 label) or type it</source>
        <translation>Zeskanuj partię sztuki (etykieta GS1) lub ją wpisz</translation>
    </message>
    <message>
        <source>Scan each item into parcel {number} ({units} left in the tote)</source>
        <translation>Skanuj każdą sztukę do paczki {number} (w pojemniku zostało {units})</translation>
    </message>
    <message>
        <source>Everything is in parcel {number}: F8 / SF:CLOSE to weigh and close it</source>
        <translation>Wszystko jest w paczce {number}: F8 / SF:CLOSE, aby ją zważyć i zamknąć</translation>
    </message>
    <message numerus="yes">
        <source>%n unit(s) never picked: a supervisor splits them off (F7 / SF:SPLIT)</source>
        <translation>
            <numerusform>%n sztuka nigdy nie skompletowana: kierownik ją wydziela (F7 / SF:SPLIT)</numerusform>
            <numerusform>%n sztuki nigdy nie skompletowane: kierownik je wydziela (F7 / SF:SPLIT)</numerusform>
            <numerusform>%n sztuk nigdy nie skompletowanych: kierownik je wydziela (F7 / SF:SPLIT)</numerusform>
        </translation>
    </message>
    <message>
        <source>Everything is packed: F9 / SF:CONFIRM finishes the order</source>
        <translation>Wszystko spakowane: F9 / SF:CONFIRM kończy zamówienie</translation>
    </message>
    <message>
        <source>Carton: {code} (chosen; F5 to change)</source>
        <translation>Karton: {code} (wybrany; F5, aby zmienić)</translation>
    </message>
    <message>
        <source>Carton: {code} (suggested; scan another carton or F5 to change)</source>
        <translation>Karton: {code} (sugerowany; zeskanuj inny karton lub F5, aby zmienić)</translation>
    </message>
    <message>
        <source>Carton: no carton fits everything: choose one (F5) or pack into several parcels</source>
        <translation>Karton: żaden karton nie pomieści wszystkiego: wybierz jeden (F5) lub pakuj do kilku paczek</translation>
    </message>
    <message>
        <source>Open an order first: scan its tote or number.</source>
        <translation>Najpierw otwórz zamówienie: zeskanuj jego pojemnik lub numer.</translation>
    </message>
    <message>
        <source>{code} does nothing here.</source>
        <translation>{code} nic tu nie robi.</translation>
    </message>
    <message>
        <source>{order}: scan the first item</source>
        <translation>{order}: zeskanuj pierwszą sztukę</translation>
    </message>
    <message>
        <source>Carton {code} for parcel {number}</source>
        <translation>Karton {code} dla paczki {number}</translation>
    </message>
    <message>
        <source>Which carton? Scan it or type its number</source>
        <translation>Który karton? Zeskanuj go lub wpisz jego numer</translation>
    </message>
    <message>
        <source>+{units} {sku} → parcel {parcel} ({packed} of {ordered})</source>
        <translation>+{units} {sku} → paczka {parcel} ({packed} z {ordered})</translation>
    </message>
    <message>
        <source>Already counted: {scan}</source>
        <translation>Już policzone: {scan}</translation>
    </message>
    <message>
        <source>Tote empty: F8 / SF:CLOSE to weigh and close</source>
        <translation>Pojemnik pusty: F8 / SF:CLOSE, aby zważyć i zamknąć</translation>
    </message>
    <message>
        <source>Nothing of yours to undo on {order}</source>
        <translation>Nic twojego do cofnięcia w {order}</translation>
    </message>
    <message>
        <source>Undone: -{units} {sku} out of parcel {parcel}: back in the tote</source>
        <translation>Cofnięto: -{units} {sku} z paczki {parcel}: z powrotem w pojemniku</translation>
    </message>
    <message>
        <source>No parcel is open: scan an item into one first.</source>
        <translation>Żadna paczka nie jest otwarta: najpierw zeskanuj sztukę do jednej z nich.</translation>
    </message>
    <message>
        <source>&apos;{text}&apos; is not a weight: type the kilograms, like 1.25</source>
        <translation>&apos;{text}&apos; nie jest wagą: wpisz kilogramy, np. 1.25</translation>
    </message>
    <message>
        <source>Cleared: scan again</source>
        <translation>Wyczyszczono: skanuj ponownie</translation>
    </message>
    <message>
        <source>Left {order}: everything packed is saved</source>
        <translation>Opuszczono {order}: wszystko spakowane jest zapisane</translation>
    </message>
</context>
<context>
    <name>ParcelActions</name>
    <message>
        <source>No parcel is open: scan an item into one first.</source>
        <translation>Żadna paczka nie jest otwarta: najpierw zeskanuj sztukę do jednej z nich.</translation>
    </message>
    <message numerus="yes">
        <source>Parcel {number} closed: {carton}, {kg} kg, %n unit(s).</source>
        <translation>
            <numerusform>Paczka {number} zamknięta: {carton}, {kg} kg, %n sztuka.</numerusform>
            <numerusform>Paczka {number} zamknięta: {carton}, {kg} kg, %n sztuki.</numerusform>
            <numerusform>Paczka {number} zamknięta: {carton}, {kg} kg, %n sztuk.</numerusform>
        </translation>
    </message>
    <message>
        <source>Not printed: {reason}</source>
        <translation>Nie wydrukowano: {reason}</translation>
    </message>
    <message>
        <source>Label and packing slip: {printer}</source>
        <translation>Etykieta i list przewozowy: {printer}</translation>
    </message>
    <message>
        <source>F7 / SF:SPLIT</source>
        <translation>F7 / SF:SPLIT</translation>
    </message>
    <message numerus="yes">
        <source>{order} packed: %n parcel(s) for {carrier}</source>
        <translation>
            <numerusform>{order} spakowane: %n paczka dla {carrier}</numerusform>
            <numerusform>{order} spakowane: %n paczki dla {carrier}</numerusform>
            <numerusform>{order} spakowane: %n paczek dla {carrier}</numerusform>
        </translation>
    </message>
    <message>
        <source>Split the units of {order} that were never picked off into a backorder?</source>
        <translation>Wydzielić nigdy nie skompletowane sztuki z {order} do zaległego zamówienia?</translation>
    </message>
    <message>
        <source>Not split: a supervisor must approve</source>
        <translation>Nie wydzielono: kierownik musi zatwierdzić</translation>
    </message>
    <message>
        <source>Split: {moved} to backorder {backorder}, approved by {name}.</source>
        <translation>Wydzielono: {moved} do zaległego zamówienia {backorder}, zatwierdził {name}.</translation>
    </message>
</context>
<context>
    <name>ParcelsList</name>
    <message numerus="yes">
        <source>Parcel {number}    open    %n unit(s)    SSCC {sscc}</source>
        <translation>
            <numerusform>Paczka {number}    otwarta    %n sztuka    SSCC {sscc}</numerusform>
            <numerusform>Paczka {number}    otwarta    %n sztuki    SSCC {sscc}</numerusform>
            <numerusform>Paczka {number}    otwarta    %n sztuk    SSCC {sscc}</numerusform>
        </translation>
    </message>
    <message>
        <source>{kg} kg</source>
        <translation>{kg} kg</translation>
    </message>
    <message numerus="yes">
        <source>Parcel {number}    closed    %n unit(s)    {carton}    {weight}    SSCC {sscc}</source>
        <translation>
            <numerusform>Paczka {number}    zamknięta    %n sztuka    {carton}    {weight}    SSCC {sscc}</numerusform>
            <numerusform>Paczka {number}    zamknięta    %n sztuki    {carton}    {weight}    SSCC {sscc}</numerusform>
            <numerusform>Paczka {number}    zamknięta    %n sztuk    {carton}    {weight}    SSCC {sscc}</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PickListModel</name>
    <message>
        <source>Location</source>
        <translation>Lokalizacja</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>Indeks</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Produkt</translation>
    </message>
    <message>
        <source>Lot</source>
        <translation>Partia</translation>
    </message>
    <message>
        <source>Qty</source>
        <translation>Ilość</translation>
    </message>
    <message>
        <source>Picked</source>
        <translation>Skompletowano</translation>
    </message>
    <message>
        <source>Tote</source>
        <translation>Pojemnik</translation>
    </message>
    <message>
        <source>{missing} short</source>
        <translation>brak {missing}</translation>
    </message>
</context>
<context>
    <name>PickScreen</name>
    <message>
        <source>Pick</source>
        <translation>Kompletacja</translation>
    </message>
    <message>
        <source>Scan a wave or one of its totes, or press Enter for the next wave</source>
        <translation>Zeskanuj falę lub jeden z jej pojemników albo naciśnij Enter, aby wziąć następną falę</translation>
    </message>
    <message>
        <source>Waves waiting to be picked, oldest first (arrow keys, then Enter):</source>
        <translation>Fale czekające na kompletację, najstarsze najpierw (strzałki, potem Enter):</translation>
    </message>
    <message>
        <source>No waves are waiting. A supervisor releases them.</source>
        <translation>Żadne fale nie czekają. Zwalnia je kierownik.</translation>
    </message>
    <message>
        <source>Next item counts {quantity} times</source>
        <translation>Następna sztuka liczy się {quantity} razy</translation>
    </message>
    <message>
        <source>Scan the lot of {sku}</source>
        <translation>Zeskanuj partię {sku}</translation>
    </message>
    <message>
        <source>Everything is picked</source>
        <translation>Wszystko skompletowane</translation>
    </message>
    <message>
        <source>Go to {location} — scan the location</source>
        <translation>Idź do {location} — zeskanuj lokalizację</translation>
    </message>
    <message>
        <source>Pick {quantity} × {sku} {name}</source>
        <translation>Pobierz {quantity} × {sku} {name}</translation>
    </message>
    <message>
        <source>(lot {lot})</source>
        <translation>(partia {lot})</translation>
    </message>
    <message>
        <source>tote {slot}</source>
        <translation>pojemnik {slot}</translation>
    </message>
    <message numerus="yes">
        <source>{done} of %n line(s)</source>
        <translation>
            <numerusform>{done} z %n pozycji</numerusform>
            <numerusform>{done} z %n pozycji</numerusform>
            <numerusform>{done} z %n pozycji</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{picked} of %n unit(s)</source>
        <translation>
            <numerusform>{picked} z %n sztuki</numerusform>
            <numerusform>{picked} z %n sztuk</numerusform>
            <numerusform>{picked} z %n sztuk</numerusform>
        </translation>
    </message>
    <message>
        <source>tote {slot}: {order}</source>
        <translation>pojemnik {slot}: {order}</translation>
    </message>
    <message>
        <source>Choose a wave first: scan its number or press Enter.</source>
        <translation>Najpierw wybierz falę: zeskanuj jej numer lub naciśnij Enter.</translation>
    </message>
    <message>
        <source>{code} does nothing here.</source>
        <translation>{code} nic tu nie robi.</translation>
    </message>
    <message>
        <source>{code} is not a wave: scan a wave number like W000012 or a tote.</source>
        <translation>{code} nie jest falą: zeskanuj numer fali, np. W000012, lub pojemnik.</translation>
    </message>
    <message>
        <source>{wave} is picked already: take its cart to packing</source>
        <translation>{wave} jest już skompletowana: zawieź wózek do pakowania</translation>
    </message>
    <message numerus="yes">
        <source>{wave}: %n line(s), go to {location}</source>
        <translation>
            <numerusform>{wave}: %n pozycja, idź do {location}</numerusform>
            <numerusform>{wave}: %n pozycje, idź do {location}</numerusform>
            <numerusform>{wave}: %n pozycji, idź do {location}</numerusform>
        </translation>
    </message>
    <message>
        <source>At {location}: pick {quantity} × {sku}</source>
        <translation>W {location}: pobierz {quantity} × {sku}</translation>
    </message>
    <message>
        <source>Into tote {slot}: scan its label {label}</source>
        <translation>Do pojemnika {slot}: zeskanuj jego etykietę {label}</translation>
    </message>
    <message>
        <source>+{units} {sku} → tote {slot}</source>
        <translation>+{units} {sku} → pojemnik {slot}</translation>
    </message>
    <message>
        <source>({picked} of {quantity})</source>
        <translation>({picked} z {quantity})</translation>
    </message>
    <message>
        <source>Already counted: {scan}</source>
        <translation>Już policzone: {scan}</translation>
    </message>
    <message>
        <source>Next: {location}</source>
        <translation>Dalej: {location}</translation>
    </message>
    <message>
        <source>{wave} is picked: take the cart to packing</source>
        <translation>{wave} skompletowana: zawieź wózek do pakowania</translation>
    </message>
    <message>
        <source>Nothing of yours to undo on {wave}</source>
        <translation>Nic twojego do cofnięcia w {wave}</translation>
    </message>
    <message>
        <source>Undone: -{units} {sku} from tote {slot}: put it back in {location}</source>
        <translation>Cofnięto: -{units} {sku} z pojemnika {slot}: odłóż z powrotem do {location}</translation>
    </message>
    <message>
        <source>Cleared: scan again</source>
        <translation>Wyczyszczono: skanuj ponownie</translation>
    </message>
    <message>
        <source>Left {wave}: everything picked is saved</source>
        <translation>Opuszczono {wave}: wszystko pobrane jest zapisane</translation>
    </message>
    <message>
        <source>single order</source>
        <translation>pojedyncze zamówienie</translation>
    </message>
    <message>
        <source>batch</source>
        <translation>zbiorcza</translation>
    </message>
    <message>
        <source>released</source>
        <translation>zwolniona</translation>
    </message>
    <message>
        <source>being picked</source>
        <translation>w kompletacji</translation>
    </message>
    <message>
        <source>picked</source>
        <translation>skompletowana</translation>
    </message>
</context>
<context>
    <name>PinForm</name>
    <message>
        <source>New PIN for {name}</source>
        <translation>Nowy PIN dla {name}</translation>
    </message>
    <message>
        <source>Reset PIN</source>
        <translation>Zresetuj PIN</translation>
    </message>
</context>
<context>
    <name>PlanForm</name>
    <message>
        <source>Plan a count</source>
        <translation>Zaplanuj inwentaryzację</translation>
    </message>
    <message>
        <source>Location &amp;range</source>
        <translation>&amp;Zakres lokalizacji</translation>
    </message>
    <message>
        <source>to</source>
        <translation>do</translation>
    </message>
    <message>
        <source>first location, e.g. A-01-01</source>
        <translation>pierwsza lokalizacja, np. A-01-01</translation>
    </message>
    <message>
        <source>last location</source>
        <translation>ostatnia lokalizacja</translation>
    </message>
    <message>
        <source>&amp;Zone</source>
        <translation>&amp;Strefa</translation>
    </message>
    <message>
        <source>zone, e.g. Z1</source>
        <translation>strefa, np. Z1</translation>
    </message>
    <message>
        <source>SKU or barcode: every location holding it</source>
        <translation>Indeks lub kod kreskowy: każda lokalizacja, w której jest</translation>
    </message>
    <message>
        <source>Pro&amp;duct</source>
        <translation>Pro&amp;dukt</translation>
    </message>
    <message>
        <source>ABC sc&amp;hedule</source>
        <translation>&amp;Harmonogram ABC</translation>
    </message>
    <message>
        <source>Coun&amp;ter</source>
        <translation>&amp;Liczący</translation>
    </message>
    <message>
        <source>D&amp;ue</source>
        <translation>&amp;Termin</translation>
    </message>
    <message>
        <source>&amp;Blind: counters never see the quantities on record</source>
        <translation>&amp;Na ślepo: liczący nigdy nie widzą zarejestrowanych ilości</translation>
    </message>
    <message>
        <source>&amp;Plan count</source>
        <translation>&amp;Zaplanuj</translation>
    </message>
    <message>
        <source>Anyone</source>
        <translation>Ktokolwiek</translation>
    </message>
    <message numerus="yes">
        <source>%n product(s) are due for counting today</source>
        <translation>
            <numerusform>%n produkt do policzenia dziś</numerusform>
            <numerusform>%n produkty do policzenia dziś</numerusform>
            <numerusform>%n produktów do policzenia dziś</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing is due for counting today</source>
        <translation>Dziś nie ma nic do policzenia</translation>
    </message>
    <message>
        <source>Type the first location of the range (and the last, for more than one).</source>
        <translation>Wpisz pierwszą lokalizację zakresu (i ostatnią, jeśli więcej niż jedna).</translation>
    </message>
    <message>
        <source>Type the zone to count.</source>
        <translation>Wpisz strefę do policzenia.</translation>
    </message>
    <message>
        <source>Type or scan the SKU or barcode of the product to count.</source>
        <translation>Wpisz lub zeskanuj indeks lub kod kreskowy produktu do policzenia.</translation>
    </message>
    <message>
        <source>Nothing new to plan: every product due already has an open count.</source>
        <translation>Nic nowego do zaplanowania: każdy należny produkt ma już otwartą inwentaryzację.</translation>
    </message>
    <message numerus="yes">
        <source>Planned {number}: %n location(s)</source>
        <translation>
            <numerusform>Zaplanowano {number}: %n lokalizacja</numerusform>
            <numerusform>Zaplanowano {number}: %n lokalizacje</numerusform>
            <numerusform>Zaplanowano {number}: %n lokalizacji</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Planned %n counts</source>
        <translation>
            <numerusform>Zaplanowano %n inwentaryzację</numerusform>
            <numerusform>Zaplanowano %n inwentaryzacje</numerusform>
            <numerusform>Zaplanowano %n inwentaryzacji</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PlanningScreen</name>
    <message>
        <source>anyone</source>
        <translation>ktokolwiek</translation>
    </message>
    <message>
        <source>{done} of {total}</source>
        <translation>{done} z {total}</translation>
    </message>
    <message>
        <source>blind</source>
        <translation>na ślepo</translation>
    </message>
    <message>
        <source>quantities shown</source>
        <translation>ilości widoczne</translation>
    </message>
    <message>
        <source>Select a count in the list first.</source>
        <translation>Najpierw wybierz inwentaryzację z listy.</translation>
    </message>
    <message numerus="yes">
        <source>%n count(s) given to {counter}, due {due}</source>
        <translation>
            <numerusform>%n inwentaryzacja przydzielona {counter}, termin {due}</numerusform>
            <numerusform>%n inwentaryzacje przydzielone {counter}, termin {due}</numerusform>
            <numerusform>%n inwentaryzacji przydzielonych {counter}, termin {due}</numerusform>
        </translation>
    </message>
    <message>
        <source>Cancel {numbers}? What was not yet settled changes no stock.</source>
        <translation>Anulować {numbers}? To, co nie zostało rozliczone, nie zmienia stanu.</translation>
    </message>
    <message>
        <source>Cancelled {numbers}</source>
        <translation>Anulowano {numbers}</translation>
    </message>
    <message>
        <source>Cancel counts</source>
        <translation>Anuluj inwentaryzacje</translation>
    </message>
    <message>
        <source>Save count sheet</source>
        <translation>Zapisz arkusz spisowy</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>Pliki PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Writing the count sheet of {count}…</source>
        <translation>Zapisywanie arkusza spisu {count}…</translation>
    </message>
    <message>
        <source>Could not write the file: {reason}</source>
        <translation>Nie można zapisać pliku: {reason}</translation>
    </message>
    <message>
        <source>Count sheet {number} saved to {path}</source>
        <translation>Arkusz spisowy {number} zapisany w {path}</translation>
    </message>
    <message>
        <source>Plan counts</source>
        <translation>Planowanie inwentaryzacji</translation>
    </message>
    <message>
        <source>Counts</source>
        <translation>Inwentaryzacje</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>Dokładność</translation>
    </message>
    <message>
        <source>Open counts</source>
        <translation>Otwarte inwentaryzacje</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Inwentaryzacja</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Rodzaj</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Co</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>Termin</translation>
    </message>
    <message>
        <source>Counter</source>
        <translation>Liczący</translation>
    </message>
    <message>
        <source>Locations done</source>
        <translation>Gotowe lokalizacje</translation>
    </message>
    <message>
        <source>Blind</source>
        <translation>Na ślepo</translation>
    </message>
    <message>
        <source>&amp;Assign to counter and due date</source>
        <translation>&amp;Przydziel liczącego i termin</translation>
    </message>
    <message>
        <source>Print count &amp;sheet…</source>
        <translation>Drukuj &amp;arkusz spisowy…</translation>
    </message>
    <message>
        <source>Ca&amp;ncel count…</source>
        <translation>A&amp;nuluj inwentaryzację…</translation>
    </message>
    <message>
        <source>Alt+P: plan    Alt+A: assign selected    Alt+S: count sheet    Ctrl+Tab: accuracy report    Esc: back</source>
        <translation>Alt+P: zaplanuj    Alt+A: przydziel zaznaczone    Alt+S: arkusz spisowy    Ctrl+Tab: raport dokładności    Esc: wstecz</translation>
    </message>
</context>
<context>
    <name>PolicyScreen</name>
    <message>
        <source>Count policy</source>
        <translation>Zasady inwentaryzacji</translation>
    </message>
    <message>
        <source>ABC classes</source>
        <translation>Klasy ABC</translation>
    </message>
    <message>
        <source>&amp;A: first share of movement</source>
        <translation>&amp;A: pierwszy udział w ruchu</translation>
    </message>
    <message>
        <source>&amp;B: up to</source>
        <translation>&amp;B: do</translation>
    </message>
    <message>
        <source>B&amp;y</source>
        <translation>&amp;Według</translation>
    </message>
    <message>
        <source>&amp;Look back (days)</source>
        <translation>&amp;Okres wstecz (dni)</translation>
    </message>
    <message>
        <source>value (units × cost)</source>
        <translation>wartość (sztuki × koszt)</translation>
    </message>
    <message>
        <source>frequency (moves)</source>
        <translation>częstotliwość (ruchy)</translation>
    </message>
    <message>
        <source>&amp;Classify now</source>
        <translation>&amp;Klasyfikuj teraz</translation>
    </message>
    <message>
        <source>How each class is counted</source>
        <translation>Jak liczona jest każda klasa</translation>
    </message>
    <message>
        <source>Counts a year</source>
        <translation>Inwentaryzacje w roku</translation>
    </message>
    <message>
        <source>Tolerance, % of units</source>
        <translation>Tolerancja, % sztuk</translation>
    </message>
    <message>
        <source>Tolerance, value</source>
        <translation>Tolerancja, wartość</translation>
    </message>
    <message>
        <source>Small variances approve themselves</source>
        <translation>Małe różnice zatwierdzają się same</translation>
    </message>
    <message>
        <source>Daily plan</source>
        <translation>Plan dzienny</translation>
    </message>
    <message>
        <source>Plan &amp;days</source>
        <translation>&amp;Dni planu</translation>
    </message>
    <message>
        <source>Most counts a d&amp;ay</source>
        <translation>Najwięcej inwentaryzacji na d&amp;zień</translation>
    </message>
    <message>
        <source>&amp;Save policy</source>
        <translation>&amp;Zapisz zasady</translation>
    </message>
    <message>
        <source>Products now: A {a}, B {b}, C {c}</source>
        <translation>Produkty teraz: A {a}, B {b}, C {c}</translation>
    </message>
    <message>
        <source>Planning by ABC today plans nothing: no product is due.</source>
        <translation>Planowanie wg ABC dziś nic nie zaplanuje: żaden produkt nie jest do liczenia.</translation>
    </message>
    <message>
        <source>Planning by ABC today: {total} counts over {days} days, at most {most} a day; {left} wait for the next plan.</source>
        <translation>Planowanie wg ABC dziś: inwentaryzacje: {total} w ciągu dni: {days}, najwyżej {most} dziennie; {left} czeka na następny plan.</translation>
    </message>
    <message>
        <source>Policy saved</source>
        <translation>Zasady zapisane</translation>
    </message>
    <message>
        <source>Classified: A {a}, B {b}, C {c}</source>
        <translation>Sklasyfikowano: A {a}, B {b}, C {c}</translation>
    </message>
</context>
<context>
    <name>PrintJobsScreen</name>
    <message>
        <source>Sending job {job} again…</source>
        <translation>Ponowne wysyłanie zadania {job}…</translation>
    </message>
    <message>
        <source>Printing job {job} again…</source>
        <translation>Ponowne drukowanie zadania {job}…</translation>
    </message>
    <message>
        <source>Drawing the pages of {title}…</source>
        <translation>Rysowanie stron: {title}…</translation>
    </message>
    <message>
        <source>Job {job} failed: {reason}</source>
        <translation>Zadanie {job} nie powiodło się: {reason}</translation>
    </message>
    <message>
        <source>Job {job} printed on {printer}.</source>
        <translation>Zadanie {job} wydrukowane na {printer}.</translation>
    </message>
    <message>
        <source>No print jobs in the last days.</source>
        <translation>Brak zadań drukowania w ostatnich dniach.</translation>
    </message>
    <message>
        <source>Job {job}: {title}, printed on {printer}.</source>
        <translation>Zadanie {job}: {title}, wydrukowane na {printer}.</translation>
    </message>
    <message>
        <source>Job {job}: {title}, waiting for {printer}.</source>
        <translation>Zadanie {job}: {title}, czeka na {printer}.</translation>
    </message>
    <message>
        <source>Print jobs</source>
        <translation>Zadania drukowania</translation>
    </message>
    <message>
        <source>&amp;All workstations</source>
        <translation>&amp;Wszystkie stanowiska</translation>
    </message>
    <message>
        <source>&amp;Retry (F5)</source>
        <translation>&amp;Ponów (F5)</translation>
    </message>
    <message>
        <source>Re&amp;print (F6)</source>
        <translation>Drukuj &amp;ponownie (F6)</translation>
    </message>
    <message>
        <source>Pre&amp;view (F3)</source>
        <translation>Podg&amp;ląd (F3)</translation>
    </message>
    <message>
        <source>Up/Down: choose a job    F5: retry a failed job    F6: print again here    F3: preview    Esc: back</source>
        <translation>Góra/Dół: wybierz zadanie    F5: ponów nieudane zadanie    F6: drukuj ponownie tutaj    F3: podgląd    Esc: wstecz</translation>
    </message>
</context>
<context>
    <name>PrintPreviewDialog</name>
    <message>
        <source>Print preview: {title}</source>
        <translation>Podgląd wydruku: {title}</translation>
    </message>
    <message>
        <source>{title}: {count} pages, the first {shown} shown</source>
        <translation>{title}: {count} stron, pokazano pierwsze {shown}</translation>
    </message>
    <message numerus="yes">
        <source>{title}: %n page(s)</source>
        <translation>
            <numerusform>{title}: %n strona</numerusform>
            <numerusform>{title}: %n strony</numerusform>
            <numerusform>{title}: %n stron</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Print</source>
        <translation>&amp;Drukuj</translation>
    </message>
</context>
<context>
    <name>PrintersScreen</name>
    <message>
        <source>Printers of {workstation}.</source>
        <translation>Drukarki stanowiska {workstation}.</translation>
    </message>
    <message>
        <source>Not saved: {reason}</source>
        <translation>Nie zapisano: {reason}</translation>
    </message>
    <message>
        <source>Saved the printers of {workstation}.</source>
        <translation>Zapisano drukarki stanowiska {workstation}.</translation>
    </message>
    <message>
        <source>Not printed: {reason}</source>
        <translation>Nie wydrukowano: {reason}</translation>
    </message>
    <message>
        <source>Test print sent as job {job}; see Print jobs for how it went.</source>
        <translation>Wydruk próbny wysłany jako zadanie {job}; wynik w Zadaniach drukowania.</translation>
    </message>
    <message>
        <source>Printers</source>
        <translation>Drukarki</translation>
    </message>
    <message>
        <source>&amp;Workstation</source>
        <translation>&amp;Stanowisko</translation>
    </message>
    <message>
        <source>&amp;Show</source>
        <translation>&amp;Pokaż</translation>
    </message>
    <message>
        <source>Save (Ctrl+S)</source>
        <translation>Zapisz (Ctrl+S)</translation>
    </message>
    <message>
        <source>Tab: next field    Ctrl+S: save    Esc: back without saving</source>
        <translation>Tab: następne pole    Ctrl+S: zapisz    Esc: wstecz bez zapisywania</translation>
    </message>
</context>
<context>
    <name>ProfileForm</name>
    <message>
        <source>&amp;Folder</source>
        <translation>&amp;Folder</translation>
    </message>
    <message>
        <source>&amp;Address</source>
        <translation>&amp;Adres</translation>
    </message>
    <message>
        <source>&amp;Printer</source>
        <translation>&amp;Drukarka</translation>
    </message>
    <message>
        <source>folder for the PDF files</source>
        <translation>folder na pliki PDF</translation>
    </message>
    <message>
        <source>system printer</source>
        <translation>drukarka systemowa</translation>
    </message>
    <message>
        <source>address of the label printer, e.g. zebra-dock-1:9100</source>
        <translation>adres drukarki etykiet, np. zebra-dock-1:9100</translation>
    </message>
    <message>
        <source>raw CUPS queue</source>
        <translation>surowa kolejka CUPS</translation>
    </message>
    <message>
        <source>CUPS queue</source>
        <translation>kolejka CUPS</translation>
    </message>
    <message>
        <source>Folder for the PDF files</source>
        <translation>Folder na pliki PDF</translation>
    </message>
    <message>
        <source>Labels</source>
        <translation>Etykiety</translation>
    </message>
    <message>
        <source>Documents (A4 / Letter)</source>
        <translation>Dokumenty (A4 / Letter)</translation>
    </message>
    <message>
        <source>&amp;Name</source>
        <translation>&amp;Nazwa</translation>
    </message>
    <message>
        <source>&amp;Output</source>
        <translation>&amp;Wyjście</translation>
    </message>
    <message>
        <source>&amp;Size</source>
        <translation>&amp;Rozmiar</translation>
    </message>
    <message>
        <source>&amp;Resolution</source>
        <translation>Rozdziel&amp;czość</translation>
    </message>
    <message>
        <source>&amp;Darkness</source>
        <translation>&amp;Zaczernienie</translation>
    </message>
    <message>
        <source>O&amp;ffset (dots)</source>
        <translation>Prze&amp;sunięcie (punkty)</translation>
    </message>
    <message>
        <source>what people call this printer, e.g. Zebra at dock 1</source>
        <translation>jak nazywa się tę drukarkę, np. Zebra przy rampie 1</translation>
    </message>
    <message>
        <source>the printer&apos;s own</source>
        <translation>własna drukarki</translation>
    </message>
    <message>
        <source>right </source>
        <translation>w prawo </translation>
    </message>
    <message>
        <source>down </source>
        <translation>w dół </translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Przeglądaj…</translation>
    </message>
    <message>
        <source>&amp;Test print: command sheet</source>
        <translation>&amp;Wydruk próbny: arkusz poleceń</translation>
    </message>
</context>
<context>
    <name>PutawayScreen</name>
    <message>
        <source>Put away</source>
        <translation>Rozlokowanie</translation>
    </message>
    <message>
        <source>Waiting to be put away    lines: {lines}    units: {units}</source>
        <translation>Czeka na rozlokowanie    pozycje: {lines}    sztuki: {units}</translation>
    </message>
    <message>
        <source>Nothing waits to be put away.</source>
        <translation>Nic nie czeka na rozlokowanie.</translation>
    </message>
    <message>
        <source>Scan an item or a license plate</source>
        <translation>Zeskanuj sztukę lub nośnik</translation>
    </message>
    <message>
        <source>Type or scan how many to put away, then Enter</source>
        <translation>Wpisz lub zeskanuj, ile rozlokować, potem Enter</translation>
    </message>
    <message>
        <source>Scan any bin with room</source>
        <translation>Zeskanuj dowolną lokalizację z miejscem</translation>
    </message>
    <message>
        <source>Scan the destination {location}</source>
        <translation>Zeskanuj cel {location}</translation>
    </message>
    <message>
        <source>Plate {plate}: {units} units on {source}</source>
        <translation>Nośnik {plate}: {units} sztuk w {source}</translation>
    </message>
    <message>
        <source>{quantity} × {sku} {name} on {source}</source>
        <translation>{quantity} × {sku} {name} w {source}</translation>
    </message>
    <message>
        <source>✓ Plate {plate}: {units} units → {location}</source>
        <translation>✓ Nośnik {plate}: {units} sztuk → {location}</translation>
    </message>
    <message>
        <source>✓ {moved} → {location}</source>
        <translation>✓ {moved} → {location}</translation>
    </message>
    <message>
        <source>{units} still wait on {source}</source>
        <translation>{units} nadal czeka w {source}</translation>
    </message>
    <message>
        <source>reason: {reason}</source>
        <translation>powód: {reason}</translation>
    </message>
    <message>
        <source>approved by {name}</source>
        <translation>zatwierdził {name}</translation>
    </message>
    <message>
        <source>Already put away: {scan}</source>
        <translation>Już rozlokowane: {scan}</translation>
    </message>
    <message>
        <source>Not put away: {reason}</source>
        <translation>Nie rozlokowano: {reason}</translation>
    </message>
    <message>
        <source>Put away 1 to {most}: {most} wait on {source}.</source>
        <translation>Rozlokuj od 1 do {most}: w {source} czeka {most}.</translation>
    </message>
    <message>
        <source>{quantity} of {total}: scan the destination</source>
        <translation>{quantity} z {total}: zeskanuj cel</translation>
    </message>
    <message>
        <source>Scan an item first, then F2 to put away part of it.</source>
        <translation>Najpierw zeskanuj sztukę, potem F2, aby rozlokować część.</translation>
    </message>
    <message>
        <source>Nothing of yours to undo</source>
        <translation>Nic twojego do cofnięcia</translation>
    </message>
    <message>
        <source>Undone: {moved} from {location} back to {source}</source>
        <translation>Cofnięto: {moved} z {location} z powrotem do {source}</translation>
    </message>
    <message>
        <source>Quantity cleared: all of it goes</source>
        <translation>Ilość wyczyszczona: idzie całość</translation>
    </message>
    <message>
        <source>Nothing moved: it stays on {source}</source>
        <translation>Nic nie przesunięto: zostaje w {source}</translation>
    </message>
</context>
<context>
    <name>ReceiptLinesModel</name>
    <message>
        <source>SKU</source>
        <translation>Indeks</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nazwa</translation>
    </message>
    <message>
        <source>Expected</source>
        <translation>Oczekiwano</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Przyjęto</translation>
    </message>
    <message>
        <source>Damaged</source>
        <translation>Uszkodzone</translation>
    </message>
    <message>
        <source>Remaining</source>
        <translation>Pozostało</translation>
    </message>
</context>
<context>
    <name>ReceivingScreen</name>
    <message>
        <source>purchase order</source>
        <translation>zamówienie zakupu</translation>
    </message>
    <message>
        <source>ASN</source>
        <translation>awizacja</translation>
    </message>
    <message>
        <source>Receive</source>
        <translation>Przyjęcie</translation>
    </message>
    <message>
        <source>Scan a purchase order or ASN</source>
        <translation>Zeskanuj zamówienie zakupu lub awizację</translation>
    </message>
    <message>
        <source>Or choose an open receipt: arrow keys, then Enter</source>
        <translation>Albo wybierz otwarte przyjęcie: strzałki, potem Enter</translation>
    </message>
    <message>
        <source>No receipts are open.</source>
        <translation>Brak otwartych przyjęć.</translation>
    </message>
    <message>
        <source>Scan a product of {number}</source>
        <translation>Zeskanuj produkt z {number}</translation>
    </message>
    <message>
        <source>{done} of {expected} units</source>
        <translation>{done} z {expected} sztuk</translation>
    </message>
    <message>
        <source>quantity {quantity}</source>
        <translation>ilość {quantity}</translation>
    </message>
    <message>
        <source>DAMAGED, to quarantine</source>
        <translation>USZKODZONE, do kwarantanny</translation>
    </message>
    <message>
        <source>Next item: {marks}</source>
        <translation>Następna sztuka: {marks}</translation>
    </message>
    <message>
        <source>Open a receipt first: scan a purchase order or ASN.</source>
        <translation>Najpierw otwórz przyjęcie: zeskanuj zamówienie zakupu lub awizację.</translation>
    </message>
    <message>
        <source>{code} does nothing here. Scan a product of {number}.</source>
        <translation>{code} nic tu nie robi. Zeskanuj produkt z {number}.</translation>
    </message>
    <message>
        <source>{number} from {supplier}: scan the first product</source>
        <translation>{number} od {supplier}: zeskanuj pierwszy produkt</translation>
    </message>
    <message>
        <source>No receipts are open. Scan a purchase order or ASN.</source>
        <translation>Brak otwartych przyjęć. Zeskanuj zamówienie zakupu lub awizację.</translation>
    </message>
    <message>
        <source>Scan or type the lot of {sku}</source>
        <translation>Zeskanuj lub wpisz partię {sku}</translation>
    </message>
    <message>
        <source>Scan or type the expiry of {sku} (YYYY-MM-DD)</source>
        <translation>Zeskanuj lub wpisz datę ważności {sku} (RRRR-MM-DD)</translation>
    </message>
    <message>
        <source>{warning} (SF:CANCEL: to quarantine)</source>
        <translation>{warning} (SF:CANCEL: do kwarantanny)</translation>
    </message>
    <message>
        <source>DAMAGED +{units} {sku} {name} → {destination}</source>
        <translation>USZKODZONE +{units} {sku} {name} → {destination}</translation>
    </message>
    <message>
        <source>+{units} {sku} {name} → {destination}</source>
        <translation>+{units} {sku} {name} → {destination}</translation>
    </message>
    <message>
        <source>lot {lot}</source>
        <translation>partia {lot}</translation>
    </message>
    <message>
        <source>expiry {date}</source>
        <translation>ważne do {date}</translation>
    </message>
    <message>
        <source>approved by {name}</source>
        <translation>zatwierdził {name}</translation>
    </message>
    <message>
        <source>short shelf life: held in quarantine</source>
        <translation>krótki termin przydatności: wstrzymane w kwarantannie</translation>
    </message>
    <message>
        <source>short shelf life accepted</source>
        <translation>krótki termin przydatności przyjęty</translation>
    </message>
    <message>
        <source>Already counted: {scan}</source>
        <translation>Już policzone: {scan}</translation>
    </message>
    <message>
        <source>(not on {number})</source>
        <translation>(nie ma w {number})</translation>
    </message>
    <message>
        <source>({done} of {expected})</source>
        <translation>({done} z {expected})</translation>
    </message>
    <message>
        <source>Not received: {reason}</source>
        <translation>Nie przyjęto: {reason}</translation>
    </message>
    <message>
        <source>Next item is DAMAGED: it goes to quarantine</source>
        <translation>Następna sztuka jest USZKODZONA: idzie do kwarantanny</translation>
    </message>
    <message>
        <source>Damaged mark removed</source>
        <translation>Usunięto oznaczenie „uszkodzone”</translation>
    </message>
    <message>
        <source>Nothing of yours to undo on {number}</source>
        <translation>Nic twojego do cofnięcia w {number}</translation>
    </message>
    <message>
        <source>Undone: -{units} {sku} {name} from {location} {progress}</source>
        <translation>Cofnięto: -{units} {sku} {name} z {location} {progress}</translation>
    </message>
    <message>
        <source>{number} received</source>
        <translation>{number} przyjęte</translation>
    </message>
    <message>
        <source>{number} stays open: {remaining} of {expected} units still expected</source>
        <translation>{number} pozostaje otwarte: oczekiwano jeszcze {remaining} z {expected} sztuk</translation>
    </message>
    <message>
        <source>Quantity and damaged marks cleared</source>
        <translation>Ilość i oznaczenie uszkodzenia wyczyszczone</translation>
    </message>
    <message>
        <source>Left {number}: everything scanned is saved</source>
        <translation>Opuszczono {number}: wszystko zeskanowane jest zapisane</translation>
    </message>
</context>
<context>
    <name>ReleaseTab</name>
    <message>
        <source>Channel</source>
        <translation>Kanał</translation>
    </message>
    <message>
        <source>Carrier</source>
        <translation>Przewoźnik</translation>
    </message>
    <message>
        <source>Priority at least</source>
        <translation>Priorytet co najmniej</translation>
    </message>
    <message>
        <source>Ship by until</source>
        <translation>Wysyłka do</translation>
    </message>
    <message>
        <source>Complete orders only</source>
        <translation>Tylko kompletne zamówienia</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>Zamówienie</translation>
    </message>
    <message>
        <source>Ship to</source>
        <translation>Adres dostawy</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Priorytet</translation>
    </message>
    <message>
        <source>Ship by</source>
        <translation>Wysyłka do</translation>
    </message>
    <message>
        <source>Lines</source>
        <translation>Pozycje</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>Sztuki</translation>
    </message>
    <message>
        <source>Allocated</source>
        <translation>Zarezerwowano</translation>
    </message>
    <message>
        <source>Backorder</source>
        <translation>Zaległe</translation>
    </message>
    <message>
        <source>Allocate waiting orders (Alt+A)</source>
        <translation>Rezerwuj oczekujące zamówienia (Alt+A)</translation>
    </message>
    <message>
        <source>Release selected: a wave per order (Alt+S)</source>
        <translation>Zwolnij zaznaczone: fala na zamówienie (Alt+S)</translation>
    </message>
    <message>
        <source>Release selected onto carts (Alt+B)</source>
        <translation>Zwolnij zaznaczone na wózki (Alt+B)</translation>
    </message>
    <message>
        <source>totes per cart</source>
        <translation>pojemników na wózek</translation>
    </message>
    <message>
        <source>all</source>
        <translation>wszystkie</translation>
    </message>
    <message numerus="yes">
        <source>%n order(s) wait for stock to be allocated.</source>
        <translation>
            <numerusform>%n zamówienie czeka na rezerwację towaru.</numerusform>
            <numerusform>%n zamówienia czekają na rezerwację towaru.</numerusform>
            <numerusform>%n zamówień czeka na rezerwację towaru.</numerusform>
        </translation>
    </message>
    <message>
        <source>No orders wait for allocation.</source>
        <translation>Żadne zamówienia nie czekają na rezerwację.</translation>
    </message>
    <message>
        <source>Allocating stock to the waiting orders…</source>
        <translation>Przydzielanie zapasu oczekującym zamówieniom…</translation>
    </message>
    <message numerus="yes">
        <source>%n order(s) allocated</source>
        <translation>
            <numerusform>Zarezerwowano %n zamówienie</numerusform>
            <numerusform>Zarezerwowano %n zamówienia</numerusform>
            <numerusform>Zarezerwowano %n zamówień</numerusform>
        </translation>
    </message>
    <message>
        <source>units reserved: {units}, on backorder: {backorder}.</source>
        <translation>zarezerwowane sztuki: {units}, zaległe: {backorder}.</translation>
    </message>
    <message numerus="yes">
        <source>Releasing %n order(s) and routing their pick tasks…</source>
        <translation>
            <numerusform>Zwalnianie %n zamówienia i wyznaczanie trasy jego pobrań…</numerusform>
            <numerusform>Zwalnianie %n zamówień i wyznaczanie trasy ich pobrań…</numerusform>
            <numerusform>Zwalnianie %n zamówień i wyznaczanie trasy ich pobrań…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Released %n wave(s): {numbers}; lines to pick: {lines}.</source>
        <translation>
            <numerusform>Zwolniono %n falę: {numbers}; pozycje do kompletacji: {lines}.</numerusform>
            <numerusform>Zwolniono %n fale: {numbers}; pozycje do kompletacji: {lines}.</numerusform>
            <numerusform>Zwolniono %n fal: {numbers}; pozycje do kompletacji: {lines}.</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing to allocate.</source>
        <translation>Nic do zarezerwowania.</translation>
    </message>
    <message>
        <source>Select the orders to release first (Ctrl+A: all listed).</source>
        <translation>Najpierw zaznacz zamówienia do zwolnienia (Ctrl+A: wszystkie na liście).</translation>
    </message>
</context>
<context>
    <name>ReplenishScreen</name>
    <message>
        <source>Replenish</source>
        <translation>Uzupełnianie</translation>
    </message>
    <message numerus="yes">
        <source>Open replenishments: %n</source>
        <translation>
            <numerusform>Otwarte uzupełnienie: %n</numerusform>
            <numerusform>Otwarte uzupełnienia: %n</numerusform>
            <numerusform>Otwartych uzupełnień: %n</numerusform>
        </translation>
    </message>
    <message>
        <source>No face needs replenishing. New tasks appear here.</source>
        <translation>Żadna lokacja nie wymaga uzupełnienia. Nowe zadania pojawią się tutaj.</translation>
    </message>
    <message>
        <source>Bring {units} × {sku} {name} to {face}</source>
        <translation>Przynieś {units} × {sku} {name} do {face}</translation>
    </message>
    <message>
        <source>From {location}: {free} free</source>
        <translation>Z {location}: {free} wolnych</translation>
    </message>
    <message>
        <source>Taking {units}{lot}</source>
        <translation>Pobierasz {units}{lot}</translation>
    </message>
    <message>
        <source>Scan the reserve bin {location}</source>
        <translation>Zeskanuj lokację zapasu {location}</translation>
    </message>
    <message>
        <source>Scan a reserve bin holding {sku}</source>
        <translation>Zeskanuj lokację zapasu z {sku}</translation>
    </message>
    <message>
        <source>Scan {sku} in {location}</source>
        <translation>Zeskanuj {sku} w {location}</translation>
    </message>
    <message>
        <source>Scan the pick face {face}</source>
        <translation>Zeskanuj lokację kompletacyjną {face}</translation>
    </message>
    <message>
        <source>No face needs replenishing.</source>
        <translation>Żadna lokacja nie wymaga uzupełnienia.</translation>
    </message>
    <message>
        <source>{location}: take {sku}</source>
        <translation>{location}: weź {sku}</translation>
    </message>
    <message>
        <source>Scan or type the lot of {sku}</source>
        <translation>Zeskanuj lub wpisz partię {sku}</translation>
    </message>
    <message>
        <source>How many do you take? 1 to {most}, then Enter</source>
        <translation>Ile bierzesz? Od 1 do {most}, potem Enter</translation>
    </message>
    <message>
        <source>{units} × {sku}: scan the pick face {face}</source>
        <translation>{units} × {sku}: zeskanuj lokację kompletacyjną {face}</translation>
    </message>
    <message>
        <source>Nothing taken: scan the item again</source>
        <translation>Nic nie pobrano: zeskanuj towar ponownie</translation>
    </message>
    <message>
        <source>That many cannot be taken here.</source>
        <translation>Tylu nie można tu pobrać.</translation>
    </message>
    <message>
        <source>✓ {units} × {sku} {source} → {face}</source>
        <translation>✓ {units} × {sku} {source} → {face}</translation>
    </message>
    <message>
        <source>{units} units for waiting orders</source>
        <translation>{units} szt. dla czekających zamówień</translation>
    </message>
    <message>
        <source>Already replenished: {scan}</source>
        <translation>Już uzupełniono: {scan}</translation>
    </message>
    <message>
        <source>Scan the bin label: a typed code is not accepted here. {prompt}</source>
        <translation>Zeskanuj etykietę lokacji: wpisany kod nie jest tu przyjmowany. {prompt}</translation>
    </message>
    <message>
        <source>No other task</source>
        <translation>Brak innego zadania</translation>
    </message>
    <message>
        <source>Item dropped: scan it again</source>
        <translation>Towar odrzucony: zeskanuj go ponownie</translation>
    </message>
    <message>
        <source>Bin dropped: scan a reserve bin</source>
        <translation>Lokacja odrzucona: zeskanuj lokację zapasu</translation>
    </message>
</context>
<context>
    <name>ReplenishTasks</name>
    <message>
        <source>Face</source>
        <translation>Lokacja</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Produkt</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>Sztuki</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Skąd</translation>
    </message>
    <message>
        <source>Orders wait</source>
        <translation>Czekające zamówienia</translation>
    </message>
</context>
<context>
    <name>ReportModel</name>
    <message>
        <source>Shipped</source>
        <translation>Wysłano</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>Zwrócono</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>Wskaźnik</translation>
    </message>
    <message>
        <source>Grade {grade}</source>
        <translation>Ocena {grade}</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Oczekuje</translation>
    </message>
</context>
<context>
    <name>ReturnFindings</name>
    <message>
        <source>Notes</source>
        <translation>Uwagi</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Gotowe</translation>
    </message>
    <message>
        <source>Findings of {code}: a number ticks or unticks, {done} when done</source>
        <translation>Ustalenia dla {code}: numer zaznacza lub odznacza, {done} gdy gotowe</translation>
    </message>
    <message>
        <source>Notes on {code} (now: {notes}): type them, then Enter</source>
        <translation>Uwagi do {code} (teraz: {notes}): wpisz je, potem Enter</translation>
    </message>
    <message>
        <source>{code}: findings {findings}</source>
        <translation>{code}: ustalenia {findings}</translation>
    </message>
    <message>
        <source>notes: {notes}</source>
        <translation>uwagi: {notes}</translation>
    </message>
    <message>
        <source>Findings of {code} unchanged</source>
        <translation>Ustalenia dla {code} bez zmian</translation>
    </message>
</context>
<context>
    <name>ReturnReportScreen</name>
    <message>
        <source>Channel</source>
        <translation>Kanał</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Produkt</translation>
    </message>
    <message>
        <source>Customer&apos;s reason</source>
        <translation>Powód klienta</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>Miesiąc</translation>
    </message>
    <message>
        <source>Return report</source>
        <translation>Raport zwrotów</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Według</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Okres</translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation>Zapisz jako PDF…</translation>
    </message>
    <message>
        <source>last {days} days</source>
        <translation>ostatnie {days} dni</translation>
    </message>
    <message>
        <source>all time</source>
        <translation>cały okres</translation>
    </message>
    <message>
        <source>{returned} units returned; graded A {a}, B {b}, C {c}, D {d}</source>
        <translation>zwrócono {returned} sztuk; ocena A {a}, B {b}, C {c}, D {d}</translation>
    </message>
    <message>
        <source>Writing the return report…</source>
        <translation>Zapisywanie raportu zwrotów…</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>Zapisano {path}</translation>
    </message>
</context>
<context>
    <name>ReturnTexts</name>
    <message>
        <source>like new</source>
        <translation>jak nowe</translation>
    </message>
    <message>
        <source>open box</source>
        <translation>otwarte opakowanie</translation>
    </message>
    <message>
        <source>damaged, repairable</source>
        <translation>uszkodzone, do naprawy</translation>
    </message>
    <message>
        <source>scrap</source>
        <translation>złom</translation>
    </message>
    <message>
        <source>Restock</source>
        <translation>Przyjmij na stan</translation>
    </message>
    <message>
        <source>Quarantine</source>
        <translation>Kwarantanna</translation>
    </message>
    <message>
        <source>Refurbish</source>
        <translation>Odnów</translation>
    </message>
    <message>
        <source>Return to vendor</source>
        <translation>Zwrot do dostawcy</translation>
    </message>
    <message>
        <source>Scrap</source>
        <translation>Złomuj</translation>
    </message>
    <message>
        <source>serial not shipped on this order</source>
        <translation>numer seryjny nie był wysłany w tym zamówieniu</translation>
    </message>
    <message>
        <source>lot not shipped on this order</source>
        <translation>partia nie była wysłana w tym zamówieniu</translation>
    </message>
    <message>
        <source>returned before</source>
        <translation>zwrócone wcześniej</translation>
    </message>
    <message>
        <source>serial already in stock</source>
        <translation>numer seryjny już na stanie</translation>
    </message>
    <message>
        <source>not on the RMA</source>
        <translation>nie ma w RMA</translation>
    </message>
    <message>
        <source>more than announced</source>
        <translation>więcej niż awizowano</translation>
    </message>
    <message>
        <source>as the customer described</source>
        <translation>zgodnie z opisem klienta</translation>
    </message>
    <message>
        <source>scratched</source>
        <translation>porysowane</translation>
    </message>
    <message>
        <source>dented</source>
        <translation>wgniecione</translation>
    </message>
    <message>
        <source>missing parts</source>
        <translation>brakujące części</translation>
    </message>
    <message>
        <source>not working</source>
        <translation>nie działa</translation>
    </message>
    <message>
        <source>used</source>
        <translation>używane</translation>
    </message>
    <message>
        <source>dirty</source>
        <translation>brudne</translation>
    </message>
    <message>
        <source>packaging damaged</source>
        <translation>uszkodzone opakowanie</translation>
    </message>
    <message>
        <source>wrong item</source>
        <translation>zły artykuł</translation>
    </message>
    <message>
        <source>water damage</source>
        <translation>zalane wodą</translation>
    </message>
    <message>
        <source>Packaging intact</source>
        <translation>Opakowanie nienaruszone</translation>
    </message>
    <message>
        <source>Complete</source>
        <translation>Kompletne</translation>
    </message>
    <message>
        <source>Working</source>
        <translation>Działa</translation>
    </message>
    <message>
        <source>Clean</source>
        <translation>Czyste</translation>
    </message>
</context>
<context>
    <name>ReturnUnitsModel</name>
    <message>
        <source>Unit</source>
        <translation>Sztuka</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>Indeks</translation>
    </message>
    <message>
        <source>Lot / serial</source>
        <translation>Partia / nr seryjny</translation>
    </message>
    <message>
        <source>Grade</source>
        <translation>Ocena</translation>
    </message>
    <message>
        <source>Sent to</source>
        <translation>Wysłano do</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Kontrola</translation>
    </message>
    <message>
        <source>waiting for inspection</source>
        <translation>czeka na kontrolę</translation>
    </message>
</context>
<context>
    <name>ReturnsScreen</name>
    <message>
        <source>Returns</source>
        <translation>Zwroty</translation>
    </message>
    <message>
        <source>Scan the RMA, the order number, the customer&apos;s parcel or an item</source>
        <translation>Zeskanuj RMA, numer zamówienia, paczkę klienta lub sztukę</translation>
    </message>
    <message>
        <source>Or choose an announced return: arrow keys, then Enter</source>
        <translation>Albo wybierz awizowany zwrot: strzałki, potem Enter</translation>
    </message>
    <message>
        <source>No returns are announced.</source>
        <translation>Brak awizowanych zwrotów.</translation>
    </message>
    <message>
        <source>Up/Down + Enter: open the highlighted RMA    Esc: back</source>
        <translation>Góra/Dół + Enter: otwórz zaznaczone RMA    Esc: wstecz</translation>
    </message>
    <message>
        <source>Scan an item of {rma}</source>
        <translation>Zeskanuj sztukę z {rma}</translation>
    </message>
    <message>
        <source>Check {code} and grade it</source>
        <translation>Sprawdź {code} i oceń</translation>
    </message>
    <message>
        <source>Confirm {code}: Enter, or scan SF:CONFIRM</source>
        <translation>Potwierdź {code}: Enter lub zeskanuj SF:CONFIRM</translation>
    </message>
    <message>
        <source>Open a return first: scan the RMA, the order or the parcel.</source>
        <translation>Najpierw otwórz zwrot: zeskanuj RMA, zamówienie lub paczkę.</translation>
    </message>
    <message>
        <source>{code} does nothing here.</source>
        <translation>{code} nic tu nie robi.</translation>
    </message>
    <message>
        <source>Unannounced return: {rma} opened for order {order}. Scan the first item.</source>
        <translation>Zwrot nieawizowany: otwarto {rma} dla zamówienia {order}. Zeskanuj pierwszą sztukę.</translation>
    </message>
    <message>
        <source>{rma}, order {order}: scan the first item</source>
        <translation>{rma}, zamówienie {order}: zeskanuj pierwszą sztukę</translation>
    </message>
    <message>
        <source>No returns are announced. Scan the RMA, the order or the parcel.</source>
        <translation>Brak awizowanych zwrotów. Zeskanuj RMA, zamówienie lub paczkę.</translation>
    </message>
    <message>
        <source>{sku}: scan or type its serial / lot number</source>
        <translation>{sku}: zeskanuj lub wpisz numer seryjny / partii</translation>
    </message>
    <message>
        <source>{code}: {sku} {name} received. Check it and grade it.</source>
        <translation>{code}: przyjęto {sku} {name}. Sprawdź i oceń.</translation>
    </message>
    <message>
        <source>Already received: {text}</source>
        <translation>Już przyjęte: {text}</translation>
    </message>
    <message>
        <source>{sku} {name} received offline: grade it online.</source>
        <translation>{sku} {name} przyjęto offline: oceń online.</translation>
    </message>
    <message>
        <source>Check: {flags}</source>
        <translation>Sprawdź: {flags}</translation>
    </message>
    <message>
        <source>{code} is not waiting for inspection on {rma}.</source>
        <translation>{code} nie czeka na kontrolę w {rma}.</translation>
    </message>
    <message>
        <source>{code}: {sku} {name} waits for inspection. Check it and grade it.</source>
        <translation>{code}: {sku} {name} czeka na kontrolę. Sprawdź i oceń.</translation>
    </message>
    <message>
        <source>Scan an item of {rma} first.</source>
        <translation>Najpierw zeskanuj sztukę z {rma}.</translation>
    </message>
    <message>
        <source>Grade {grade} ({name}) → {disposition} → {destination}: a supervisor must approve. Enter to confirm.</source>
        <translation>Ocena {grade} ({name}) → {disposition} → {destination}: kierownik musi zatwierdzić. Enter, aby potwierdzić.</translation>
    </message>
    <message>
        <source>Grade {grade} ({name}) → {disposition} → {destination}. Enter to confirm.</source>
        <translation>Ocena {grade} ({name}) → {disposition} → {destination}. Enter, aby potwierdzić.</translation>
    </message>
    <message>
        <source>{disposition} chosen: now grade the unit</source>
        <translation>Wybrano {disposition}: teraz oceń sztukę</translation>
    </message>
    <message>
        <source>{disposition} instead of the rules&apos; choice: a supervisor must approve on Enter</source>
        <translation>{disposition} zamiast wyboru reguł: kierownik musi zatwierdzić po Enter</translation>
    </message>
    <message>
        <source>{disposition} is what the rules say anyway</source>
        <translation>{disposition} i tak wynika z reguł</translation>
    </message>
    <message>
        <source>The checklist has {count} items.</source>
        <translation>Lista kontrolna ma {count} punktów.</translation>
    </message>
    <message>
        <source>Grade {code} first: 1-4 or A-D, then Enter.</source>
        <translation>Najpierw oceń {code}: 1-4 lub A-D, potem Enter.</translation>
    </message>
    <message>
        <source>Not routed: {reason}</source>
        <translation>Nie skierowano: {reason}</translation>
    </message>
    <message>
        <source>{code} grade {grade} → {disposition} → {destination}</source>
        <translation>{code} ocena {grade} → {disposition} → {destination}</translation>
    </message>
    <message>
        <source>approved by {name}</source>
        <translation>zatwierdził {name}</translation>
    </message>
    <message>
        <source>Already routed: {text}</source>
        <translation>Już skierowane: {text}</translation>
    </message>
    <message>
        <source>Label {code} NOT printed: {reason}</source>
        <translation>Etykieta {code} NIE została wydrukowana: {reason}</translation>
    </message>
    <message>
        <source>Label {code} printed: {where}</source>
        <translation>Wydrukowano etykietę {code}: {where}</translation>
    </message>
    <message>
        <source>No label was printed here yet.</source>
        <translation>Nie wydrukowano tu jeszcze żadnej etykiety.</translation>
    </message>
    <message>
        <source>Label {code} printed again</source>
        <translation>Etykieta {code} wydrukowana ponownie</translation>
    </message>
    <message>
        <source>Nothing of yours to undo on {rma}</source>
        <translation>Nic twojego do cofnięcia w {rma}</translation>
    </message>
    <message>
        <source>Undone: {code} {sku} is back for inspection</source>
        <translation>Cofnięto: {code} {sku} znów czeka na kontrolę</translation>
    </message>
    <message>
        <source>Undone: {code} {sku} taken off the return</source>
        <translation>Cofnięto: {code} {sku} usunięte ze zwrotu</translation>
    </message>
    <message>
        <source>{rma} closed: {units} units inspected</source>
        <translation>{rma} zamknięte: skontrolowano {units} sztuk</translation>
    </message>
    <message>
        <source>Serial question dropped: scan the item again</source>
        <translation>Pytanie o numer seryjny porzucone: zeskanuj sztukę ponownie</translation>
    </message>
    <message>
        <source>{code} waits for inspection</source>
        <translation>{code} czeka na kontrolę</translation>
    </message>
    <message>
        <source>Left {rma}: everything confirmed is saved</source>
        <translation>Opuszczono {rma}: wszystko potwierdzone jest zapisane</translation>
    </message>
    <message>
        <source>No units of {rma} wait for inspection.</source>
        <translation>Żadne sztuki z {rma} nie czekają na kontrolę.</translation>
    </message>
    <message>
        <source>F1-F6: checklist    1-4 / A-D + Enter: grade    Up/Down: waiting units</source>
        <translation>F1-F6: lista kontrolna    1-4 / A-D + Enter: ocena    Góra/Dół: oczekujące sztuki</translation>
    </message>
</context>
<context>
    <name>ReviewLinesModel</name>
    <message>
        <source>Count</source>
        <translation>Inwentaryzacja</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>Lokalizacja</translation>
    </message>
    <message>
        <source>Zone</source>
        <translation>Strefa</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>Indeks</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Produkt</translation>
    </message>
    <message>
        <source>Lot</source>
        <translation>Partia</translation>
    </message>
    <message>
        <source>ABC</source>
        <translation>ABC</translation>
    </message>
    <message>
        <source>Expected</source>
        <translation>Oczekiwano</translation>
    </message>
    <message>
        <source>Counted</source>
        <translation>Policzono</translation>
    </message>
    <message>
        <source>Variance</source>
        <translation>Różnica</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wartość</translation>
    </message>
    <message>
        <source>Moved</source>
        <translation>Ruchy</translation>
    </message>
    <message>
        <source>Counts (who, when)</source>
        <translation>Liczenia (kto, kiedy)</translation>
    </message>
    <message>
        <source>{counted} by {who} ({when})</source>
        <translation>{counted}, liczył(a) {who} ({when})</translation>
    </message>
    <message numerus="yes">
        <source>{net} in %n move(s)</source>
        <translation>
            <numerusform>{net} w %n ruchu</numerusform>
            <numerusform>{net} w %n ruchach</numerusform>
            <numerusform>{net} w %n ruchach</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ReviewPanel</name>
    <message>
        <source>All</source>
        <translation>Wszystkie</translation>
    </message>
    <message numerus="yes">
        <source>%n line(s) wait for a decision</source>
        <translation>
            <numerusform>%n pozycja czeka na decyzję</numerusform>
            <numerusform>%n pozycje czekają na decyzję</numerusform>
            <numerusform>%n pozycji czeka na decyzję</numerusform>
        </translation>
    </message>
    <message>
        <source>{shown} of {total} waiting lines shown</source>
        <translation>Pokazano {shown} z {total} oczekujących pozycji</translation>
    </message>
    <message>
        <source>Select a line to see its counts and the moves since counting began.</source>
        <translation>Wybierz pozycję, aby zobaczyć jej liczenia i ruchy od początku liczenia.</translation>
    </message>
    <message>
        <source>{line}: expected {expected}, counted {counted}, on hand now {now}</source>
        <translation>{line}: oczekiwano {expected}, policzono {counted}, teraz na stanie {now}</translation>
    </message>
    <message>
        <source>  {number} ({kind}): {counted} counted by {who}, {when}</source>
        <translation>  {number} ({kind}): policzono {counted}, liczył(a) {who}, {when}</translation>
    </message>
    <message>
        <source>Moves since counting began:</source>
        <translation>Ruchy od początku liczenia:</translation>
    </message>
    <message>
        <source>  {when}  {quantity}  {reason}  {other}  {who}</source>
        <translation>  {when}  {quantity}  {reason}  {other}  {who}</translation>
    </message>
    <message>
        <source>Approving asks: keep counted quantity ({counted_change}) or keep the difference ({difference_change}).</source>
        <translation>Zatwierdzenie pyta: zachować policzoną ilość ({counted_change}) czy różnicę ({difference_change}).</translation>
    </message>
    <message>
        <source>Select the lines to decide first.</source>
        <translation>Najpierw zaznacz pozycje do decyzji.</translation>
    </message>
    <message>
        <source>These lines were already decided.</source>
        <translation>O tych pozycjach już zdecydowano.</translation>
    </message>
    <message numerus="yes">
        <source>Approved %n line(s) ({reason}): stock changed by {units} units.</source>
        <translation>
            <numerusform>Zatwierdzono %n pozycję ({reason}): stan zmieniony o {units} sztuk.</numerusform>
            <numerusform>Zatwierdzono %n pozycje ({reason}): stan zmieniony o {units} sztuk.</numerusform>
            <numerusform>Zatwierdzono %n pozycji ({reason}): stan zmieniony o {units} sztuk.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Rejected %n line(s) ({reason}): stock stays as recorded.</source>
        <translation>
            <numerusform>Odrzucono %n pozycję ({reason}): stan pozostaje jak zarejestrowany.</numerusform>
            <numerusform>Odrzucono %n pozycje ({reason}): stan pozostaje jak zarejestrowany.</numerusform>
            <numerusform>Odrzucono %n pozycji ({reason}): stan pozostaje jak zarejestrowany.</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Count</source>
        <translation>&amp;Inwentaryzacja</translation>
    </message>
    <message>
        <source>&amp;Zone</source>
        <translation>&amp;Strefa</translation>
    </message>
    <message>
        <source>C&amp;lass</source>
        <translation>K&amp;lasa</translation>
    </message>
    <message>
        <source>Only &amp;beyond tolerance</source>
        <translation>Tylko &amp;poza tolerancją</translation>
    </message>
    <message>
        <source>Only where stock &amp;moved</source>
        <translation>Tylko gdzie towar się &amp;ruszył</translation>
    </message>
    <message>
        <source>&amp;Approve…</source>
        <translation>&amp;Zatwierdź…</translation>
    </message>
    <message>
        <source>&amp;Reject…</source>
        <translation>&amp;Odrzuć…</translation>
    </message>
</context>
<context>
    <name>ReviewScreen</name>
    <message>
        <source>Review counts</source>
        <translation>Weryfikacja inwentaryzacji</translation>
    </message>
    <message>
        <source>Click or Shift/Ctrl+arrows: select lines    Ctrl+A: all shown    Alt+A: approve    Alt+R: reject    Alt+B / Alt+M: filters    F5: reload    Esc: back</source>
        <translation>Klik lub Shift/Ctrl+strzałki: zaznacz pozycje    Ctrl+A: wszystkie widoczne    Alt+A: zatwierdź    Alt+R: odrzuć    Alt+B / Alt+M: filtry    F5: odśwież    Esc: wstecz</translation>
    </message>
</context>
<context>
    <name>RmaPage</name>
    <message>
        <source>announced</source>
        <translation>awizowany</translation>
    </message>
    <message>
        <source>unannounced</source>
        <translation>nieawizowany</translation>
    </message>
    <message>
        <source>{received} of {expected} units</source>
        <translation>{received} z {expected} sztuk</translation>
    </message>
    <message>
        <source>{received} units</source>
        <translation>{received} sztuk</translation>
    </message>
    <message>
        <source>order {order}</source>
        <translation>zamówienie {order}</translation>
    </message>
    <message>
        <source>{waiting} waiting</source>
        <translation>{waiting} oczekuje</translation>
    </message>
</context>
<context>
    <name>ScanRulesScreen</name>
    <message>
        <source>Locations: scan the bin label (or say its check digits)</source>
        <translation>Lokalizacje: zeskanuj etykietę miejsca (lub podaj jej cyfry kontrolne)</translation>
    </message>
    <message>
        <source>Items: scan the product&apos;s barcode</source>
        <translation>Towary: zeskanuj kod kreskowy produktu</translation>
    </message>
    <message>
        <source>Totes: scan the tote label on a batch cart</source>
        <translation>Pojemniki: zeskanuj etykietę pojemnika na wózku zbiorczym</translation>
    </message>
    <message>
        <source>Documents: scan the order, wave or count number</source>
        <translation>Dokumenty: zeskanuj numer zamówienia, fali lub inwentaryzacji</translation>
    </message>
    <message>
        <source>locations</source>
        <translation>lokalizacjach</translation>
    </message>
    <message>
        <source>items</source>
        <translation>towarach</translation>
    </message>
    <message>
        <source>totes</source>
        <translation>pojemnikach</translation>
    </message>
    <message>
        <source>documents</source>
        <translation>dokumentach</translation>
    </message>
    <message>
        <source>Scans required</source>
        <translation>Wymagane skanowanie</translation>
    </message>
    <message>
        <source>At a ticked prompt the scan field takes only what the scanner sends: a code typed by hand is refused and journaled. Commands and answers such as quantities, lots or PINs may always be typed.</source>
        <translation>Przy zaznaczonym monicie pole skanowania przyjmuje tylko to, co wysyła skaner: kod wpisany ręcznie jest odrzucany i zapisywany w dzienniku. Polecenia i odpowiedzi, takie jak ilości, partie czy PIN-y, zawsze można wpisać.</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Zapisz</translation>
    </message>
    <message>
        <source>Space: tick / untick    Tab: next    Alt+S: save    Esc: back</source>
        <translation>Spacja: zaznacz / odznacz    Tab: dalej    Alt+Z: zapisz    Esc: wstecz</translation>
    </message>
    <message>
        <source>Saved: a scan is required at {kinds}.</source>
        <translation>Zapisano: skanowanie wymagane przy {kinds}.</translation>
    </message>
    <message>
        <source>Saved: typed codes are accepted at every prompt.</source>
        <translation>Zapisano: wpisane kody są przyjmowane przy każdym monicie.</translation>
    </message>
</context>
<context>
    <name>SettingsScreen</name>
    <message>
        <source>Saved. The database and workstation name apply when Stockfloor starts again.</source>
        <translation>Zapisano. Baza danych i nazwa stanowiska obowiązują po ponownym uruchomieniu Stockfloor.</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Zapisano.</translation>
    </message>
    <message>
        <source>Diagnostics copied to the clipboard: paste them into your message to support.</source>
        <translation>Diagnostykę skopiowano do schowka: wklej ją do wiadomości do wsparcia.</translation>
    </message>
    <message>
        <source>Read “{code}” from a scanner.</source>
        <translation>Odczytano „{code}” ze skanera.</translation>
    </message>
    <message>
        <source>Read “{code}” typed by hand (keys slower than the interval).</source>
        <translation>Odczytano „{code}” wpisane ręcznie (klawisze wolniej niż interwał).</translation>
    </message>
    <message>
        <source>Workstation settings</source>
        <translation>Ustawienia stanowiska</translation>
    </message>
    <message>
        <source>This workstation</source>
        <translation>To stanowisko</translation>
    </message>
    <message>
        <source>Scanner</source>
        <translation>Skaner</translation>
    </message>
    <message>
        <source>&amp;Database</source>
        <translation>&amp;Baza danych</translation>
    </message>
    <message>
        <source>&amp;Workstation name</source>
        <translation>&amp;Nazwa stanowiska</translation>
    </message>
    <message>
        <source>&amp;Language before log-in</source>
        <translation>&amp;Język przed zalogowaniem</translation>
    </message>
    <message>
        <source>S&amp;ound</source>
        <translation>&amp;Dźwięk</translation>
    </message>
    <message>
        <source>&amp;Kiosk</source>
        <translation>&amp;Kiosk</translation>
    </message>
    <message>
        <source>&amp;Prefix</source>
        <translation>&amp;Prefiks</translation>
    </message>
    <message>
        <source>S&amp;uffix</source>
        <translation>S&amp;ufiks</translation>
    </message>
    <message>
        <source>&amp;Fastest typing</source>
        <translation>&amp;Najszybsze pisanie</translation>
    </message>
    <message>
        <source>S&amp;ymbology identifier</source>
        <translation>&amp;Identyfikator symbologii</translation>
    </message>
    <message>
        <source>&amp;Try a scan</source>
        <translation>&amp;Wypróbuj skan</translation>
    </message>
    <message>
        <source>file path or postgresql://user@server/database</source>
        <translation>ścieżka pliku lub postgresql://użytkownik@serwer/baza</translation>
    </message>
    <message>
        <source>Language of the system</source>
        <translation>Język systemu</translation>
    </message>
    <message>
        <source>Beep for ok, attention and error</source>
        <translation>Sygnał dla ok, uwagi i błędu</translation>
    </message>
    <message>
        <source>Full screen, without title bar</source>
        <translation>Pełny ekran, bez paska tytułu</translation>
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
        <translation>Klawisze szybsze niż to pochodzą ze skanera.</translation>
    </message>
    <message>
        <source>The scanner sends ]C1, ]d2... before each code</source>
        <translation>Skaner wysyła ]C1, ]d2... przed każdym kodem</translation>
    </message>
    <message>
        <source>Save (Ctrl+S)</source>
        <translation>Zapisz (Ctrl+S)</translation>
    </message>
    <message>
        <source>Support</source>
        <translation>Wsparcie</translation>
    </message>
    <message>
        <source>Log files: {folder}</source>
        <translation>Pliki dziennika: {folder}</translation>
    </message>
    <message>
        <source>Log files: none (logging to the console only)</source>
        <translation>Pliki dziennika: brak (dziennik tylko w konsoli)</translation>
    </message>
    <message>
        <source>Copy diagnostics (F8)</source>
        <translation>Kopiuj diagnostykę (F8)</translation>
    </message>
    <message>
        <source>Tab: next field    Ctrl+S: save    Esc: back without saving</source>
        <translation>Tab: następne pole    Ctrl+S: zapisz    Esc: wstecz bez zapisywania</translation>
    </message>
</context>
<context>
    <name>ShortPicks</name>
    <message>
        <source>Scan location {location} first, then report what is missing.</source>
        <translation>Najpierw zeskanuj lokalizację {location}, potem zgłoś, czego brakuje.</translation>
    </message>
    <message>
        <source>How many {sku} are at {location}? Type the number found (0 to {most}), then Enter</source>
        <translation>Ile {sku} jest w {location}? Wpisz znalezioną liczbę (0 do {most}), potem Enter</translation>
    </message>
    <message>
        <source>{found} of {quantity} {sku} found at {location}. Why?</source>
        <translation>Znaleziono {found} z {quantity} {sku} w {location}. Dlaczego?</translation>
    </message>
    <message>
        <source>Short pick cancelled: nothing was written off</source>
        <translation>Brak anulowany: nic nie odpisano</translation>
    </message>
    <message>
        <source>Short: {picked} of {quantity} {sku} → tote {slot}, {missing} written off.</source>
        <translation>Brak: {picked} z {quantity} {sku} → pojemnik {slot}, odpisano {missing}.</translation>
    </message>
    <message>
        <source>{units} more reserved in other bins: at the end of the list.</source>
        <translation>{units} więcej zarezerwowano w innych lokalizacjach: na końcu listy.</translation>
    </message>
    <message>
        <source>{units} on backorder.</source>
        <translation>{units} zaległe.</translation>
    </message>
    <message>
        <source>A count of {location} is requested.</source>
        <translation>Zlecono inwentaryzację {location}.</translation>
    </message>
</context>
<context>
    <name>SpotDecision</name>
    <message>
        <source>Nothing of {number} waits for a decision.</source>
        <translation>Nic z {number} nie czeka na decyzję.</translation>
    </message>
    <message>
        <source>{line}: expected {expected}, counted {counted} ({variance})</source>
        <translation>{line}: oczekiwano {expected}, policzono {counted} ({variance})</translation>
    </message>
    <message numerus="yes">
        <source>and %n more</source>
        <translation>
            <numerusform>i jeszcze %n</numerusform>
            <numerusform>i jeszcze %n</numerusform>
            <numerusform>i jeszcze %n</numerusform>
        </translation>
    </message>
    <message>
        <source>Approve: stock becomes what was counted</source>
        <translation>Zatwierdź: stan staje się tym, co policzono</translation>
    </message>
    <message>
        <source>Reject: stock stays as recorded</source>
        <translation>Odrzuć: stan pozostaje jak w ewidencji</translation>
    </message>
    <message>
        <source>{name} decides {number}:</source>
        <translation>{name} decyduje o {number}:</translation>
    </message>
    <message>
        <source>Why approve?</source>
        <translation>Dlaczego zatwierdzić?</translation>
    </message>
    <message>
        <source>Why reject?</source>
        <translation>Dlaczego odrzucić?</translation>
    </message>
    <message>
        <source>{line}: {now} now; keep counted {counted_change}, keep the difference {difference_change}</source>
        <translation>{line}: teraz {now}; zachowaj policzoną ilość {counted_change}, zachowaj różnicę {difference_change}</translation>
    </message>
    <message>
        <source>Stock moved while it was counted:</source>
        <translation>Stan zmienił się w trakcie liczenia:</translation>
    </message>
    <message>
        <source>No supervisor decision was made.</source>
        <translation>Kierownik nie podjął decyzji.</translation>
    </message>
    <message>
        <source>These lines were already decided.</source>
        <translation>O tych pozycjach już zdecydowano.</translation>
    </message>
    <message numerus="yes">
        <source>{name} approved %n line(s) of {number} ({reason}): stock changed by {units} units.</source>
        <translation>
            <numerusform>{name} zatwierdził(a) %n pozycję z {number} ({reason}): stan zmienił się o {units} szt.</numerusform>
            <numerusform>{name} zatwierdził(a) %n pozycje z {number} ({reason}): stan zmienił się o {units} szt.</numerusform>
            <numerusform>{name} zatwierdził(a) %n pozycji z {number} ({reason}): stan zmienił się o {units} szt.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{name} rejected %n line(s) of {number} ({reason}): stock stays as recorded.</source>
        <translation>
            <numerusform>{name} odrzucił(a) %n pozycję z {number} ({reason}): stan pozostaje jak w ewidencji.</numerusform>
            <numerusform>{name} odrzucił(a) %n pozycje z {number} ({reason}): stan pozostaje jak w ewidencji.</numerusform>
            <numerusform>{name} odrzucił(a) %n pozycji z {number} ({reason}): stan pozostaje jak w ewidencji.</numerusform>
        </translation>
    </message>
    <message>
        <source>One line at a time</source>
        <translation>Po jednej pozycji</translation>
    </message>
    <message>
        <source>Stopped: the lines not decided yet keep waiting.</source>
        <translation>Przerwano: pozycje bez decyzji nadal czekają.</translation>
    </message>
</context>
<context>
    <name>StockScreen</name>
    <message>
        <source>Stock on hand</source>
        <translation>Stan magazynowy</translation>
    </message>
    <message>
        <source>&amp;Search</source>
        <translation>&amp;Szukaj</translation>
    </message>
    <message>
        <source>SKU, barcode, product name, location or lot</source>
        <translation>Indeks, kod kreskowy, nazwa produktu, lokalizacja lub partia</translation>
    </message>
    <message>
        <source>History of the &amp;product</source>
        <translation>Historia &amp;produktu</translation>
    </message>
    <message>
        <source>History of the &amp;location</source>
        <translation>Historia &amp;lokalizacji</translation>
    </message>
    <message>
        <source>Enter: search    Down: to the results    Alt+P / Alt+L: history of product / location    Esc: back</source>
        <translation>Enter: szukaj    Dół: do wyników    Alt+P / Alt+L: historia produktu / lokalizacji    Esc: wstecz</translation>
    </message>
    <message>
        <source>Nothing in stock matches “{text}”.</source>
        <translation>Nic na stanie nie pasuje do „{text}”.</translation>
    </message>
    <message numerus="yes">
        <source>Showing the first %n row(s); scroll down for more.</source>
        <translation>
            <numerusform>Pokazano pierwszy %n wiersz; przewiń w dół, aby zobaczyć więcej.</numerusform>
            <numerusform>Pokazano pierwsze %n wiersze; przewiń w dół, aby zobaczyć więcej.</numerusform>
            <numerusform>Pokazano pierwszych %n wierszy; przewiń w dół, aby zobaczyć więcej.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n row(s).</source>
        <translation>
            <numerusform>%n wiersz.</numerusform>
            <numerusform>%n wiersze.</numerusform>
            <numerusform>%n wierszy.</numerusform>
        </translation>
    </message>
    <message>
        <source>The search matches a great many items: type more of it.</source>
        <translation>Wyszukiwanie pasuje do bardzo wielu pozycji: wpisz więcej.</translation>
    </message>
    <message>
        <source>Select a row to see its moves.</source>
        <translation>Wybierz wiersz, aby zobaczyć jego ruchy.</translation>
    </message>
    <message>
        <source>Moves of {sku}</source>
        <translation>Ruchy {sku}</translation>
    </message>
    <message>
        <source>Moves at {location}</source>
        <translation>Ruchy w {location}</translation>
    </message>
</context>
<context>
    <name>StockTables</name>
    <message>
        <source>SKU</source>
        <translation>Indeks</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Produkt</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>Lokalizacja</translation>
    </message>
    <message>
        <source>Lot</source>
        <translation>Partia</translation>
    </message>
    <message>
        <source>Expiry</source>
        <translation>Ważność</translation>
    </message>
    <message>
        <source>License plate</source>
        <translation>Nośnik</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>Ilość</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Kiedy</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Z</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Do</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Powód</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Według</translation>
    </message>
    <message>
        <source>Workstation</source>
        <translation>Stanowisko</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>Dokument</translation>
    </message>
</context>
<context>
    <name>SuggestionPanel</name>
    <message>
        <source>Also possible: {bins}</source>
        <translation>Możliwe też: {bins}</translation>
    </message>
    <message>
        <source>Not suggested: {why}</source>
        <translation>Nie sugerowano: {why}</translation>
    </message>
    <message>
        <source>Take plate {plate} ({quantity} units) to any bin with room</source>
        <translation>Zawieź nośnik {plate} ({quantity} sztuk) do dowolnej lokalizacji z miejscem</translation>
    </message>
    <message>
        <source>Take plate {plate} ({quantity} units) to {location}</source>
        <translation>Zawieź nośnik {plate} ({quantity} sztuk) do {location}</translation>
    </message>
    <message>
        <source>Take {quantity} of {total} × {sku} to any bin with room</source>
        <translation>Zanieś {quantity} z {total} × {sku} do dowolnej lokalizacji z miejscem</translation>
    </message>
    <message>
        <source>Take {quantity} of {total} × {sku} to {location}</source>
        <translation>Zanieś {quantity} z {total} × {sku} do {location}</translation>
    </message>
    <message>
        <source>Take {quantity} × {sku} to any bin with room</source>
        <translation>Zanieś {quantity} × {sku} do dowolnej lokalizacji z miejscem</translation>
    </message>
    <message>
        <source>Take {quantity} × {sku} to {location}</source>
        <translation>Zanieś {quantity} × {sku} do {location}</translation>
    </message>
    <message>
        <source>{quantity} × {sku} {name}</source>
        <translation>{quantity} × {sku} {name}</translation>
    </message>
    <message>
        <source>lot {lot}</source>
        <translation>partia {lot}</translation>
    </message>
    <message>
        <source>expires {date}</source>
        <translation>ważne do {date}</translation>
    </message>
    <message>
        <source>From {source}: {goods}</source>
        <translation>Z {source}: {goods}</translation>
    </message>
</context>
<context>
    <name>UserForm</name>
    <message>
        <source>New user</source>
        <translation>Nowy użytkownik</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Nazwa użytkownika</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Imię i nazwisko</translation>
    </message>
    <message>
        <source>Badge</source>
        <translation>Identyfikator</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rola</translation>
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
        <translation>Użytkownicy</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Nazwa użytkownika</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Imię i nazwisko</translation>
    </message>
    <message>
        <source>Badge</source>
        <translation>Identyfikator</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rola</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Aktywny</translation>
    </message>
    <message>
        <source>Locked</source>
        <translation>Zablokowany</translation>
    </message>
    <message>
        <source>New user...</source>
        <translation>Nowy użytkownik...</translation>
    </message>
    <message>
        <source>Deactivate / reactivate</source>
        <translation>Dezaktywuj / aktywuj ponownie</translation>
    </message>
    <message>
        <source>Reset PIN...</source>
        <translation>Zresetuj PIN...</translation>
    </message>
    <message>
        <source>Print badge</source>
        <translation>Drukuj identyfikator</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>tak</translation>
    </message>
    <message>
        <source>no</source>
        <translation>nie</translation>
    </message>
    <message>
        <source>Choose a user in the list first.</source>
        <translation>Najpierw wybierz użytkownika z listy.</translation>
    </message>
    <message>
        <source>User {name} added.</source>
        <translation>Dodano użytkownika {name}.</translation>
    </message>
    <message>
        <source>{name} is deactivated: the badge is refused.</source>
        <translation>Konto {name} jest dezaktywowane: identyfikator jest odrzucany.</translation>
    </message>
    <message>
        <source>{name} is active again.</source>
        <translation>Konto {name} jest znowu aktywne.</translation>
    </message>
    <message>
        <source>New PIN set for {name}.</source>
        <translation>Ustawiono nowy PIN dla {name}.</translation>
    </message>
    <message>
        <source>Badge of {name} sent to the label printer.</source>
        <translation>Identyfikator {name} wysłano do drukarki etykiet.</translation>
    </message>
</context>
<context>
    <name>WaitingModel</name>
    <message>
        <source>Location</source>
        <translation>Lokalizacja</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>Indeks</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nazwa</translation>
    </message>
    <message>
        <source>Lot</source>
        <translation>Partia</translation>
    </message>
    <message>
        <source>License plate</source>
        <translation>Nośnik</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>Ilość</translation>
    </message>
</context>
<context>
    <name>WaitingOrdersList</name>
    <message numerus="yes">
        <source>{order}    tote {tote}    %n unit(s)    {carrier}</source>
        <translation>
            <numerusform>{order}    pojemnik {tote}    %n sztuka    {carrier}</numerusform>
            <numerusform>{order}    pojemnik {tote}    %n sztuki    {carrier}</numerusform>
            <numerusform>{order}    pojemnik {tote}    %n sztuk    {carrier}</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>WavesScreen</name>
    <message>
        <source>Waves and dispatch</source>
        <translation>Fale i wysyłka</translation>
    </message>
    <message>
        <source>1 Release orders</source>
        <translation>1 Zwalnianie zamówień</translation>
    </message>
    <message>
        <source>2 Waves on the floor</source>
        <translation>2 Fale na hali</translation>
    </message>
    <message>
        <source>3 Dispatch</source>
        <translation>3 Wysyłka</translation>
    </message>
    <message>
        <source>Alt+1/2/3: tabs    Alt+A: allocate    Alt+S / Alt+B: release selected as single / batch waves    Alt+P / Alt+C: pick list PDF / CSV    Alt+D: dispatch    Alt+X: confirmations CSV    F5: reload    Ctrl+A: select all    Esc: back</source>
        <translation>Alt+1/2/3: karty    Alt+A: rezerwuj    Alt+S / Alt+B: zwolnij zaznaczone jako fale pojedyncze / zbiorcze    Alt+P / Alt+C: lista kompletacyjna PDF / CSV    Alt+D: wyślij    Alt+X: potwierdzenia CSV    F5: odśwież    Ctrl+A: zaznacz wszystko    Esc: wstecz</translation>
    </message>
</context>
<context>
    <name>WavesTab</name>
    <message>
        <source>single order</source>
        <translation>pojedyncze zamówienie</translation>
    </message>
    <message>
        <source>batch (cart)</source>
        <translation>zbiorcza (wózek)</translation>
    </message>
    <message>
        <source>released</source>
        <translation>zwolniona</translation>
    </message>
    <message>
        <source>being picked</source>
        <translation>w kompletacji</translation>
    </message>
    <message>
        <source>picked</source>
        <translation>skompletowana</translation>
    </message>
    <message>
        <source>Wave</source>
        <translation>Fala</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>Tryb</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>Zamówienia</translation>
    </message>
    <message>
        <source>Lines picked</source>
        <translation>Skompletowane pozycje</translation>
    </message>
    <message>
        <source>Units picked</source>
        <translation>Skompletowane sztuki</translation>
    </message>
    <message>
        <source>Route (m)</source>
        <translation>Trasa (m)</translation>
    </message>
    <message>
        <source>Totes: orders</source>
        <translation>Pojemniki: zamówienia</translation>
    </message>
    <message>
        <source>Show picked waves</source>
        <translation>Pokaż skompletowane fale</translation>
    </message>
    <message>
        <source>Pick list as PDF (Alt+P)</source>
        <translation>Lista kompletacyjna jako PDF (Alt+P)</translation>
    </message>
    <message>
        <source>Pick list as CSV (Alt+C)</source>
        <translation>Lista kompletacyjna jako CSV (Alt+C)</translation>
    </message>
    <message>
        <source>{done} of {total}</source>
        <translation>{done} z {total}</translation>
    </message>
    <message>
        <source>Select a wave first.</source>
        <translation>Najpierw wybierz falę.</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>Pliki PDF (*.pdf)</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Pliki CSV (*.csv)</translation>
    </message>
    <message>
        <source>Pick list of {wave}</source>
        <translation>Lista kompletacyjna {wave}</translation>
    </message>
    <message>
        <source>Writing the pick list of {wave}…</source>
        <translation>Zapisywanie listy kompletacyjnej {wave}…</translation>
    </message>
    <message>
        <source>Could not write {path}: {reason}</source>
        <translation>Nie można zapisać {path}: {reason}</translation>
    </message>
    <message>
        <source>Pick list of {wave} saved to {path}</source>
        <translation>Lista kompletacyjna {wave} zapisana w {path}</translation>
    </message>
</context>
<context>
    <name>argparse</name>
    <message>
        <source>positional arguments</source>
        <translation>argumenty pozycyjne</translation>
    </message>
    <message>
        <source>options</source>
        <translation>opcje</translation>
    </message>
    <message>
        <source>show this help message and exit</source>
        <translation>pokaż tę pomoc i zakończ</translation>
    </message>
    <message>
        <source>usage: </source>
        <translation>użycie: </translation>
    </message>
    <message>
        <source>show program&apos;s version number and exit</source>
        <translation>pokaż numer wersji programu i zakończ</translation>
    </message>
</context>
<context>
    <name>cli</name>
    <message>
        <source>{prog}: error: {message}</source>
        <translation>{prog}: błąd: {message}</translation>
    </message>
    <message>
        <source>--demo and --database exclude each other</source>
        <translation>--demo i --database wykluczają się wzajemnie</translation>
    </message>
    <message>
        <source>database error: {reason}</source>
        <translation>błąd bazy danych: {reason}</translation>
    </message>
    <message>
        <source>row {row}, {column}: {reason}</source>
        <translation>wiersz {row}, {column}: {reason}</translation>
    </message>
    <message>
        <source>row {row}: {reason}</source>
        <translation>wiersz {row}: {reason}</translation>
    </message>
    <message>
        <source>{file}: no such file</source>
        <translation>{file}: nie ma takiego pliku</translation>
    </message>
    <message>
        <source>&apos;{text}&apos; is not a whole number</source>
        <translation>&apos;{text}&apos; nie jest liczbą całkowitą</translation>
    </message>
    <message>
        <source>must be between {low} and {high}, not {value}</source>
        <translation>musi mieścić się między {low} a {high}, nie {value}</translation>
    </message>
    <message>
        <source>must be at least {low}, not {value}</source>
        <translation>musi wynosić co najmniej {low}, nie {value}</translation>
    </message>
    <message>
        <source>PIN for {name}: </source>
        <translation>PIN dla {name}: </translation>
    </message>
    <message>
        <source>Created the Stockfloor tables in {database} (schema {schema}).</source>
        <translation>Utworzono tabele Stockfloor w {database} (schemat {schema}).</translation>
    </message>
    <message>
        <source>Upgraded {database} from schema {before} to {after}; backup: {file}.</source>
        <translation>Zaktualizowano {database} ze schematu {before} do {after}; kopia zapasowa: {file}.</translation>
    </message>
    <message>
        <source>Upgraded {database} from schema {before} to {after}.</source>
        <translation>Zaktualizowano {database} ze schematu {before} do {after}.</translation>
    </message>
    <message>
        <source>database: {database}</source>
        <translation>baza danych: {database}</translation>
    </message>
    <message>
        <source>schema before: {schema}</source>
        <translation>schemat przed: {schema}</translation>
    </message>
    <message>
        <source>already up to date</source>
        <translation>już aktualna</translation>
    </message>
    <message>
        <source>schema after:  {schema}</source>
        <translation>schemat po: {schema}</translation>
    </message>
    <message>
        <source>backup: {file}</source>
        <translation>kopia zapasowa: {file}</translation>
    </message>
    <message>
        <source>ledger consistent: {rows} on-hand rows, {moves} moves; document counters agree</source>
        <translation>księga zgodna: wiersze stanów: {rows}, ruchy: {moves}; liczniki dokumentów się zgadzają</translation>
    </message>
    <message>
        <source>{count} document counters disagree with the ledger</source>
        <translation>liczniki dokumentów niezgodne z księgą: {count}</translation>
    </message>
    <message>
        <source>, lot {lot}</source>
        <translation>, partia {lot}</translation>
    </message>
    <message>
        <source>, license plate {plate}</source>
        <translation>, nośnik {plate}</translation>
    </message>
    <message>
        <source> (negative)</source>
        <translation> (ujemny)</translation>
    </message>
    <message>
        <source>{product} at {location}{extra}: on-hand {on_hand}, ledger {ledger}{negative}</source>
        <translation>{product} w {location}{extra}: stan {on_hand}, księga {ledger}{negative}</translation>
    </message>
    <message>
        <source>{count} discrepancies between on-hand and the ledger</source>
        <translation>rozbieżności między stanem a księgą: {count}</translation>
    </message>
    <message>
        <source>file size: {size} MB</source>
        <translation>rozmiar pliku: {size} MB</translation>
    </message>
    <message>
        <source>current</source>
        <translation>aktualny</translation>
    </message>
    <message>
        <source>needs `stockfloor db upgrade` to {schema}</source>
        <translation>wymaga `stockfloor db upgrade` do {schema}</translation>
    </message>
    <message>
        <source>schema: {schema} ({state})</source>
        <translation>schemat: {schema} ({state})</translation>
    </message>
    <message>
        <source>products</source>
        <translation>produkty</translation>
    </message>
    <message>
        <source>barcodes</source>
        <translation>kody kreskowe</translation>
    </message>
    <message>
        <source>locations</source>
        <translation>lokalizacje</translation>
    </message>
    <message>
        <source>virtual locations</source>
        <translation>lokalizacje wirtualne</translation>
    </message>
    <message>
        <source>lots</source>
        <translation>partie</translation>
    </message>
    <message>
        <source>license plates</source>
        <translation>nośniki (LPN)</translation>
    </message>
    <message>
        <source>on-hand rows</source>
        <translation>wiersze stanów</translation>
    </message>
    <message>
        <source>units on hand</source>
        <translation>jednostki na stanie</translation>
    </message>
    <message>
        <source>moves</source>
        <translation>ruchy</translation>
    </message>
    <message>
        <source>open purchase orders</source>
        <translation>otwarte zamówienia zakupu</translation>
    </message>
    <message>
        <source>active users</source>
        <translation>aktywni użytkownicy</translation>
    </message>
    <message>
        <source>Demo warehouse built in {database} in {seconds} s:</source>
        <translation>Magazyn demonstracyjny utworzony w {database} w {seconds} s:</translation>
    </message>
    <message>
        <source>bins</source>
        <translation>miejsca składowania</translation>
    </message>
    <message>
        <source>{products} products, {locations} locations ({bins} bins), {lots} lots/serials, {plates} pallets on SSCC license plates</source>
        <translation>produkty: {products}, lokalizacje: {locations} (miejsca składowania: {bins}), partie/numery seryjne: {lots}, palety na nośnikach SSCC: {plates}</translation>
    </message>
    <message>
        <source>{moves} opening moves, {units} units on hand, {orders} open purchase orders / ASNs</source>
        <translation>ruchy otwarcia: {moves}, jednostki na stanie: {units}, otwarte zamówienia zakupu/awizacje: {orders}</translation>
    </message>
    <message>
        <source>{orders} customer orders ({waves} waves released, ready to pick), floor layout and cartons</source>
        <translation>zamówienia klientów: {orders} (zwolnione fale gotowe do kompletacji: {waves}), plan magazynu i kartony</translation>
    </message>
    <message>
        <source>Users (badge, PIN, role, language):</source>
        <translation>Użytkownicy (identyfikator, PIN, rola, język):</translation>
    </message>
    <message>
        <source>Built the demo warehouse in {file}.</source>
        <translation>Utworzono magazyn demonstracyjny w {file}.</translation>
    </message>
    <message>
        <source>users</source>
        <translation>użytkownicy</translation>
    </message>
    <message>
        <source>orders</source>
        <translation>zamówienia</translation>
    </message>
    <message>
        <source>rules</source>
        <translation>reguły</translation>
    </message>
    <message>
        <source>{file}: rows valid: {rows}; {what}: would create {created}, would update {updated}. Dry run: nothing was written.</source>
        <translation>{file}: poprawne wiersze: {rows}; {what}: utworzono by {created}, zaktualizowano by {updated}. Próba: nic nie zapisano.</translation>
    </message>
    <message>
        <source>{file}: rows imported: {rows}; {what}: created {created}, updated {updated}.</source>
        <translation>{file}: zaimportowane wiersze: {rows}; {what}: utworzone {created}, zaktualizowane {updated}.</translation>
    </message>
    <message>
        <source>Orders allocated: {orders}; units reserved: {units}; on backorder: {backorder}.</source>
        <translation>Przydzielone zamówienia: {orders}; zarezerwowane jednostki: {units}; zaległe: {backorder}.</translation>
    </message>
    <message>
        <source>{file}: {orders} orders with {lines} lines valid, nothing written (dry run).</source>
        <translation>{file}: poprawny, nic nie zapisano (próba). Zamówienia: {orders}, pozycje: {lines}.</translation>
    </message>
    <message>
        <source>{file}: {orders} orders with {lines} lines imported.</source>
        <translation>{file}: zaimportowano. Zamówienia: {orders}, pozycje: {lines}.</translation>
    </message>
    <message>
        <source>{file}: {aisles} aisles, {cross} middle cross aisles, depot at x={x}.</source>
        <translation>{file}: alejki: {aisles}, środkowe alejki poprzeczne: {cross}, punkt startowy przy x={x}.</translation>
    </message>
    <message>
        <source>{order}: {units} reserved, backorder {backorder}</source>
        <translation>{order}: zarezerwowano {units}, zaległe {backorder}</translation>
    </message>
    <message>
        <source>Units waiting for replenishment: {units} (tasks: {tasks}).</source>
        <translation>Jednostki czekające na uzupełnienie: {units} (zadania: {tasks}).</translation>
    </message>
    <message>
        <source>no allocated orders match: nothing released</source>
        <translation>żadne przydzielone zamówienie nie pasuje: nic nie zwolniono</translation>
    </message>
    <message>
        <source>{wave}: {picks} picks, {units} units ({orders})</source>
        <translation>{wave}: pobrania {picks}, jednostki {units} ({orders})</translation>
    </message>
    <message>
        <source>Waves released: {waves}; lines to pick: {lines}.</source>
        <translation>Zwolnione fale: {waves}; pozycje do pobrania: {lines}.</translation>
    </message>
    <message>
        <source>&apos;{text}&apos; is not a wave number like W000012</source>
        <translation>&apos;{text}&apos; nie jest numerem fali, np. W000012</translation>
    </message>
    <message>
        <source>pick list of {wave} written to {file}</source>
        <translation>lista kompletacyjna {wave} zapisana do {file}</translation>
    </message>
    <message>
        <source>{count} parcel items written to {file}</source>
        <translation>Pozycje paczek zapisane do {file}: {count}</translation>
    </message>
    <message>
        <source>{count} shipped parcels written to {file}</source>
        <translation>wysłane paczki zapisane do {file}: {count}</translation>
    </message>
    <message>
        <source>only locations are printed by range</source>
        <translation>tylko lokalizacje drukuje się według zakresu</translation>
    </message>
    <message>
        <source>only products are chosen by SKU</source>
        <translation>tylko produkty wybiera się według SKU</translation>
    </message>
    <message>
        <source>only receiving labels come from an order</source>
        <translation>tylko etykiety przyjęcia pochodzą z zamówienia</translation>
    </message>
    <message>
        <source>give --order PO</source>
        <translation>podaj --order ZAMÓWIENIE</translation>
    </message>
    <message>
        <source>only location labels have arrows</source>
        <translation>tylko etykiety lokalizacji mają strzałki</translation>
    </message>
    <message>
        <source>Print job {job} is kept as failed: retry it from the Print jobs screen.</source>
        <translation>Zadanie wydruku {job} zapisano jako nieudane: ponów je na ekranie Zadania wydruku.</translation>
    </message>
    <message>
        <source>{count} labels written to {file}</source>
        <translation>etykiety zapisane do {file}: {count}</translation>
    </message>
    <message>
        <source>document written to {file}</source>
        <translation>dokument zapisany do {file}</translation>
    </message>
    <message>
        <source>Print job {job}: {count} page sent to {printer}</source>
        <translation>Zadanie wydruku {job} wysłane do {printer}: strony: {count}</translation>
    </message>
    <message>
        <source>Print job {job}: {count} pages sent to {printer}</source>
        <translation>Zadanie wydruku {job} wysłane do {printer}: strony: {count}</translation>
    </message>
    <message>
        <source>Print job {job}: {count} label sent to {printer}</source>
        <translation>Zadanie wydruku {job} wysłane do {printer}: etykiety: {count}</translation>
    </message>
    <message>
        <source>Print job {job}: {count} labels sent to {printer}</source>
        <translation>Zadanie wydruku {job} wysłane do {printer}: etykiety: {count}</translation>
    </message>
    <message>
        <source>printer {name} prints {format}</source>
        <translation>drukarka {name} drukuje {format}</translation>
    </message>
    <message>
        <source>no printer profile is named &apos;{name}&apos;, and CUPS cannot be asked: {reason}</source>
        <translation>żaden profil drukarki nie nazywa się &apos;{name}&apos;, a CUPS nie odpowiada: {reason}</translation>
    </message>
    <message>
        <source>there is no printer profile or CUPS queue named &apos;{name}&apos;</source>
        <translation>nie ma profilu drukarki ani kolejki CUPS o nazwie &apos;{name}&apos;</translation>
    </message>
    <message>
        <source>bad scan: {reason}</source>
        <translation>błędny skan: {reason}</translation>
    </message>
    <message>
        <source>database: none at {file} (interpretation only)</source>
        <translation>baza danych: brak w {file} (tylko interpretacja)</translation>
    </message>
    <message>
        <source>database: not known in {database}</source>
        <translation>baza danych: nieznany w {database}</translation>
    </message>
    <message>
        <source>database: no exact match in {database}</source>
        <translation>baza danych: brak dokładnego dopasowania w {database}</translation>
    </message>
    <message>
        <source>{count} tamper findings in moves, audit_log and scan_journal</source>
        <translation>ślady manipulacji w moves, audit_log i scan_journal: {count}</translation>
    </message>
    <message>
        <source>hash chain intact: {rows} rows chained, head {head}</source>
        <translation>łańcuch skrótów nienaruszony: powiązane wiersze: {rows}, początek {head}</translation>
    </message>
    <message>
        <source>setup-roles is for PostgreSQL; on SQLite the triggers alone keep the tables append-only.</source>
        <translation>setup-roles jest dla PostgreSQL; w SQLite same wyzwalacze pozwalają tylko dopisywać do tabel.</translation>
    </message>
    <message>
        <source>Token for {name} (shown once; keep it where the scheduled job runs):</source>
        <translation>Token dla {name} (pokazany tylko raz; przechowuj go tam, gdzie działa zaplanowane zadanie):</translation>
    </message>
    <message>
        <source>{count} products written to {file}</source>
        <translation>Produkty zapisane do {file}: {count}</translation>
    </message>
    <message>
        <source>{count} on-hand rows written to {file}</source>
        <translation>wiersze stanów zapisane do {file}: {count}</translation>
    </message>
    <message>
        <source>{count} receipt rows of {po} written to {file}</source>
        <translation>Wiersze przyjęcia {po} zapisane do {file}: {count}</translation>
    </message>
    <message>
        <source>{count} journal rows written to {file}</source>
        <translation>wiersze dziennika zapisane do {file}: {count}</translation>
    </message>
    <message>
        <source>{file}: {rmas} RMAs with {lines} lines valid, nothing written (dry run)</source>
        <translation>{file}: poprawny, nic nie zapisano (próba). Zwroty (RMA): {rmas}, pozycje: {lines}</translation>
    </message>
    <message>
        <source>{file}: {rmas} RMAs with {lines} lines imported</source>
        <translation>{file}: zaimportowano. Zwroty (RMA): {rmas}, pozycje: {lines}</translation>
    </message>
    <message>
        <source>, {replaced} replaced</source>
        <translation>, zastąpione: {replaced}</translation>
    </message>
    <message>
        <source>{count} inspected returns written to {file}</source>
        <translation>sprawdzone zwroty zapisane do {file}: {count}</translation>
    </message>
    <message>
        <source>return report by {group} written to {file}</source>
        <translation>raport zwrotów według {group} zapisany do {file}</translation>
    </message>
    <message>
        <source>argument {argument}: {message}</source>
        <translation>argument {argument}: {message}</translation>
    </message>
    <message>
        <source>the following arguments are required: {arguments}</source>
        <translation>brakuje tych argumentów: {arguments}</translation>
    </message>
    <message>
        <source>invalid choice: {value} (choose from {choices})</source>
        <translation>nieprawidłowy wybór: {value} (do wyboru: {choices})</translation>
    </message>
    <message>
        <source>unrecognized arguments: {arguments}</source>
        <translation>nierozpoznane argumenty: {arguments}</translation>
    </message>
    <message>
        <source>expected one argument</source>
        <translation>oczekiwano jednej wartości</translation>
    </message>
    <message>
        <source>expected at least one argument</source>
        <translation>oczekiwano co najmniej jednej wartości</translation>
    </message>
    <message>
        <source>invalid {type} value: {value}</source>
        <translation>nieprawidłowa wartość {type}: {value}</translation>
    </message>
    <message>
        <source>not allowed with argument {argument}</source>
        <translation>niedozwolony razem z argumentem {argument}</translation>
    </message>
    <message>
        <source>one of the arguments {arguments} is required</source>
        <translation>wymagany jest jeden z argumentów {arguments}</translation>
    </message>
    <message>
        <source>Products classified: {count} (by {basis}, over {days} days): {classes}</source>
        <translation>Sklasyfikowane produkty: {count} (według {basis}, z {days} dni): {classes}</translation>
    </message>
    <message>
        <source>{day}  counts: {count}</source>
        <translation>{day}  liczenia: {count}</translation>
    </message>
    <message>
        <source>Counts that would be planned: {count} over {days} days; due counts left for the next plan (daily cap): {left}</source>
        <translation>Liczenia, które zostałyby zaplanowane: {count} w {days} dni; zaległe liczenia na następny plan (limit dzienny): {left}</translation>
    </message>
    <message>
        <source>Counts planned: {count} over {days} days; due counts left for the next plan (daily cap): {left}</source>
        <translation>Zaplanowane liczenia: {count} w {days} dni; zaległe liczenia na następny plan (limit dzienny): {left}</translation>
    </message>
    <message>
        <source>{count} figures written to {file}</source>
        <translation>Wskaźniki zapisane do {file}: {count}</translation>
    </message>
    <message>
        <source>{reference}</source>
        <translation>{reference}</translation>
    </message>
    <message>
        <source>order {reference}</source>
        <translation>zamówienie {reference}</translation>
    </message>
    <message>
        <source>stock {reference}</source>
        <translation>stan {reference}</translation>
    </message>
    <message>
        <source>{document}, {item}: {counter} {stored}, ledger says {ledger}</source>
        <translation>{document}, {item}: {counter} {stored}, według księgi {ledger}</translation>
    </message>
    <message>
        <source>pick faces</source>
        <translation>miejsca kompletacji</translation>
    </message>
    <message>
        <source>lines: {count}</source>
        <translation>pozycje: {count}</translation>
    </message>
    <message>
        <source>new barcodes: {count}</source>
        <translation>nowe kody kreskowe: {count}</translation>
    </message>
    <message>
        <source>raw: {raw}</source>
        <translation>surowy: {raw}</translation>
    </message>
    <message>
        <source>command: {value}</source>
        <translation>polecenie: {value}</translation>
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
        <translation>partia: {value}</translation>
    </message>
    <message>
        <source>expiry: {value}</source>
        <translation>data ważności: {value}</translation>
    </message>
    <message>
        <source>best before: {value}</source>
        <translation>najlepiej spożyć przed: {value}</translation>
    </message>
    <message>
        <source>serial: {value}</source>
        <translation>numer seryjny: {value}</translation>
    </message>
    <message>
        <source>count: {value}</source>
        <translation>liczba: {value}</translation>
    </message>
    <message>
        <source>net weight (kg): {value}</source>
        <translation>waga netto (kg): {value}</translation>
    </message>
    <message>
        <source>kind: {kind}</source>
        <translation>rodzaj: {kind}</translation>
    </message>
    <message>
        <source>symbology identifier: {value}</source>
        <translation>identyfikator symboliki: {value}</translation>
    </message>
    <message>
        <source>code: {value}</source>
        <translation>kod: {value}</translation>
    </message>
    <message>
        <source>problem: {problem}</source>
        <translation>problem: {problem}</translation>
    </message>
    <message>
        <source>product {sku} ({name})</source>
        <translation>produkt {sku} ({name})</translation>
    </message>
    <message>
        <source>, {units} units per scan</source>
        <translation>, {units} szt. na skan</translation>
    </message>
    <message>
        <source>location {code} ({kind}, blocked), check digits {digits}</source>
        <translation>lokalizacja {code} ({kind}, zablokowana), cyfry kontrolne {digits}</translation>
    </message>
    <message>
        <source>location {code} ({kind}), check digits {digits}</source>
        <translation>lokalizacja {code} ({kind}), cyfry kontrolne {digits}</translation>
    </message>
    <message>
        <source>license plate {code}</source>
        <translation>nośnik {code}</translation>
    </message>
    <message>
        <source>{kind} {number} from {supplier} ({status})</source>
        <translation>{kind} {number} od {supplier} ({status})</translation>
    </message>
    <message>
        <source>badge of {name} ({role})</source>
        <translation>identyfikator: {name} ({role})</translation>
    </message>
    <message>
        <source>, lot tracked</source>
        <translation>, ewidencja partii</translation>
    </message>
    <message>
        <source>, serial tracked</source>
        <translation>, ewidencja numerów seryjnych</translation>
    </message>
    <message>
        <source>{table} row {row} was edited after it was written</source>
        <translation>{table}, wiersz {row}: zmieniony po zapisaniu</translation>
    </message>
    <message>
        <source>{table} row {row} was deleted</source>
        <translation>{table}, wiersz {row}: usunięty</translation>
    </message>
    <message>
        <source>{table} row {row} is not in the chain (written outside Stockfloor)</source>
        <translation>{table}, wiersz {row}: poza łańcuchem (zapisany poza Stockfloor)</translation>
    </message>
    <message>
        <source>the chain link before {table} row {row} was removed</source>
        <translation>usunięto ogniwo łańcucha przed {table}, wiersz {row}</translation>
    </message>
    <message>
        <source>letters, digits and _ only</source>
        <translation>tylko litery, cyfry i _</translation>
    </message>
    <message>
        <source>password for {role}: </source>
        <translation>hasło dla {role}: </translation>
    </message>
    <message>
        <source>role {role}: may read and write the warehouse in schema {schema}, may only append to {tables}.</source>
        <translation>rola {role}: może czytać i zapisywać magazyn w schemacie {schema}, do {tables} może tylko dopisywać.</translation>
    </message>
    <message>
        <source>Connect Stockfloor as {url}; run `stockfloor db upgrade` as the owner.</source>
        <translation>Łącz Stockfloor jako {url}; `stockfloor db upgrade` uruchamiaj jako właściciel.</translation>
    </message>
    <message>
        <source>{text} is not a date (YYYY-MM-DD)</source>
        <translation>{text} nie jest datą (RRRR-MM-DD)</translation>
    </message>
    <message>
        <source>{file}: rows valid: {rows}; would move {units_in} units in and {units_out} out ({lots} new lots, {plates} new license plates). Dry run: nothing was written.</source>
        <translation>{file}: poprawne wiersze: {rows}; przyjęto by sztuk: {units_in}, wydano by: {units_out} (nowe partie: {lots}, nowe nośniki: {plates}). Próba: nic nie zapisano.</translation>
    </message>
    <message>
        <source>{file}: rows imported: {rows}; moved {units_in} units in and {units_out} out ({lots} new lots, {plates} new license plates).</source>
        <translation>{file}: zaimportowane wiersze: {rows}; przyjęto sztuk: {units_in}, wydano: {units_out} (nowe partie: {lots}, nowe nośniki: {plates}).</translation>
    </message>
</context>
<context>
    <name>cli codes</name>
    <message>
        <source>gs1</source>
        <translation>ciąg GS1</translation>
    </message>
    <message>
        <source>gtin</source>
        <translation>GTIN</translation>
    </message>
    <message>
        <source>command</source>
        <translation>polecenie</translation>
    </message>
    <message>
        <source>text</source>
        <translation>tekst</translation>
    </message>
    <message>
        <source>receiving</source>
        <translation>przyjęcie</translation>
    </message>
    <message>
        <source>storage</source>
        <translation>składowanie</translation>
    </message>
    <message>
        <source>pick_face</source>
        <translation>miejsce kompletacji</translation>
    </message>
    <message>
        <source>packing</source>
        <translation>pakowanie</translation>
    </message>
    <message>
        <source>shipping</source>
        <translation>wysyłka</translation>
    </message>
    <message>
        <source>quarantine</source>
        <translation>kwarantanna</translation>
    </message>
    <message>
        <source>returns</source>
        <translation>zwroty</translation>
    </message>
    <message>
        <source>cart</source>
        <translation>wózek</translation>
    </message>
    <message>
        <source>supplier</source>
        <translation>dostawca</translation>
    </message>
    <message>
        <source>customer</source>
        <translation>klient</translation>
    </message>
    <message>
        <source>inventory_loss</source>
        <translation>ubytek magazynowy</translation>
    </message>
    <message>
        <source>open</source>
        <translation>otwarte</translation>
    </message>
    <message>
        <source>partially received</source>
        <translation>częściowo przyjęte</translation>
    </message>
    <message>
        <source>received</source>
        <translation>przyjęte</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>zamknięte</translation>
    </message>
    <message>
        <source>operator</source>
        <translation>operator</translation>
    </message>
    <message>
        <source>supervisor</source>
        <translation>kierownik zmiany</translation>
    </message>
    <message>
        <source>admin</source>
        <translation>administrator</translation>
    </message>
</context>
<context>
    <name>cli columns</name>
    <message>
        <source>required</source>
        <translation>wymagane</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>opcjonalne</translation>
    </message>
    <message>
        <source>text</source>
        <translation>tekst</translation>
    </message>
    <message>
        <source>integer</source>
        <translation>liczba całkowita</translation>
    </message>
    <message>
        <source>decimal</source>
        <translation>liczba dziesiętna</translation>
    </message>
    <message>
        <source>date YYYY-MM-DD</source>
        <translation>data RRRR-MM-DD</translation>
    </message>
    <message>
        <source>one of {choices}</source>
        <translation>jedno z {choices}</translation>
    </message>
    <message>
        <source>text, max {length}</source>
        <translation>tekst, maks. {length}</translation>
    </message>
    <message>
        <source>Stock-keeping unit. The key: a SKU already in the database is updated.</source>
        <translation>Indeks magazynowy (SKU). Klucz: SKU, który już jest w bazie danych, zostaje zaktualizowany.</translation>
    </message>
    <message>
        <source>Product name as operators see it.</source>
        <translation>Nazwa produktu widoczna dla operatorów.</translation>
    </message>
    <message>
        <source>Unit of measure (each, pack...); quantities are whole units.</source>
        <translation>Jednostka miary (sztuka, opakowanie...); ilości to całe jednostki.</translation>
    </message>
    <message>
        <source>Lot or serial numbers captured on receipt.</source>
        <translation>Numery partii lub numery seryjne rejestrowane przy przyjęciu.</translation>
    </message>
    <message>
        <source>Lots carry an expiry date (needs tracking lot or serial).</source>
        <translation>Partie mają datę ważności (wymaga tracking lot lub serial).</translation>
    </message>
    <message>
        <source>Days of shelf life a lot must still have on receipt (0: only expired lots are held).</source>
        <translation>Dni przydatności, które partia musi jeszcze mieć przy przyjęciu (0: wstrzymywane są tylko przeterminowane partie).</translation>
    </message>
    <message>
        <source>Free grouping for reports and put-away.</source>
        <translation>Dowolne grupowanie do raportów i rozlokowania.</translation>
    </message>
    <message>
        <source>The unit&apos;s GTIN (check digit verified).</source>
        <translation>GTIN jednostki (cyfra kontrolna jest sprawdzana).</translation>
    </message>
    <message>
        <source>GTIN of a case, usually a GTIN-14; needs case_qty.</source>
        <translation>GTIN kartonu, zwykle GTIN-14; wymaga case_qty.</translation>
    </message>
    <message>
        <source>Units in one case_gtin case.</source>
        <translation>Jednostki w jednym kartonie case_gtin.</translation>
    </message>
    <message>
        <source>Weight of one unit in kg.</source>
        <translation>Waga jednej jednostki w kg.</translation>
    </message>
    <message>
        <source>Length of one unit in cm.</source>
        <translation>Długość jednej jednostki w cm.</translation>
    </message>
    <message>
        <source>Width of one unit in cm.</source>
        <translation>Szerokość jednej jednostki w cm.</translation>
    </message>
    <message>
        <source>Height of one unit in cm.</source>
        <translation>Wysokość jednej jednostki w cm.</translation>
    </message>
    <message>
        <source>Cost of one unit (stock valuation).</source>
        <translation>Koszt jednej jednostki (wycena zapasu).</translation>
    </message>
    <message>
        <source>More codes and the units each stands for, e.g. &apos;INT-77:1;95012345678903:6&apos;. All-digit codes of GTIN length must have a valid check digit.</source>
        <translation>Dodatkowe kody i liczba jednostek, którą każdy oznacza, np. &apos;INT-77:1;95012345678903:6&apos;. Kody z samych cyfr o długości GTIN muszą mieć poprawną cyfrę kontrolną.</translation>
    </message>
    <message>
        <source>Location code, e.g. A-03-02-1. The key: an existing code is updated.</source>
        <translation>Kod lokalizacji, np. A-03-02-1. Klucz: istniejący kod zostaje zaktualizowany.</translation>
    </message>
    <message>
        <source>What the location&apos;s label encodes; blank means the code itself.</source>
        <translation>Co koduje etykieta lokalizacji; puste oznacza sam kod.</translation>
    </message>
    <message>
        <source>What the location is for; supplier, customer and inventory_loss are virtual (they hold no stock).</source>
        <translation>Do czego służy lokalizacja; supplier, customer i inventory_loss są wirtualne (nie przechowują zapasu).</translation>
    </message>
    <message>
        <source>Zone name, for put-away rules and reports.</source>
        <translation>Nazwa strefy, do reguł rozlokowania i raportów.</translation>
    </message>
    <message>
        <source>Aisle name, e.g. A.</source>
        <translation>Nazwa alejki, np. A.</translation>
    </message>
    <message>
        <source>Bay number along the aisle.</source>
        <translation>Numer segmentu regału wzdłuż alejki.</translation>
    </message>
    <message>
        <source>Shelf level, 1 = floor / pick face.</source>
        <translation>Poziom regału, 1 = podłoga / miejsce kompletacji.</translation>
    </message>
    <message>
        <source>Position within the level.</source>
        <translation>Pozycja w obrębie poziomu.</translation>
    </message>
    <message>
        <source>Floor position across the aisles, metres (pick routing).</source>
        <translation>Pozycja w poprzek alejek, w metrach (trasy kompletacji).</translation>
    </message>
    <message>
        <source>Floor position along the aisle from the front cross aisle, metres.</source>
        <translation>Pozycja wzdłuż alejki od przedniej alejki poprzecznej, w metrach.</translation>
    </message>
    <message>
        <source>Blocked locations take no stock.</source>
        <translation>Zablokowane lokalizacje nie przyjmują zapasu.</translation>
    </message>
    <message>
        <source>Log-in name. The key: an existing username is updated.</source>
        <translation>Nazwa logowania. Klucz: istniejąca nazwa użytkownika zostaje zaktualizowana.</translation>
    </message>
    <message>
        <source>Name shown on screens and in the audit trail.</source>
        <translation>Nazwa widoczna na ekranach i w dzienniku audytu.</translation>
    </message>
    <message>
        <source>What the user&apos;s badge barcode encodes.</source>
        <translation>Co koduje kod kreskowy identyfikatora użytkownika.</translation>
    </message>
    <message>
        <source>What the user may do.</source>
        <translation>Co użytkownik może robić.</translation>
    </message>
    <message>
        <source>4 to 12 digits. Required for a new user; blank keeps the current PIN.</source>
        <translation>Od 4 do 12 cyfr. Wymagane dla nowego użytkownika; puste zachowuje obecny PIN.</translation>
    </message>
    <message>
        <source>Language of the user&apos;s screens: en, es...</source>
        <translation>Język ekranów użytkownika: en, es...</translation>
    </message>
    <message>
        <source>Order number as printed and scanned. An existing order that nothing was received on yet is replaced.</source>
        <translation>Numer zamówienia w postaci drukowanej i skanowanej. Istniejące zamówienie, na które nic jeszcze nie przyjęto, zostaje zastąpione.</translation>
    </message>
    <message>
        <source>po = purchase order, asn = advance shipping notice.</source>
        <translation>po = zamówienie zakupu, asn = awizo dostawy.</translation>
    </message>
    <message>
        <source>Supplier name.</source>
        <translation>Nazwa dostawcy.</translation>
    </message>
    <message>
        <source>When the goods are due.</source>
        <translation>Kiedy towar ma dotrzeć.</translation>
    </message>
    <message>
        <source>Line number within the order.</source>
        <translation>Numer pozycji w zamówieniu.</translation>
    </message>
    <message>
        <source>Product ordered; must already exist.</source>
        <translation>Zamówiony produkt; musi już istnieć.</translation>
    </message>
    <message>
        <source>Units expected.</source>
        <translation>Oczekiwane jednostki.</translation>
    </message>
    <message>
        <source>Location code of the bin. The key: an existing limit is replaced.</source>
        <translation>Kod lokalizacji miejsca składowania. Klucz: istniejący limit zostaje zastąpiony.</translation>
    </message>
    <message>
        <source>Most units the bin holds, all products together; blank = no limit.</source>
        <translation>Najwięcej jednostek, jakie mieści miejsce, wszystkie produkty razem; puste = bez limitu.</translation>
    </message>
    <message>
        <source>Most weight in kg (products&apos; weight_kg); blank = no limit.</source>
        <translation>Największa waga w kg (weight_kg produktów); puste = bez limitu.</translation>
    </message>
    <message>
        <source>Most volume in litres (products&apos; length x width x height); blank = no limit.</source>
        <translation>Największa objętość w litrach (length x width x height produktów); puste = bez limitu.</translation>
    </message>
    <message>
        <source>May the bin hold several lots of one product? no = never, whatever the rules say.</source>
        <translation>Czy miejsce może mieścić kilka partii jednego produktu? no = nigdy, niezależnie od reguł.</translation>
    </message>
    <message>
        <source>What the rule is for: a product, a product group or a zone.</source>
        <translation>Czego dotyczy reguła: produktu, grupy produktów lub strefy.</translation>
    </message>
    <message>
        <source>The SKU, product group or zone name. With scope, the key.</source>
        <translation>SKU, grupa produktów lub nazwa strefy. Razem ze scope stanowi klucz.</translation>
    </message>
    <message>
        <source>Products only: the bin the product always goes to first.</source>
        <translation>Tylko produkty: miejsce, do którego produkt zawsze trafia najpierw.</translation>
    </message>
    <message>
        <source>Products and groups: empty bins are looked for here first.</source>
        <translation>Produkty i grupy: puste miejsca są najpierw szukane tutaj.</translation>
    </message>
    <message>
        <source>Products and groups: the only zones allowed, separated by &apos;;&apos;; blank = every zone.</source>
        <translation>Produkty i grupy: jedyne dozwolone strefy, rozdzielone &apos;;&apos;; puste = każda strefa.</translation>
    </message>
    <message>
        <source>May lots be mixed in a bin? Blank = the next rule decides (product, group, zone; default yes).</source>
        <translation>Czy partie mogą być mieszane w miejscu? Puste = decyduje następna reguła (produkt, grupa, strefa; domyślnie tak).</translation>
    </message>
    <message>
        <source>Put a lot only with stock expiring no later? Blank = the next rule decides (default: yes for products with expiry dates).</source>
        <translation>Kłaść partię tylko przy zapasie, który nie traci ważności później? Puste = decyduje następna reguła (domyślnie: tak dla produktów z datami ważności).</translation>
    </message>
    <message>
        <source>Code of the pick face. The key: an existing face&apos;s levels are replaced.</source>
        <translation>Kod miejsca kompletacji. Klucz: poziomy istniejącego miejsca zostają zastąpione.</translation>
    </message>
    <message>
        <source>The product the face holds.</source>
        <translation>Produkt, który mieści miejsce kompletacji.</translation>
    </message>
    <message>
        <source>Replenish when the face holds fewer units than this.</source>
        <translation>Uzupełniaj, gdy miejsce ma mniej jednostek niż ta liczba.</translation>
    </message>
    <message>
        <source>Fill the face up to this many units.</source>
        <translation>Uzupełniaj miejsce do tylu jednostek.</translation>
    </message>
    <message>
        <source>Replenish in whole multiples of this (a case: 12).</source>
        <translation>Uzupełniaj w całkowitych wielokrotnościach tej liczby (karton: 12).</translation>
    </message>
    <message>
        <source>The product&apos;s SKU (import products first).</source>
        <translation>SKU produktu (najpierw zaimportuj produkty).</translation>
    </message>
    <message>
        <source>Code of the bin the stock is in: a physical location, not blocked when stock is added.</source>
        <translation>Kod miejsca, w którym jest zapas: fizyczna lokalizacja, niezablokowana przy dodawaniu zapasu.</translation>
    </message>
    <message>
        <source>Lot code (lot-tracked products) or serial number (serial-tracked, one unit per row); blank for products without tracking.</source>
        <translation>Kod partii (produkty śledzone po partii) lub numer seryjny (śledzone seryjnie, jedna sztuka na wiersz); puste dla produktów bez śledzenia.</translation>
    </message>
    <message>
        <source>Expiry of a new lot (products with expiry dates); an existing lot&apos;s expiry must match.</source>
        <translation>Data ważności nowej partii (produkty z datami ważności); data istniejącej partii musi się zgadzać.</translation>
    </message>
    <message>
        <source>License plate (LPN or SSCC) the units are on; blank = loose.</source>
        <translation>Nośnik (LPN lub SSCC), na którym są jednostki; puste = luzem.</translation>
    </message>
    <message>
        <source>Units to add; negative to take units out (to inventory loss). Not 0.</source>
        <translation>Jednostki do dodania; ujemne, by wydać jednostki (do straty inwentaryzacyjnej). Nie 0.</translation>
    </message>
    <message>
        <source>Why: opening_balance comes from the supplier location, the others from or to inventory loss.</source>
        <translation>Dlaczego: opening_balance pochodzi z lokalizacji dostawcy, pozostałe z lub do straty inwentaryzacyjnej.</translation>
    </message>
    <message>
        <source>What the row describes.</source>
        <translation>Co opisuje wiersz.</translation>
    </message>
    <message>
        <source>Aisle: its label, as in the locations&apos; aisle column.</source>
        <translation>Alejka: jej oznaczenie, jak w kolumnie aisle lokalizacji.</translation>
    </message>
    <message>
        <source>Aisle or depot: position across the aisles.</source>
        <translation>Alejka lub depot: pozycja w poprzek alejek.</translation>
    </message>
    <message>
        <source>Cross aisle: position along the aisles (&gt; 0). Depot: 0 or blank.</source>
        <translation>Alejka poprzeczna: pozycja wzdłuż alejek (&gt; 0). Depot: 0 lub puste.</translation>
    </message>
    <message>
        <source>Aisle: length from the front cross aisle.</source>
        <translation>Alejka: długość od przedniej alejki poprzecznej.</translation>
    </message>
    <message>
        <source>Sales channel of the original order: Shopify, Amazon...</source>
        <translation>Kanał sprzedaży pierwotnego zamówienia: Shopify, Amazon...</translation>
    </message>
    <message>
        <source>The channel&apos;s RMA (return authorisation) number, unique per channel.</source>
        <translation>Numer RMA (autoryzacji zwrotu) kanału, unikalny w obrębie kanału.</translation>
    </message>
    <message>
        <source>The original order&apos;s number in that channel.</source>
        <translation>Numer pierwotnego zamówienia w tym kanale.</translation>
    </message>
    <message>
        <source>Product being returned.</source>
        <translation>Zwracany produkt.</translation>
    </message>
    <message>
        <source>Units announced.</source>
        <translation>Zapowiedziane jednostki.</translation>
    </message>
    <message>
        <source>The customer&apos;s reason, as the channel gives it.</source>
        <translation>Powód klienta podany przez kanał.</translation>
    </message>
</context>
<context>
    <name>cli counters</name>
    <message>
        <source>received</source>
        <translation>przyjęto</translation>
    </message>
    <message>
        <source>damaged</source>
        <translation>uszkodzone</translation>
    </message>
    <message>
        <source>picked</source>
        <translation>skompletowano</translation>
    </message>
    <message>
        <source>packed</source>
        <translation>spakowano</translation>
    </message>
    <message>
        <source>pick tasks&apos; picked</source>
        <translation>skompletowano według zadań kompletacji</translation>
    </message>
    <message>
        <source>reserved (allocations + returns held)</source>
        <translation>zarezerwowano (przydziały + wstrzymane zwroty)</translation>
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
        <translation>baza danych:
  --database przyjmuje ścieżkę pliku SQLite albo adres postgresql://user:password@host/name.
  Bez niej: ${variable}, w przeciwnym razie {default}
  --demo otwiera {demo}
  i najpierw buduje tam magazyn demonstracyjny, jeśli go brak.

kody wyjścia:
  0  gotowe
  1  polecenie zadziałało i znalazło problemy: odrzucone wiersze importu, rozbieżności
     z księgą, nieczytelny skan
  2  polecenie nie mogło zadziałać: złe argumenty, baza danych nieosiągalna lub zapisana
     przez nowszy Stockfloor, nieczytelny plik, inne błędy
</translation>
    </message>
    <message>
        <source>SQLite file or postgresql:// URL</source>
        <translation>plik SQLite albo adres postgresql://</translation>
    </message>
    <message>
        <source>use the demo database (built on first use)</source>
        <translation>użyj demonstracyjnej bazy danych (budowanej przy pierwszym użyciu)</translation>
    </message>
    <message>
        <source>run as this user (asks for the PIN); or set STOCKFLOOR_TOKEN</source>
        <translation>uruchom jako ten użytkownik (pyta o PIN); albo ustaw STOCKFLOOR_TOKEN</translation>
    </message>
    <message>
        <source>messages and printed documents in en, de, es or pl (default: the workstation&apos;s language, else the system&apos;s)</source>
        <translation>komunikaty i drukowane dokumenty po en, de, es lub pl (domyślnie: język stanowiska, a w razie jego braku systemu)</translation>
    </message>
    <message>
        <source>Warehouse floor client. Without a command it opens the window.</source>
        <translation>Klient dla hali magazynowej. Bez polecenia otwiera okno.</translation>
    </message>
    <message>
        <source>ABC classes and the cycle-count plan</source>
        <translation>klasy ABC i plan inwentaryzacji ciągłej</translation>
    </message>
    <message>
        <source>classify every product A/B/C from its movement over the policy&apos;s look-back days (by value or by number of moves, with the policy&apos;s class shares)</source>
        <translation>przypisz każdemu produktowi klasę A/B/C według ruchu w dniach wstecz z zasad (według wartości lub liczby ruchów, z udziałami klas z zasad)</translation>
    </message>
    <message>
        <source>plan the product counts the ABC schedule says are due in the policy&apos;s plan days, spread evenly, at most the daily cap a day</source>
        <translation>zaplanuj liczenia produktów, które według harmonogramu ABC przypadają w dniach planu z zasad, równomiernie, najwyżej dzienny limit na dzień</translation>
    </message>
    <message>
        <source>the plan&apos;s first day (default today)</source>
        <translation>pierwszy dzień planu (domyślnie dziś)</translation>
    </message>
    <message>
        <source>show the counts per day; plan nothing</source>
        <translation>pokaż liczenia na dzień; niczego nie planuj</translation>
    </message>
    <message>
        <source>schema upgrade, ledger check, database info</source>
        <translation>aktualizacja schematu, sprawdzenie księgi, informacje o bazie</translation>
    </message>
    <message>
        <source>bring the schema up to date (SQLite: after a backup)</source>
        <translation>zaktualizuj schemat (SQLite: po kopii zapasowej)</translation>
    </message>
    <message>
        <source>compare on-hand with the ledger; exit 1 and list every discrepancy when they differ</source>
        <translation>porównaj stany z księgą; gdy się różnią, wypisz każdą rozbieżność i zakończ kodem 1</translation>
    </message>
    <message>
        <source>where the database is, its schema revisions and what it holds</source>
        <translation>gdzie jest baza danych, jej rewizje schematu i co zawiera</translation>
    </message>
    <message>
        <source>fill an empty database with a demo warehouse</source>
        <translation>wypełnij pustą bazę danych magazynem demonstracyjnym</translation>
    </message>
    <message>
        <source>how many products, 1 to {most} (default 300)</source>
        <translation>ile produktów, od 1 do {most} (domyślnie 300)</translation>
    </message>
    <message>
        <source>the same seed builds the same warehouse (default 1)</source>
        <translation>to samo ziarno buduje ten sam magazyn (domyślnie 1)</translation>
    </message>
    <message>
        <source>ERASE everything in the database first</source>
        <translation>najpierw USUŃ wszystko z bazy danych</translation>
    </message>
    <message>
        <source>export stock as CSV</source>
        <translation>eksportuj stany jako CSV</translation>
    </message>
    <message>
        <source>every non-zero on-hand row: {columns}</source>
        <translation>każdy niezerowy wiersz stanu: {columns}</translation>
    </message>
    <message>
        <source>where to write; &apos;-&apos; writes to standard output</source>
        <translation>dokąd zapisać; &apos;-&apos; pisze na standardowe wyjście</translation>
    </message>
    <message>
        <source>only pick faces and storage bins that are not blocked (no quarantine, carts, docks)</source>
        <translation>tylko niezablokowane miejsca kompletacji i składowania (bez kwarantanny, wózków, ramp)</translation>
    </message>
    <message>
        <source>one row per product: {columns}</source>
        <translation>jeden wiersz na produkt: {columns}</translation>
    </message>
    <message>
        <source>the goods receipt of a purchase order: {columns}</source>
        <translation>przyjęcie towaru z zamówienia zakupu: {columns}</translation>
    </message>
    <message>
        <source>purchase order or ASN number</source>
        <translation>numer zamówienia zakupu lub awizo (ASN)</translation>
    </message>
    <message>
        <source>import products, locations, users or purchase orders from CSV</source>
        <translation>importuj produkty, lokalizacje, użytkowników lub zamówienia zakupu z CSV</translation>
    </message>
    <message>
        <source>columns:</source>
        <translation>kolumny:</translation>
    </message>
    <message>
        <source>check every row and report what would change; write nothing</source>
        <translation>sprawdź każdy wiersz i pokaż, co by się zmieniło; nic nie zapisuj</translation>
    </message>
    <message>
        <source>Products and their barcodes (one row per SKU).</source>
        <translation>Produkty i ich kody kreskowe (jeden wiersz na SKU).</translation>
    </message>
    <message>
        <source>Locations: bins, docks, packing and shipping, and the virtual ends of moves.</source>
        <translation>Lokalizacje: miejsca, rampy, pakowanie i wysyłka oraz wirtualne końce ruchów.</translation>
    </message>
    <message>
        <source>Users with badge, role, PIN and language.</source>
        <translation>Użytkownicy z identyfikatorem, rolą, PIN-em i językiem.</translation>
    </message>
    <message>
        <source>Purchase orders and ASNs to receive (one row per line).</source>
        <translation>Zamówienia zakupu i awiza do przyjęcia (jeden wiersz na pozycję).</translation>
    </message>
    <message>
        <source>Bin capacities for put-away: units, weight, volume, and whether lots may mix.</source>
        <translation>Pojemności miejsc do rozlokowania: sztuki, waga, objętość i czy partie mogą się mieszać.</translation>
    </message>
    <message>
        <source>Put-away rules per product, product group or zone: home bin, zones, lots, FEFO.</source>
        <translation>Reguły rozlokowania na produkt, grupę produktów lub strefę: miejsce stałe, strefy, partie, FEFO.</translation>
    </message>
    <message>
        <source>Pick faces for replenishment: the product, min / max and the replenishment unit.</source>
        <translation>Miejsca kompletacji do uzupełniania: produkt, min. / maks. i jednostka uzupełnienia.</translation>
    </message>
    <message>
        <source>the scan journal</source>
        <translation>dziennik skanów</translation>
    </message>
    <message>
        <source>write the scan journal as CSV: {columns}</source>
        <translation>zapisz dziennik skanów jako CSV: {columns}</translation>
    </message>
    <message>
        <source>only this user (user name or display name); --user is who runs the command</source>
        <translation>tylko ten użytkownik (login lub nazwa wyświetlana); --user to ten, kto uruchamia polecenie</translation>
    </message>
    <message>
        <source>only this workstation</source>
        <translation>tylko to stanowisko</translation>
    </message>
    <message>
        <source>from this time (ISO 8601; UTC unless a zone is given)</source>
        <translation>od tej chwili (ISO 8601; UTC, jeśli nie podano strefy)</translation>
    </message>
    <message>
        <source>before this time</source>
        <translation>przed tą chwilą</translation>
    </message>
    <message>
        <source>only this outcome (ok, error, refused, command, answer...)</source>
        <translation>tylko ten wynik (ok, error, refused, command, answer...)</translation>
    </message>
    <message>
        <source>only scans whose text or message contains this</source>
        <translation>tylko skany, których tekst lub komunikat to zawiera</translation>
    </message>
    <message>
        <source>customer orders from CSV (one row per line) or JSON</source>
        <translation>zamówienia klientów z CSV (jeden wiersz na pozycję) lub JSON</translation>
    </message>
    <message>
        <source>CSV columns (JSON: the same names, ship_to_* inside &quot;ship_to&quot;, lines as [{&quot;sku&quot;, &quot;quantity&quot;}]):</source>
        <translation>kolumny CSV (JSON: te same nazwy, ship_to_* wewnątrz &quot;ship_to&quot;, pozycje jako [{&quot;sku&quot;, &quot;quantity&quot;}]):</translation>
    </message>
    <message>
        <source>FILE.csv or FILE.json</source>
        <translation>FILE.csv lub FILE.json</translation>
    </message>
    <message>
        <source>check every order; write nothing</source>
        <translation>sprawdź każde zamówienie; nic nie zapisuj</translation>
    </message>
    <message>
        <source>the floor layout for pick routes (replaces the stored one)</source>
        <translation>plan hali dla tras kompletacji (zastępuje zapisany)</translation>
    </message>
    <message>
        <source>allocate customer orders</source>
        <translation>przydziel zamówienia klientów</translation>
    </message>
    <message>
        <source>reserve stock for every open or partly allocated order</source>
        <translation>zarezerwuj stany dla każdego otwartego lub częściowo przydzielonego zamówienia</translation>
    </message>
    <message>
        <source>release allocated orders to the floor</source>
        <translation>zwolnij przydzielone zamówienia na halę</translation>
    </message>
    <message>
        <source>release the releasable orders (filters narrow them)</source>
        <translation>zwolnij zamówienia gotowe do zwolnienia (filtry je zawężają)</translation>
    </message>
    <message>
        <source>single: a wave per order; batch: orders share carts, a tote each</source>
        <translation>single: jedna fala na zamówienie; batch: zamówienia dzielą wózki, każde w swoim pojemniku</translation>
    </message>
    <message>
        <source>leave out orders with a backorder</source>
        <translation>pomiń zamówienia z zaległościami</translation>
    </message>
    <message>
        <source>only this order number (repeat for more)</source>
        <translation>tylko ten numer zamówienia (powtórz dla kolejnych)</translation>
    </message>
    <message>
        <source>a wave&apos;s pick list</source>
        <translation>lista kompletacji fali</translation>
    </message>
    <message>
        <source>the pick list in walking order as CSV or PDF</source>
        <translation>lista kompletacji w kolejności przejścia jako CSV lub PDF</translation>
    </message>
    <message>
        <source>wave number (W000012) or id</source>
        <translation>numer fali (W000012) lub id</translation>
    </message>
    <message>
        <source>default picklist-WAVE.csv|pdf; &apos;-&apos; = stdout</source>
        <translation>domyślnie picklist-WAVE.csv|pdf; &apos;-&apos; = standardowe wyjście</translation>
    </message>
    <message>
        <source>shipment confirmations</source>
        <translation>potwierdzenia wysyłki</translation>
    </message>
    <message>
        <source>one CSV row per shipped parcel: {columns}</source>
        <translation>jeden wiersz CSV na wysłaną paczkę: {columns}</translation>
    </message>
    <message>
        <source>&apos;-&apos; writes to standard output</source>
        <translation>&apos;-&apos; pisze na standardowe wyjście</translation>
    </message>
    <message>
        <source>one row per item in each parcel instead: {columns}</source>
        <translation>zamiast tego jeden wiersz na pozycję w każdej paczce: {columns}</translation>
    </message>
    <message>
        <source>print labels and documents</source>
        <translation>drukuj etykiety i dokumenty</translation>
    </message>
    <message>
        <source>labels: {kinds}</source>
        <translation>etykiety: {kinds}</translation>
    </message>
    <message>
        <source>location codes, SKUs, license plate codes or badge codes</source>
        <translation>kody lokalizacji, SKU, kody nośników lub identyfikatorów</translation>
    </message>
    <message>
        <source>locations: every location from FIRST to LAST</source>
        <translation>lokalizacje: każda od FIRST do LAST</translation>
    </message>
    <message>
        <source>products: these SKUs</source>
        <translation>produkty: te SKU</translation>
    </message>
    <message>
        <source>receiving: the purchase order or ASN</source>
        <translation>przyjęcie: zamówienie zakupu lub awizo</translation>
    </message>
    <message>
        <source>receiving: a label per receipt scan (case) or per unit</source>
        <translation>przyjęcie: etykieta na skan przyjęcia (karton) lub na sztukę</translation>
    </message>
    <message>
        <source>locations: an arrow pointing at the bin</source>
        <translation>lokalizacje: strzałka wskazująca miejsce</translation>
    </message>
    <message>
        <source>label size or sheet</source>
        <translation>rozmiar etykiety lub arkusz</translation>
    </message>
    <message>
        <source>with -o: PDF (default; .zpl files: ZPL) or ZPL for thermal printers</source>
        <translation>z -o: PDF (domyślnie; pliki .zpl: ZPL) lub ZPL dla drukarek termicznych</translation>
    </message>
    <message>
        <source>each label N times</source>
        <translation>każda etykieta N razy</translation>
    </message>
    <message>
        <source>receiving-report PO | putaway-list</source>
        <translation>receiving-report ZAMÓWIENIE | putaway-list</translation>
    </message>
    <message>
        <source>what a receipt brought in</source>
        <translation>co przyniosło przyjęcie</translation>
    </message>
    <message>
        <source>what waits to be put away, with the suggested bins</source>
        <translation>co czeka na rozlokowanie, z proponowanymi miejscami</translation>
    </message>
    <message>
        <source>only what waits on this location</source>
        <translation>tylko to, co czeka w tej lokalizacji</translation>
    </message>
    <message>
        <source>paper (default: A4 or the profile&apos;s)</source>
        <translation>papier (domyślnie: A4 lub z profilu)</translation>
    </message>
    <message>
        <source>write the PDF or ZPL here</source>
        <translation>zapisz tu PDF lub ZPL</translation>
    </message>
    <message>
        <source>a printer profile (name or WORKSTATION/labels) or a CUPS queue</source>
        <translation>profil drukarki (nazwa lub STANOWISKO/labels) albo kolejka CUPS</translation>
    </message>
    <message>
        <source>key figures for supervisors</source>
        <translation>wskaźniki dla kierowników zmiany</translation>
    </message>
    <message>
        <source>KPIs per day, week or month (README: KPI definitions)</source>
        <translation>KPI na dzień, tydzień lub miesiąc (README: definicje KPI)</translation>
    </message>
    <message>
        <source>One row per figure: {columns}. A ratio with nothing to divide by has an empty value (null in JSON).</source>
        <translation>Jeden wiersz na wskaźnik: {columns}. Stosunek bez dzielnika ma pustą wartość (null w JSON).</translation>
    </message>
    <message>
        <source>first day (default: 27 days before --to)</source>
        <translation>pierwszy dzień (domyślnie: 27 dni przed --to)</translation>
    </message>
    <message>
        <source>last day (default: today)</source>
        <translation>ostatni dzień (domyślnie: dziś)</translation>
    </message>
    <message>
        <source>only this sales channel&apos;s orders, returns and lines</source>
        <translation>tylko zamówienia, zwroty i pozycje tego kanału sprzedaży</translation>
    </message>
    <message>
        <source>where to write; &apos;-&apos; (default) is stdout</source>
        <translation>dokąd zapisać; &apos;-&apos; (domyślnie) to standardowe wyjście</translation>
    </message>
    <message>
        <source>check every RMA; write nothing</source>
        <translation>sprawdź każde RMA; nic nie zapisuj</translation>
    </message>
    <message>
        <source>only units inspected on or after this day</source>
        <translation>tylko sztuki sprawdzone tego dnia lub później</translation>
    </message>
    <message>
        <source>only units inspected before this day</source>
        <translation>tylko sztuki sprawdzone przed tym dniem</translation>
    </message>
    <message>
        <source>FILE.pdf, or FILE.csv / &apos;-&apos; for the rows as CSV</source>
        <translation>FILE.pdf albo FILE.csv / &apos;-&apos; dla wierszy jako CSV</translation>
    </message>
    <message>
        <source>returns the sales channels announced (CSV or JSON)</source>
        <translation>zwroty zapowiedziane przez kanały sprzedaży (CSV lub JSON)</translation>
    </message>
    <message>
        <source>CSV columns (JSON: a list of {channel, rma_number, order_number, lines: [{sku, quantity, reason}]}):</source>
        <translation>kolumny CSV (JSON: lista {channel, rma_number, order_number, lines: [{sku, quantity, reason}]}):</translation>
    </message>
    <message>
        <source>inspected returns with grade, disposition and refund: {columns}</source>
        <translation>sprawdzone zwroty z oceną, dyspozycją i zwrotem pieniędzy: {columns}</translation>
    </message>
    <message>
        <source>return rate and grades by channel, product, reason or month</source>
        <translation>wskaźnik zwrotów i oceny według kanału, produktu, przyczyny lub miesiąca</translation>
    </message>
    <message>
        <source>RMAs, inspection results, return report</source>
        <translation>RMA, wyniki kontroli, raport zwrotów</translation>
    </message>
    <message>
        <source>import RMAs from CSV or JSON</source>
        <translation>importuj RMA z CSV lub JSON</translation>
    </message>
    <message>
        <source>CSV columns:</source>
        <translation>kolumny CSV:</translation>
    </message>
    <message>
        <source>inspection results as CSV</source>
        <translation>wyniki kontroli jako CSV</translation>
    </message>
    <message>
        <source>the return report</source>
        <translation>raport zwrotów</translation>
    </message>
    <message>
        <source>explain what a scanned string means</source>
        <translation>wyjaśnij, co oznacza zeskanowany tekst</translation>
    </message>
    <message>
        <source>Explain a scan: symbology, GS1 fields, check digits, commands; and what it is in the database when there is one. Type the GS separator between GS1 fields as &lt;GS&gt; or \x1d, e.g. &apos;]C10109501101530003&apos; &apos;10LOT7&lt;GS&gt;17271231&apos;. Exit 1 when the scan is unreadable.</source>
        <translation>Wyjaśnij skan: symbolika, pola GS1, cyfry kontrolne, polecenia; oraz czym jest w bazie danych, jeśli jest baza. Separator GS między polami GS1 wpisz jako &lt;GS&gt; lub \x1d, np. &apos;]C10109501101530003&apos; &apos;10LOT7&lt;GS&gt;17271231&apos;. Kod wyjścia 1, gdy skan jest nieczytelny.</translation>
    </message>
    <message>
        <source>the scanned text</source>
        <translation>zeskanowany tekst</translation>
    </message>
    <message>
        <source>opening stock and adjustments, moved through the ledger (admin)</source>
        <translation>stany początkowe i korekty, księgowane przez księgę (administrator)</translation>
    </message>
    <message>
        <source>check every row and report what would move; write nothing</source>
        <translation>sprawdź każdy wiersz i pokaż, co by się przesunęło; nic nie zapisuj</translation>
    </message>
    <message>
        <source>PostgreSQL: create the login role the app should connect as (no UPDATE/DELETE on moves, audit_log, scan_journal, chain_links); run once as the database owner</source>
        <translation>PostgreSQL: utwórz rolę logowania, jako która ma się łączyć aplikacja (bez UPDATE/DELETE na moves, audit_log, scan_journal, chain_links); uruchom raz jako właściciel bazy danych</translation>
    </message>
    <message>
        <source>name of the role (default stockfloor_app)</source>
        <translation>nazwa roli (domyślnie stockfloor_app)</translation>
    </message>
    <message>
        <source>its password (asked when omitted)</source>
        <translation>jej hasło (pytanie, gdy pominięte)</translation>
    </message>
    <message>
        <source>accounts: tokens for scheduled jobs</source>
        <translation>konta: tokeny dla zadań zaplanowanych</translation>
    </message>
    <message>
        <source>print a new token for NAME (admin only; the previous token stops working). Scheduled jobs set STOCKFLOOR_TOKEN to it and run as NAME.</source>
        <translation>wypisz nowy token dla NAME (tylko administrator; poprzedni token przestaje działać). Zadania zaplanowane ustawiają na niego STOCKFLOOR_TOKEN i działają jako NAME.</translation>
    </message>
    <message>
        <source>user name the token acts as</source>
        <translation>nazwa użytkownika, w imieniu którego działa token</translation>
    </message>
</context>
<context>
    <name>cli reasons</name>
    <message>
        <source>byte 0x{byte} at character {position} is not UTF-8 text (save the file as &apos;CSV UTF-8&apos;)</source>
        <translation>bajt 0x{byte} na znaku {position} nie jest tekstem UTF-8 (zapisz plik jako „CSV UTF-8”)</translation>
    </message>
    <message>
        <source>the file is empty: a header row is required</source>
        <translation>plik jest pusty: wymagany jest wiersz nagłówka</translation>
    </message>
    <message>
        <source>cannot be read as CSV: {error}</source>
        <translation>nie można odczytać jako CSV: {error}</translation>
    </message>
    <message>
        <source>the file has a header but no rows</source>
        <translation>plik ma nagłówek, ale nie ma wierszy</translation>
    </message>
    <message>
        <source>required column is missing</source>
        <translation>brak wymaganej kolumny</translation>
    </message>
    <message>
        <source>unknown column (known: {columns})</source>
        <translation>nieznana kolumna (znane: {columns})</translation>
    </message>
    <message>
        <source>column appears twice</source>
        <translation>kolumna występuje dwa razy</translation>
    </message>
    <message>
        <source>value in a column without a header</source>
        <translation>wartość w kolumnie bez nagłówka</translation>
    </message>
    <message>
        <source>required, but empty</source>
        <translation>wymagane, ale puste</translation>
    </message>
    <message>
        <source>contains a control character (0x{code})</source>
        <translation>zawiera znak sterujący (0x{code})</translation>
    </message>
    <message>
        <source>longer than {length} characters</source>
        <translation>dłuższe niż {length} znaków</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not a whole number</source>
        <translation>„{value}” nie jest liczbą całkowitą</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not a number (decimals take a dot)</source>
        <translation>„{value}” nie jest liczbą (część dziesiętna po kropce)</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not a number the database can hold</source>
        <translation>„{value}” nie jest liczbą, którą baza danych może zapisać</translation>
    </message>
    <message>
        <source>must be at least {minimum}, got {value}</source>
        <translation>musi wynosić co najmniej {minimum}, podano {value}</translation>
    </message>
    <message>
        <source>must be between {low} and {high}, got {value}</source>
        <translation>musi mieścić się między {low} a {high}, podano {value}</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not yes or no</source>
        <translation>„{value}” nie jest ani yes, ani no</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not a date as YYYY-MM-DD</source>
        <translation>„{value}” nie jest datą w formacie RRRR-MM-DD</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not one of {choices}</source>
        <translation>„{value}” nie jest żadną z wartości {choices}</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not a GTIN (8, 12, 13 or 14 digits)</source>
        <translation>„{value}” nie jest numerem GTIN (8, 12, 13 lub 14 cyfr)</translation>
    </message>
    <message>
        <source>check digit of {code} should be {expected}, not {found}</source>
        <translation>cyfra kontrolna {code} powinna wynosić {expected}, nie {found}</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not a barcode (1-64 characters, no spaces)</source>
        <translation>„{value}” nie jest kodem kreskowym (1–64 znaki, bez spacji)</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not a barcode (digits are 0-9)</source>
        <translation>„{value}” nie jest kodem kreskowym (cyfry to 0–9)</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; after {code}: is not a whole number</source>
        <translation>„{value}” po {code}: nie jest liczbą całkowitą</translation>
    </message>
    <message>
        <source>{code}: a pack holds at most {limit} units</source>
        <translation>{code}: opakowanie mieści najwyżej {limit} sztuk</translation>
    </message>
    <message>
        <source>{code}: a pack holds at least 1 unit</source>
        <translation>{code}: opakowanie mieści co najmniej 1 sztukę</translation>
    </message>
    <message>
        <source>{value} is already on row {row}</source>
        <translation>{value} jest już w wierszu {row}</translation>
    </message>
    <message>
        <source>this SKU is already on row {row}</source>
        <translation>ten SKU jest już w wierszu {row}</translation>
    </message>
    <message>
        <source>this line number is already on row {row}</source>
        <translation>ten numer pozycji jest już w wierszu {row}</translation>
    </message>
    <message>
        <source>a rule for this target is already on row {row}</source>
        <translation>reguła dla tego celu jest już w wierszu {row}</translation>
    </message>
    <message>
        <source>this SKU, location, lot and license plate is already on row {row}</source>
        <translation>to połączenie SKU, lokalizacji, partii i nośnika jest już w wierszu {row}</translation>
    </message>
    <message>
        <source>not valid JSON: {error} (column {column})</source>
        <translation>nieprawidłowy JSON: {error} (kolumna {column})</translation>
    </message>
    <message>
        <source>not valid JSON: {error}</source>
        <translation>nieprawidłowy JSON: {error}</translation>
    </message>
    <message>
        <source>nested deeper than {depth} levels</source>
        <translation>zagnieżdżone głębiej niż {depth} poziomów</translation>
    </message>
    <message>
        <source>expected a list of {what}</source>
        <translation>oczekiwano listy {what}</translation>
    </message>
    <message>
        <source>unknown field</source>
        <translation>nieznane pole</translation>
    </message>
    <message>
        <source>must be {kind}</source>
        <translation>musi być: {kind}</translation>
    </message>
    <message>
        <source>required with case_gtin</source>
        <translation>wymagane przy case_gtin</translation>
    </message>
    <message>
        <source>case_qty is given, but no case_gtin</source>
        <translation>podano case_qty, ale brak case_gtin</translation>
    </message>
    <message>
        <source>barcode {code} is already on row {row}</source>
        <translation>kod kreskowy {code} jest już w wierszu {row}</translation>
    </message>
    <message>
        <source>barcode {code} is already on this row</source>
        <translation>kod kreskowy {code} jest już w tym wierszu</translation>
    </message>
    <message>
        <source>barcode {code} belongs to {sku}</source>
        <translation>kod kreskowy {code} należy do {sku}</translation>
    </message>
    <message>
        <source>expiry is kept per lot: set tracking to lot or serial</source>
        <translation>data ważności jest prowadzona na partię: ustaw tracking na lot lub serial</translation>
    </message>
    <message>
        <source>{sku} has stock: {field} cannot change from {old} to {new}</source>
        <translation>{sku} ma zapas: {field} nie może zmienić się z {old} na {new}</translation>
    </message>
    <message>
        <source>{value} is already used on row {row}</source>
        <translation>{value} jest już użyte w wierszu {row}</translation>
    </message>
    <message>
        <source>{value} is already used by location {location}</source>
        <translation>{value} jest już używane przez lokalizację {location}</translation>
    </message>
    <message>
        <source>{location} has stock history: it cannot change from {old} to {new}</source>
        <translation>{location} ma historię zapasów: nie może zmienić się z {old} na {new}</translation>
    </message>
    <message>
        <source>a PIN is 4 to 12 digits</source>
        <translation>PIN ma od 4 do 12 cyfr</translation>
    </message>
    <message>
        <source>required for a new user</source>
        <translation>wymagane dla nowego użytkownika</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not a language code like en or es</source>
        <translation>„{value}” nie jest kodem języka, np. en lub es</translation>
    </message>
    <message>
        <source>{badge} is the badge of {user}</source>
        <translation>{badge} to identyfikator użytkownika {user}</translation>
    </message>
    <message>
        <source>no product {sku} (import products first)</source>
        <translation>brak produktu {sku} (najpierw zaimportuj produkty)</translation>
    </message>
    <message>
        <source>no location {location} (import locations first)</source>
        <translation>brak lokalizacji {location} (najpierw zaimportuj lokalizacje)</translation>
    </message>
    <message>
        <source>no location {location}</source>
        <translation>brak lokalizacji {location}</translation>
    </message>
    <message>
        <source>{number} is {status} and cannot be replaced</source>
        <translation>{number} ma status {status} i nie może zostać zastąpione</translation>
    </message>
    <message>
        <source>{number} is open and cannot be replaced</source>
        <translation>{number} jest otwarte i nie może zostać zastąpione</translation>
    </message>
    <message>
        <source>{number} is partially received and cannot be replaced</source>
        <translation>{number} jest częściowo przyjęte i nie może zostać zastąpione</translation>
    </message>
    <message>
        <source>{number} is received and cannot be replaced</source>
        <translation>{number} jest przyjęte i nie może zostać zastąpione</translation>
    </message>
    <message>
        <source>{number} is closed and cannot be replaced</source>
        <translation>{number} jest zamknięte i nie może zostać zastąpione</translation>
    </message>
    <message>
        <source>{number} says {first} on row {row}, {here} here</source>
        <translation>{number} ma {first} w wierszu {row}, a tutaj {here}</translation>
    </message>
    <message>
        <source>{location} is a {kind} location, not a storage bin or pick face</source>
        <translation>{location} jest lokalizacją typu {kind}, nie miejscem składowania ani miejscem kompletacji</translation>
    </message>
    <message>
        <source>{location} is not a storage bin or pick face</source>
        <translation>{location} nie jest miejscem składowania ani miejscem kompletacji</translation>
    </message>
    <message>
        <source>{location} is a {kind} location, not a pick face</source>
        <translation>{location} jest lokalizacją typu {kind}, nie miejscem kompletacji</translation>
    </message>
    <message>
        <source>{location} is a virtual {kind} location: it holds no stock</source>
        <translation>{location} jest wirtualną lokalizacją typu {kind}: nie przechowuje zapasu</translation>
    </message>
    <message>
        <source>{location} is blocked: it takes no stock</source>
        <translation>{location} jest zablokowana: nie przyjmuje zapasu</translation>
    </message>
    <message>
        <source>must not be 0</source>
        <translation>nie może wynosić 0</translation>
    </message>
    <message>
        <source>{sku} is not lot or serial tracked: leave it blank</source>
        <translation>{sku} nie jest śledzony po partii ani numerze seryjnym: zostaw puste</translation>
    </message>
    <message>
        <source>{sku} is {tracking} tracked: a {what} is required</source>
        <translation>{sku} jest śledzony wg {tracking}: wymagane jest {what}</translation>
    </message>
    <message>
        <source>{sku} is lot tracked: a lot is required</source>
        <translation>{sku} jest śledzony po partii: wymagana jest partia</translation>
    </message>
    <message>
        <source>{sku} is serial tracked: a serial number is required</source>
        <translation>{sku} jest śledzony po numerze seryjnym: wymagany jest numer seryjny</translation>
    </message>
    <message>
        <source>{sku} is serial tracked: one unit per row (1 or -1)</source>
        <translation>{sku} jest śledzony po numerze seryjnym: jedna sztuka na wiersz (1 lub -1)</translation>
    </message>
    <message>
        <source>an expiry belongs to a lot: give the lot too</source>
        <translation>data ważności należy do partii: podaj też partię</translation>
    </message>
    <message>
        <source>lot {lot} of {sku} expires on {expiry}, not {given}</source>
        <translation>partia {lot} produktu {sku} traci ważność {expiry}, nie {given}</translation>
    </message>
    <message>
        <source>{sku} has expiry dates: a new lot needs one</source>
        <translation>{sku} ma daty ważności: nowa partia jej wymaga</translation>
    </message>
    <message>
        <source>{plate} holds stock in another location</source>
        <translation>{plate} zawiera zapas w innej lokalizacji</translation>
    </message>
    <message>
        <source>serial {serial} of {sku} is already in stock</source>
        <translation>numer seryjny {serial} produktu {sku} jest już na stanie</translation>
    </message>
    <message>
        <source>{location} has {free} free units of {sku} there (on hand {on_hand}, reserved {reserved}); cannot take {quantity}</source>
        <translation>{location} ma tam {free} wolnych sztuk {sku} (na stanie {on_hand}, zarezerwowane {reserved}); nie można pobrać {quantity}</translation>
    </message>
    <message>
        <source>only a product has a home location</source>
        <translation>tylko produkt ma stałą lokalizację</translation>
    </message>
    <message>
        <source>a zone rule cannot prefer a zone</source>
        <translation>reguła strefy nie może preferować strefy</translation>
    </message>
    <message>
        <source>a zone rule cannot allow zones</source>
        <translation>reguła strefy nie może dopuszczać stref</translation>
    </message>
    <message>
        <source>&apos;{zone}&apos; is not among the allowed zones</source>
        <translation>„{zone}” nie należy do dozwolonych stref</translation>
    </message>
    <message>
        <source>cannot be negative</source>
        <translation>nie może być ujemne</translation>
    </message>
    <message>
        <source>must be more than min ({minimum})</source>
        <translation>musi być większe niż min ({minimum})</translation>
    </message>
    <message>
        <source>must be at least 1</source>
        <translation>musi wynosić co najmniej 1</translation>
    </message>
    <message>
        <source>one unit ({unit}) does not fit below max ({maximum})</source>
        <translation>jedna jednostka ({unit}) nie mieści się poniżej max ({maximum})</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not a two-letter country code</source>
        <translation>„{value}” nie jest dwuliterowym kodem kraju</translation>
    </message>
    <message>
        <source>differs from row {row} of order {order}</source>
        <translation>różni się od wiersza {row} zamówienia {order}</translation>
    </message>
    <message>
        <source>{sku} is already on row {row} of order {order}</source>
        <translation>{sku} jest już w wierszu {row} zamówienia {order}</translation>
    </message>
    <message>
        <source>{channel} order {order} is already order {first} of this file</source>
        <translation>zamówienie {channel} {order} jest już zamówieniem {first} tego pliku</translation>
    </message>
    <message>
        <source>an order must be an object</source>
        <translation>zamówienie musi być obiektem</translation>
    </message>
    <message>
        <source>required: an object with name, address1, city, postcode, country</source>
        <translation>wymagane: obiekt z name, address1, city, postcode, country</translation>
    </message>
    <message>
        <source>required: a list of {sku, quantity}</source>
        <translation>wymagane: lista {sku, quantity}</translation>
    </message>
    <message>
        <source>a line must be an object with sku and quantity</source>
        <translation>pozycja musi być obiektem z sku i quantity</translation>
    </message>
    <message>
        <source>unknown SKU {sku}</source>
        <translation>nieznany SKU {sku}</translation>
    </message>
    <message>
        <source>{channel} order {order} already exists</source>
        <translation>zamówienie {channel} {order} już istnieje</translation>
    </message>
    <message>
        <source>RMA {rma} says order {order} on row {row}</source>
        <translation>RMA {rma} wskazuje zamówienie {order} w wierszu {row}</translation>
    </message>
    <message>
        <source>{sku} is already on row {row} of RMA {rma}</source>
        <translation>{sku} jest już w wierszu {row} RMA {rma}</translation>
    </message>
    <message>
        <source>{channel} RMA {rma} is already RMA {first} of this file</source>
        <translation>RMA {channel} {rma} jest już RMA {first} tego pliku</translation>
    </message>
    <message>
        <source>an RMA must be an object</source>
        <translation>RMA musi być obiektem</translation>
    </message>
    <message>
        <source>required: a list of {sku, quantity, reason}</source>
        <translation>wymagane: lista {sku, quantity, reason}</translation>
    </message>
    <message>
        <source>a line must be an object with sku, quantity and reason</source>
        <translation>pozycja musi być obiektem z sku, quantity i reason</translation>
    </message>
    <message>
        <source>no {channel} order {order}</source>
        <translation>brak zamówienia {channel} {order}</translation>
    </message>
    <message>
        <source>{channel} RMA {rma} already exists and units of it have arrived</source>
        <translation>RMA {channel} {rma} już istnieje i dotarły już jej sztuki</translation>
    </message>
    <message>
        <source>{sku} was not shipped on {channel} order {order}</source>
        <translation>{sku} nie został wysłany w zamówieniu {channel} {order}</translation>
    </message>
    <message>
        <source>{quantity} x {sku} announced, only {left} of the {shipped} shipped can still come back</source>
        <translation>zapowiedziano {quantity} x {sku}, z {shipped} wysłanych może wrócić jeszcze tylko {left}</translation>
    </message>
    <message>
        <source>required when kind is {kind}</source>
        <translation>wymagane, gdy kind to {kind}</translation>
    </message>
    <message>
        <source>the depot must be on the front cross aisle (y = 0)</source>
        <translation>depot musi leżeć przy przedniej alejce poprzecznej (y = 0)</translation>
    </message>
    <message>
        <source>a middle cross aisle lies beyond the front (y &gt; 0)</source>
        <translation>środkowa alejka poprzeczna leży za przednią (y &gt; 0)</translation>
    </message>
    <message>
        <source>the layout needs at least one aisle row</source>
        <translation>układ wymaga co najmniej jednego wiersza alejki</translation>
    </message>
    <message>
        <source>only one depot row</source>
        <translation>tylko jeden wiersz depot</translation>
    </message>
    <message>
        <source>beyond the aisles&apos; length {length}</source>
        <translation>poza długością alejek {length}</translation>
    </message>
    <message>
        <source>a layout needs at least one aisle</source>
        <translation>układ wymaga co najmniej jednej alejki</translation>
    </message>
    <message>
        <source>every coordinate must be a finite number</source>
        <translation>każda współrzędna musi być liczbą skończoną</translation>
    </message>
    <message>
        <source>aisle x coordinates must be strictly increasing ({first}, {second})</source>
        <translation>współrzędne x alejek muszą ściśle rosnąć ({first}, {second})</translation>
    </message>
    <message>
        <source>aisle length must be positive</source>
        <translation>długość alejki musi być dodatnia</translation>
    </message>
    <message>
        <source>middle cross aisles must increase strictly inside (0, {length})</source>
        <translation>środkowe alejki poprzeczne muszą ściśle rosnąć wewnątrz (0, {length})</translation>
    </message>
    <message>
        <source>column {number}</source>
        <translation>kolumna {number}</translation>
    </message>
</context>
<context>
    <name>deviation reasons</name>
    <message>
        <source>Suggested bin is full</source>
        <translation>Sugerowana lokalizacja jest pełna</translation>
    </message>
    <message>
        <source>Suggested bin is blocked physically</source>
        <translation>Sugerowana lokalizacja jest fizycznie zablokowana</translation>
    </message>
    <message>
        <source>Better location</source>
        <translation>Lepsza lokalizacja</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Inne</translation>
    </message>
</context>
<context>
    <name>error words</name>
    <message>
        <source>product</source>
        <translation>produkt</translation>
    </message>
    <message>
        <source>location</source>
        <translation>lokalizacja</translation>
    </message>
    <message>
        <source>license plate</source>
        <translation>nośnik</translation>
    </message>
    <message>
        <source>purchase order</source>
        <translation>zamówienie zakupu</translation>
    </message>
    <message>
        <source>badge</source>
        <translation>identyfikator</translation>
    </message>
    <message>
        <source>command</source>
        <translation>polecenie</translation>
    </message>
    <message>
        <source>a product</source>
        <translation>produkt</translation>
    </message>
    <message>
        <source>a location</source>
        <translation>lokalizację</translation>
    </message>
    <message>
        <source>a license plate</source>
        <translation>nośnik</translation>
    </message>
    <message>
        <source>a purchase order</source>
        <translation>zamówienie zakupu</translation>
    </message>
    <message>
        <source>a badge</source>
        <translation>identyfikator</translation>
    </message>
    <message>
        <source>a command</source>
        <translation>polecenie</translation>
    </message>
    <message>
        <source>open</source>
        <translation>otwarte</translation>
    </message>
    <message>
        <source>partially received</source>
        <translation>częściowo przyjęte</translation>
    </message>
    <message>
        <source>received</source>
        <translation>przyjęte</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>zamknięte</translation>
    </message>
    <message>
        <source>receive</source>
        <translation>przyjąć</translation>
    </message>
    <message>
        <source>complete</source>
        <translation>zakończyć</translation>
    </message>
    <message>
        <source>close short</source>
        <translation>zamknąć z brakiem</translation>
    </message>
    <message>
        <source>approve</source>
        <translation>zatwierdzić</translation>
    </message>
    <message>
        <source>quantity</source>
        <translation>ilość</translation>
    </message>
    <message>
        <source>Purchase order</source>
        <translation>Zamówienie zakupu</translation>
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
        <translation>GTIN zawartości</translation>
    </message>
    <message>
        <source>lot</source>
        <translation>partia</translation>
    </message>
    <message>
        <source>production date</source>
        <translation>data produkcji</translation>
    </message>
    <message>
        <source>due date</source>
        <translation>termin płatności</translation>
    </message>
    <message>
        <source>packaging date</source>
        <translation>data pakowania</translation>
    </message>
    <message>
        <source>best before date</source>
        <translation>data minimalnej trwałości</translation>
    </message>
    <message>
        <source>sell by date</source>
        <translation>termin sprzedaży</translation>
    </message>
    <message>
        <source>expiry date</source>
        <translation>data ważności</translation>
    </message>
    <message>
        <source>serial number</source>
        <translation>numer seryjny</translation>
    </message>
    <message>
        <source>count</source>
        <translation>liczba sztuk</translation>
    </message>
    <message>
        <source>net weight</source>
        <translation>waga netto</translation>
    </message>
    <message>
        <source>its fields do not follow the GS1 rules</source>
        <translation>jego pola nie są zgodne z regułami GS1</translation>
    </message>
    <message>
        <source> or </source>
        <translation> lub </translation>
    </message>
    <message>
        <source>This step</source>
        <translation>Ten krok</translation>
    </message>
    <message>
        <source>This document</source>
        <translation>Ten dokument</translation>
    </message>
    <message>
        <source>This pick task</source>
        <translation>To zadanie kompletacji</translation>
    </message>
    <message>
        <source>A product not on the document</source>
        <translation>Produkt spoza dokumentu</translation>
    </message>
    <message>
        <source>Receiving more than expected</source>
        <translation>Przyjęcie większej ilości niż oczekiwano</translation>
    </message>
    <message>
        <source>Another bin than the suggested one</source>
        <translation>Inna lokalizacja niż proponowana</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <source>Something went wrong.</source>
        <translation>Coś poszło nie tak.</translation>
    </message>
    <message>
        <source>This scan could not be read.</source>
        <translation>Nie można odczytać tego skanu.</translation>
    </message>
    <message>
        <source>The scan was empty.</source>
        <translation>Skan był pusty.</translation>
    </message>
    <message>
        <source>&apos;{raw}&apos; contains characters a barcode cannot hold.</source>
        <translation>&apos;{raw}&apos; zawiera znaki, których kod kreskowy nie może zawierać.</translation>
    </message>
    <message>
        <source>{kind} check digit is {got}, expected {expected} (&apos;{code}&apos;).</source>
        <translation>Cyfra kontrolna {kind} to {got}, oczekiwano {expected} (&apos;{code}&apos;).</translation>
    </message>
    <message>
        <source>&apos;{raw}&apos; looks like a GS1 barcode but cannot be read: {reason}</source>
        <translation>&apos;{raw}&apos; wygląda jak kod GS1, ale nie można go odczytać: {reason}</translation>
    </message>
    <message>
        <source>&apos;{code}&apos; is not a known product, location, license plate, document or badge.</source>
        <translation>&apos;{code}&apos; nie jest znanym produktem, lokalizacją, nośnikiem, dokumentem ani identyfikatorem.</translation>
    </message>
    <message>
        <source>{code} is a {got}, scan {expected}.</source>
        <translation>{code} to {got}, zeskanuj {expected}.</translation>
    </message>
    <message>
        <source>Only {available} of {sku} at {location}, {requested} needed.</source>
        <translation>Tylko {available} z {sku} w {location}, potrzeba {requested}.</translation>
    </message>
    <message>
        <source>Location {location} is blocked.</source>
        <translation>Lokalizacja {location} jest zablokowana.</translation>
    </message>
    <message>
        <source>{who} may not {action}.</source>
        <translation>{who} nie może {action}.</translation>
    </message>
    <message>
        <source>{reason} A supervisor must approve.</source>
        <translation>{reason} Kierownik musi zatwierdzić.</translation>
    </message>
    <message>
        <source>{document} is {state}: &apos;{action}&apos; is not possible.</source>
        <translation>{document} jest {state}: &apos;{action}&apos; nie jest możliwe.</translation>
    </message>
    <message>
        <source>{what} &apos;{key}&apos; does not exist.</source>
        <translation>{what} &apos;{key}&apos; nie istnieje.</translation>
    </message>
    <message>
        <source>{field}: {reason}</source>
        <translation>{field}: {reason}</translation>
    </message>
    <message>
        <source>{sku} is tracked by lot: scan the lot (GS1 barcode) or enter it.</source>
        <translation>{sku} jest śledzony według partii: zeskanuj partię (kod GS1) lub ją wpisz.</translation>
    </message>
    <message>
        <source>{sku} needs an expiry date: scan the GS1 barcode or enter it.</source>
        <translation>{sku} wymaga daty ważności: zeskanuj kod GS1 lub ją wpisz.</translation>
    </message>
    <message>
        <source>{sku} lot {lot} expires {expiry}.</source>
        <translation>{sku} partia {lot} traci ważność {expiry}.</translation>
    </message>
    <message>
        <source>{sku} lot {lot} expired on {expiry}.</source>
        <translation>{sku} partia {lot} straciła ważność {expiry}.</translation>
    </message>
    <message>
        <source>{sku} lot {lot} expires {expiry}: {days} days left, at least {minimum} required.</source>
        <translation>{sku} partia {lot} traci ważność {expiry}: zostało dni: {days}, wymagane co najmniej {minimum}.</translation>
    </message>
    <message>
        <source>The database {where} cannot be reached: {reason}</source>
        <translation>Baza danych {where} jest nieosiągalna: {reason}</translation>
    </message>
    <message>
        <source>The database {where} was written by a newer Stockfloor (schema {revision}). Update Stockfloor on this workstation.</source>
        <translation>Baza danych {where} została zapisana przez nowszy Stockfloor (schemat {revision}). Zaktualizuj Stockfloor na tym stanowisku.</translation>
    </message>
    <message>
        <source>The database {where} needs Stockfloor {required} or newer; this workstation runs {running}. Update Stockfloor on this workstation.</source>
        <translation>Baza danych {where} wymaga Stockfloor {required} lub nowszego; to stanowisko ma {running}. Zaktualizuj Stockfloor na tym stanowisku.</translation>
    </message>
    <message>
        <source>Badge or PIN not recognised.</source>
        <translation>Nie rozpoznano identyfikatora lub PIN-u.</translation>
    </message>
    <message>
        <source>Type the PIN of badge {badge}.</source>
        <translation>Wpisz PIN identyfikatora {badge}.</translation>
    </message>
    <message>
        <source>Too many wrong PINs: {name} is locked until {until}.</source>
        <translation>Za dużo błędnych PIN-ów: konto {name} jest zablokowane do {until}.</translation>
    </message>
    <message>
        <source>Badge {badge} belongs to a deactivated account.</source>
        <translation>Identyfikator {badge} należy do dezaktywowanego konta.</translation>
    </message>
    <message>
        <source>A supervisor must approve this.</source>
        <translation>Kierownik musi to zatwierdzić.</translation>
    </message>
    <message>
        <source>{sku} is not on {document}. A supervisor must approve receiving it.</source>
        <translation>{sku} nie ma w {document}. Kierownik musi zatwierdzić przyjęcie.</translation>
    </message>
    <message>
        <source>{sku}: {would_be} would be received, {expected} expected (tolerance {tolerance}%). A supervisor must approve.</source>
        <translation>{sku}: zostałoby przyjęte {would_be}, oczekiwano {expected} (tolerancja {tolerance}%). Kierownik musi zatwierdzić.</translation>
    </message>
    <message>
        <source>Serial {serial} of {sku} is already in stock.</source>
        <translation>Numer seryjny {serial} produktu {sku} jest już na stanie.</translation>
    </message>
    <message>
        <source>The scan is {length} characters long, a barcode here holds at most {limit}: scan one barcode at a time.</source>
        <translation>Liczba znaków w skanie: {length}, a kod kreskowy ma tu najwyżej {limit}: skanuj po jednym kodzie.</translation>
    </message>
    <message>
        <source>&apos;{raw}&apos; contains {char}, which is not a barcode digit: scan the barcode itself or type it with the digits 0-9.</source>
        <translation>&apos;{raw}&apos; zawiera {char}, co nie jest cyfrą kodu kreskowego: zeskanuj sam kod lub wpisz go cyframi 0-9.</translation>
    </message>
    <message>
        <source>The {field} {value} is not a date: check the label, or enter the date by hand.</source>
        <translation>{value} w polu {field} nie jest datą: sprawdź etykietę lub wpisz datę ręcznie.</translation>
    </message>
    <message>
        <source>The {field} in &apos;{raw}&apos; cannot be read (&apos;{value}&apos;): scan another label, or type the code.</source>
        <translation>Nie można odczytać pola {field} w &apos;{raw}&apos; (&apos;{value}&apos;): zeskanuj inną etykietę lub wpisz kod.</translation>
    </message>
    <message>
        <source>&apos;{raw}&apos; has no known GS1 field at &apos;{value}&apos;: scan another label, or type the code.</source>
        <translation>&apos;{raw}&apos; nie ma znanego pola GS1 w miejscu &apos;{value}&apos;: zeskanuj inną etykietę lub wpisz kod.</translation>
    </message>
    <message>
        <source>Count {count} is for {wanted} only; {sku} is not counted here.</source>
        <translation>Inwentaryzacja {count} dotyczy tylko {wanted}; {sku} nie jest tu liczony.</translation>
    </message>
    <message>
        <source>Nothing to count: {what}.</source>
        <translation>Nic do policzenia: {what}.</translation>
    </message>
    <message>
        <source>Nothing was counted at {location}: scan what is there, or confirm it is empty.</source>
        <translation>W {location} nic nie policzono: zeskanuj, co tam jest, lub potwierdź, że jest pusta.</translation>
    </message>
    <message>
        <source>Scan location {location} before counting in it.</source>
        <translation>Zeskanuj lokalizację {location} przed liczeniem w niej.</translation>
    </message>
    <message>
        <source>Serial {serial} of {sku} was already counted here.</source>
        <translation>Numer seryjny {serial} produktu {sku} został już tu policzony.</translation>
    </message>
    <message>
        <source>{location} is not part of count {count}.</source>
        <translation>{location} nie należy do inwentaryzacji {count}.</translation>
    </message>
    <message>
        <source>{sku} at {location} moved during the count: choose &apos;keep counted quantity&apos; or &apos;keep the difference&apos;.</source>
        <translation>{sku} w {location} przesunięto w trakcie liczenia: wybierz &apos;zachowaj policzoną ilość&apos; lub &apos;zachowaj różnicę&apos;.</translation>
    </message>
    <message>
        <source>{units} units were already counted at {location}: it is not empty.</source>
        <translation>W {location} policzono już {units} sztuk: nie jest pusta.</translation>
    </message>
    <message>
        <source>{file}: {count} problem(s), nothing was imported.</source>
        <translation>{file}: problemy: {count}, nic nie zaimportowano.</translation>
    </message>
    <message>
        <source>All {picked} {sku} of order {order} are packed: this one is extra.</source>
        <translation>Wszystkie {picked} {sku} z zamówienia {order} są spakowane: ta sztuka jest nadmiarowa.</translation>
    </message>
    <message>
        <source>Lot {scanned} of {sku} is not the one reserved: pick lot {expected}.</source>
        <translation>Partia {scanned} produktu {sku} nie jest zarezerwowana: pobierz partię {expected}.</translation>
    </message>
    <message>
        <source>No packed parcels are waiting for {carrier}.</source>
        <translation>Żadne spakowane paczki nie czekają na {carrier}.</translation>
    </message>
    <message>
        <source>Only {remaining} more {sku} to pick here, {units} scanned.</source>
        <translation>Tylko jeszcze {remaining} {sku} do pobrania tutaj, zeskanowano {units}.</translation>
    </message>
    <message>
        <source>Order {order} is missing {missing}: a supervisor must split the order to close it.</source>
        <translation>W zamówieniu {order} brakuje {missing}: kierownik musi podzielić zamówienie, aby je zamknąć.</translation>
    </message>
    <message>
        <source>Parcel {parcel} of order {order} is open: close it with its weight first.</source>
        <translation>Paczka {parcel} zamówienia {order} jest otwarta: najpierw ją zamknij z wagą.</translation>
    </message>
    <message>
        <source>Scan location {location} first.</source>
        <translation>Najpierw zeskanuj lokalizację {location}.</translation>
    </message>
    <message>
        <source>{scanned} is not the item to pick at {location}, pick {expected}.</source>
        <translation>{scanned} nie jest sztuką do pobrania w {location}, pobierz {expected}.</translation>
    </message>
    <message>
        <source>{scanned} is not the pick location, go to {expected}.</source>
        <translation>{scanned} nie jest lokalizacją pobrania, idź do {expected}.</translation>
    </message>
    <message>
        <source>{sku} is not on order {order}: put it aside.</source>
        <translation>{sku} nie ma w zamówieniu {order}: odłóż go na bok.</translation>
    </message>
    <message>
        <source>License plate {plate} moves whole: scan an item on it to move part of it.</source>
        <translation>Nośnik {plate} przesuwa się w całości: zeskanuj sztukę na nim, aby przesunąć część.</translation>
    </message>
    <message>
        <source>No {what} waits to be put away on {sources}.</source>
        <translation>Brak {what} czekających na rozlokowanie w {sources}.</translation>
    </message>
    <message>
        <source>{location} cannot take these goods.</source>
        <translation>{location} nie może przyjąć tego towaru.</translation>
    </message>
    <message>
        <source>{location} holds lot {other_lot} of {sku}; lots may not be mixed there.</source>
        <translation>{location} zawiera partię {other_lot} produktu {sku}; nie wolno tam mieszać partii.</translation>
    </message>
    <message>
        <source>{location} holds {used} units, room for {limit}: {adding} more do not fit.</source>
        <translation>{location} zawiera {used} sztuk, miejsce na {limit}: kolejne {adding} się nie zmieszczą.</translation>
    </message>
    <message>
        <source>{location} is a {kind} location: put away into a storage bin or pick face.</source>
        <translation>{location} jest lokalizacją typu {kind}: rozlokuj do lokalizacji składowania lub miejsca kompletacji.</translation>
    </message>
    <message>
        <source>{location} is full.</source>
        <translation>{location} jest pełna.</translation>
    </message>
    <message>
        <source>{location} would hold {would_be} l, its limit is {limit} l.</source>
        <translation>{location} miałaby {would_be} l, limit to {limit} l.</translation>
    </message>
    <message>
        <source>{location} would weigh {would_be} kg, its limit is {limit} kg.</source>
        <translation>{location} ważyłaby {would_be} kg, limit to {limit} kg.</translation>
    </message>
    <message>
        <source>{sku} may not be stored in zone {zone} ({location}); allowed zones: {allowed}.</source>
        <translation>{sku} nie może być składowany w strefie {zone} ({location}); dozwolone strefy: {allowed}.</translation>
    </message>
    <message>
        <source>{suggested} was suggested. A supervisor must approve using {location} instead.</source>
        <translation>Sugerowano {suggested}. Kierownik musi zatwierdzić użycie {location} zamiast tego.</translation>
    </message>
    <message>
        <source>{suggested} was suggested: say why {location} is used instead.</source>
        <translation>Sugerowano {suggested}: podaj, dlaczego używasz {location} zamiast tego.</translation>
    </message>
    <message>
        <source>The database {where} already holds data ({contents}). Use --force to erase everything in it and build the demo warehouse.</source>
        <translation>Baza danych {where} zawiera już dane ({contents}). Użyj --force, aby wszystko w niej skasować i zbudować magazyn demonstracyjny.</translation>
    </message>
    <message>
        <source>Nothing to print: {what}.</source>
        <translation>Nic do wydrukowania: {what}.</translation>
    </message>
    <message>
        <source>{count} labels in one job is too many; the most is {most}. Print a smaller selection.</source>
        <translation>{count} etykiet w jednym zadaniu to za dużo; najwyżej {most}. Wydrukuj mniejszy wybór.</translation>
    </message>
    <message>
        <source>Print job {job} is from {date}: only jobs of the last {days} days can be printed again.</source>
        <translation>Zadanie drukowania {job} jest z {date}: ponownie można drukować tylko zadania z ostatnich {days} dni.</translation>
    </message>
    <message>
        <source>Print job {job} was sent to the printer already: reprint it instead.</source>
        <translation>Zadanie drukowania {job} zostało już wysłane do drukarki: wydrukuj je ponownie.</translation>
    </message>
    <message>
        <source>Grade &apos;{grade}&apos; does not exist: use {grades}.</source>
        <translation>Ocena &apos;{grade}&apos; nie istnieje: użyj {grades}.</translation>
    </message>
    <message>
        <source>This disposition rule cannot be used: {reason}.</source>
        <translation>Tej reguły dyspozycji nie można użyć: {reason}.</translation>
    </message>
    <message>
        <source>{sku} was not shipped on order {order}: it cannot be returned on it.</source>
        <translation>{sku} nie został wysłany w zamówieniu {order}: nie można go w nim zwrócić.</translation>
    </message>
    <message>
        <source>{sku}: {shipped} shipped on order {order}, {returned} already returned. This one is more than was shipped.</source>
        <translation>{sku}: wysłano {shipped} w zamówieniu {order}, zwrócono już {returned}. Ta sztuka to więcej, niż wysłano.</translation>
    </message>
    <message>
        <source>No shipped order matches {code}: scan the RMA, the order number or the customer&apos;s parcel.</source>
        <translation>Żadne wysłane zamówienie nie pasuje do {code}: zeskanuj RMA, numer zamówienia lub paczkę klienta.</translation>
    </message>
    <message>
        <source>{code} matches several orders ({orders}): scan the RMA or the order number.</source>
        <translation>{code} pasuje do kilku zamówień ({orders}): zeskanuj RMA lub numer zamówienia.</translation>
    </message>
    <message>
        <source>{rma} has {count} unit(s) waiting for inspection: inspect them before closing.</source>
        <translation>{rma} ma sztuki czekające na kontrolę: {count}. Skontroluj je przed zamknięciem.</translation>
    </message>
    <message>
        <source>Scrapping {sku} (value {value}) is over {limit}. A supervisor must approve.</source>
        <translation>Złomowanie {sku} (wartość {value}) przekracza {limit}. Kierownik musi zatwierdzić.</translation>
    </message>
    <message>
        <source>Returning {sku} to the vendor (value {value}) is over {limit}. A supervisor must approve.</source>
        <translation>Zwrot {sku} do dostawcy (wartość {value}) przekracza {limit}. Kierownik musi zatwierdzić.</translation>
    </message>
    <message>
        <source>{sku}: the rules say {suggested}, not {chosen}. A supervisor must approve.</source>
        <translation>{sku}: reguły mówią {suggested}, nie {chosen}. Kierownik musi zatwierdzić.</translation>
    </message>
    <message>
        <source>There is no database at {path}. `stockfloor db upgrade` creates an empty one, `stockfloor demo` a demo warehouse.</source>
        <translation>W {path} nie ma bazy danych. `stockfloor db upgrade` tworzy pustą, `stockfloor demo` magazyn demonstracyjny.</translation>
    </message>
    <message>
        <source>The input ended before the {prompt} was typed. Run the command at a terminal, or pipe the answer in; scheduled jobs use STOCKFLOOR_TOKEN=&lt;token&gt; instead of a PIN (`stockfloor user token NAME`).</source>
        <translation>Wejście skończyło się, zanim wpisano {prompt}. Uruchom polecenie w terminalu albo przekaż odpowiedź potokiem; zadania zaplanowane używają STOCKFLOOR_TOKEN=&lt;token&gt; zamiast PIN-u (`stockfloor user token NAME`).</translation>
    </message>
    <message>
        <source>Commands that change data run as a named user: --user NAME (asks for the PIN), or STOCKFLOOR_TOKEN=&lt;token&gt; for scheduled jobs (`stockfloor user token NAME`).</source>
        <translation>Polecenia zmieniające dane działają jako konkretny użytkownik: --user NAZWA (pyta o PIN) lub STOCKFLOOR_TOKEN=&lt;token&gt; dla zadań zaplanowanych (`stockfloor user token NAZWA`).</translation>
    </message>
    <message>
        <source>The window cannot open: {reason}</source>
        <translation>Nie można otworzyć okna: {reason}</translation>
    </message>
    <message>
        <source>{location} holds no free {sku} to replenish from: scan a reserve bin that does.</source>
        <translation>{location} nie ma wolnego {sku} do uzupełnienia: zeskanuj lokację zapasu, która go ma.</translation>
    </message>
    <message>
        <source>{scanned} is not {expected}: take {expected}.</source>
        <translation>{scanned} to nie {expected}: weź {expected}.</translation>
    </message>
    <message>
        <source>{scanned} is not the pick face of {sku}: take it to {face}.</source>
        <translation>{scanned} to nie lokacja kompletacyjna {sku}: zanieś do {face}.</translation>
    </message>
    <message>
        <source>Replenishment {task} is {state}: nothing to do.</source>
        <translation>Uzupełnienie {task} ma stan {state}: nic do zrobienia.</translation>
    </message>
    <message>
        <source>{location} is a {kind} location: min / max belong to pick faces.</source>
        <translation>{location} to lokacja typu {kind}: min / maks dotyczą lokacji kompletacyjnych.</translation>
    </message>
    <message>
        <source>&apos;{code}&apos; is not on the local copy of {document}: scan it again when the database is back.</source>
        <translation>&apos;{code}&apos; nie ma w lokalnej kopii {document}: zeskanuj ponownie, gdy baza danych wróci.</translation>
    </message>
    <message>
        <source>{what} waits until the database is back: it cannot be done offline.</source>
        <translation>{what} czeka, aż baza danych wróci: nie można tego zrobić offline.</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Something went wrong and was written to the log. Please tell a supervisor.</source>
        <translation>Coś poszło nie tak i zostało zapisane w dzienniku. Powiadom kierownika.</translation>
    </message>
    <message>
        <source>Building the demo warehouse. This takes a few seconds the first time.</source>
        <translation>Budowanie magazynu demonstracyjnego. Za pierwszym razem trwa to kilka sekund.</translation>
    </message>
</context>
<context>
    <name>printing</name>
    <message>
        <source>Printing {title} on {printer}</source>
        <translation>Drukowanie {title} na {printer}</translation>
    </message>
    <message>
        <source>Drawing the pages of {title}…</source>
        <translation>Rysowanie stron: {title}…</translation>
    </message>
    <message>
        <source>Not printed: {reason} Retry it from Print jobs.</source>
        <translation>Nie wydrukowano: {reason} Ponów z Zadań drukowania.</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Kiedy</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Co</translation>
    </message>
    <message>
        <source>Labels / pages</source>
        <translation>Etykiety / strony</translation>
    </message>
    <message>
        <source>Printer</source>
        <translation>Drukarka</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Tries</source>
        <translation>Próby</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Według</translation>
    </message>
    <message>
        <source> (again)</source>
        <translation> (ponownie)</translation>
    </message>
    <message>
        <source>Location labels</source>
        <translation>Etykiety lokalizacji</translation>
    </message>
    <message>
        <source>Product labels</source>
        <translation>Etykiety produktów</translation>
    </message>
    <message>
        <source>License plate labels</source>
        <translation>Etykiety nośników</translation>
    </message>
    <message>
        <source>Receiving labels</source>
        <translation>Etykiety przyjęcia</translation>
    </message>
    <message>
        <source>Badges</source>
        <translation>Identyfikatory</translation>
    </message>
    <message>
        <source>Command sheet</source>
        <translation>Arkusz poleceń</translation>
    </message>
    <message>
        <source>Parcel labels</source>
        <translation>Etykiety paczek</translation>
    </message>
    <message>
        <source>Routing label</source>
        <translation>Etykieta kierunkowa</translation>
    </message>
    <message>
        <source>Receiving report</source>
        <translation>Raport przyjęcia</translation>
    </message>
    <message>
        <source>Put-away list</source>
        <translation>Lista rozlokowania</translation>
    </message>
    <message>
        <source>Packing slip</source>
        <translation>List przewozowy</translation>
    </message>
    <message>
        <source>PDF files in a folder</source>
        <translation>Pliki PDF w folderze</translation>
    </message>
    <message>
        <source>System printer</source>
        <translation>Drukarka systemowa</translation>
    </message>
    <message>
        <source>Label printer on the network (ZPL, port 9100)</source>
        <translation>Drukarka etykiet w sieci (ZPL, port 9100)</translation>
    </message>
    <message>
        <source>Label printer through a raw CUPS queue (ZPL)</source>
        <translation>Drukarka etykiet przez surową kolejkę CUPS (ZPL)</translation>
    </message>
    <message>
        <source>CUPS queue (PDF)</source>
        <translation>Kolejka CUPS (PDF)</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Oczekuje</translation>
    </message>
    <message>
        <source>Printed</source>
        <translation>Wydrukowano</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Niepowodzenie</translation>
    </message>
    <message>
        <source>2 x 1 in label</source>
        <translation>Etykieta 2 x 1 cal</translation>
    </message>
    <message>
        <source>4 x 3 in label</source>
        <translation>Etykieta 4 x 3 cale</translation>
    </message>
    <message>
        <source>4 x 6 in label</source>
        <translation>Etykieta 4 x 6 cali</translation>
    </message>
    <message>
        <source>A4 sheet, 3 x 8 labels</source>
        <translation>Arkusz A4, 3 x 8 etykiet</translation>
    </message>
    <message>
        <source>Letter sheet, 3 x 10 labels</source>
        <translation>Arkusz Letter, 3 x 10 etykiet</translation>
    </message>
    <message>
        <source>A4 page</source>
        <translation>Strona A4</translation>
    </message>
    <message>
        <source>Letter page</source>
        <translation>Strona Letter</translation>
    </message>
    <message>
        <source>Printer {printer} does not answer: it is switched off or not listening.</source>
        <translation>Drukarka {printer} nie odpowiada: jest wyłączona lub nie nasłuchuje.</translation>
    </message>
    <message>
        <source>Printer {printer} did not answer in time.</source>
        <translation>Drukarka {printer} nie odpowiedziała na czas.</translation>
    </message>
    <message>
        <source>The printer address {printer} is unknown.</source>
        <translation>Adres drukarki {printer} jest nieznany.</translation>
    </message>
    <message>
        <source>Printer {printer} cannot be reached over the network.</source>
        <translation>Drukarka {printer} jest nieosiągalna przez sieć.</translation>
    </message>
    <message>
        <source>There is no print queue called {printer}.</source>
        <translation>Nie ma kolejki drukowania o nazwie {printer}.</translation>
    </message>
    <message>
        <source>The print service (CUPS) of this workstation is not running.</source>
        <translation>Usługa drukowania (CUPS) tego stanowiska nie działa.</translation>
    </message>
    <message>
        <source>Print queue {printer} is not accepting jobs.</source>
        <translation>Kolejka drukowania {printer} nie przyjmuje zadań.</translation>
    </message>
    <message>
        <source>This workstation may not print to {printer}.</source>
        <translation>To stanowisko nie może drukować na {printer}.</translation>
    </message>
    <message>
        <source>The print command (lp) is not installed on this workstation.</source>
        <translation>Polecenie drukowania (lp) nie jest zainstalowane na tym stanowisku.</translation>
    </message>
    <message>
        <source>The file {printer} cannot be written.</source>
        <translation>Nie można zapisać pliku {printer}.</translation>
    </message>
    <message>
        <source>System printer {printer} cannot print.</source>
        <translation>Drukarka systemowa {printer} nie może drukować.</translation>
    </message>
    <message>
        <source>The labels cannot be drawn at this size: {reason}</source>
        <translation>Etykiet nie można narysować w tym rozmiarze: {reason}</translation>
    </message>
    <message>
        <source>What this job printed is no longer there: {reason}</source>
        <translation>To, co wydrukowało to zadanie, już nie istnieje: {reason}</translation>
    </message>
    <message>
        <source>Printing failed: {reason}</source>
        <translation>Drukowanie nie powiodło się: {reason}</translation>
    </message>
    <message>
        <source>Confirm</source>
        <translation>Potwierdź</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Anuluj</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Cofnij</translation>
    </message>
    <message>
        <source>Print</source>
        <translation>Drukuj</translation>
    </message>
    <message>
        <source>Empty</source>
        <translation>Pusta</translation>
    </message>
    <message>
        <source>Damaged</source>
        <translation>Uszkodzone</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Zamknij</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>Wyloguj</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>Ilość</translation>
    </message>
    <message>
        <source>Grade A</source>
        <translation>Ocena A</translation>
    </message>
    <message>
        <source>Grade B</source>
        <translation>Ocena B</translation>
    </message>
    <message>
        <source>Grade C</source>
        <translation>Ocena C</translation>
    </message>
    <message>
        <source>Grade D</source>
        <translation>Ocena D</translation>
    </message>
    <message>
        <source>Commands - {workstation}</source>
        <translation>Polecenia - {workstation}</translation>
    </message>
</context>
<context>
    <name>putaway reasons</name>
    <message>
        <source>{location} is the home location of {sku}.</source>
        <translation>{location} jest lokalizacją macierzystą {sku}.</translation>
    </message>
    <message>
        <source>{location} already holds lot {lot} of {sku}.</source>
        <translation>{location} zawiera już partię {lot} produktu {sku}.</translation>
    </message>
    <message>
        <source>{location} already holds {sku}.</source>
        <translation>{location} zawiera już {sku}.</translation>
    </message>
    <message>
        <source>{location} holds {sku} expiring {bin_expiry}, no later than this lot ({expiry}).</source>
        <translation>{location} zawiera {sku} z datą ważności {bin_expiry}, nie późniejszą niż ta partia ({expiry}).</translation>
    </message>
    <message>
        <source>{location} is the nearest empty bin in zone {zone}.</source>
        <translation>{location} to najbliższa pusta lokalizacja w strefie {zone}.</translation>
    </message>
    <message>
        <source>{location} is the nearest empty bin.</source>
        <translation>{location} to najbliższa pusta lokalizacja.</translation>
    </message>
    <message>
        <source>{location} is the nearest bin with room for {quantity} x {sku}.</source>
        <translation>{location} to najbliższa lokalizacja z miejscem na {quantity} x {sku}.</translation>
    </message>
    <message>
        <source>No bin can take {quantity} x {sku}: scan any bin that has room.</source>
        <translation>Żadna lokalizacja nie pomieści {quantity} x {sku}: zeskanuj dowolną lokalizację z miejscem.</translation>
    </message>
</context>
<context>
    <name>roles</name>
    <message>
        <source>operator</source>
        <translation>operator</translation>
    </message>
    <message>
        <source>supervisor</source>
        <translation>kierownik</translation>
    </message>
    <message>
        <source>admin</source>
        <translation>administrator</translation>
    </message>
</context>
<context>
    <name>short pick reasons</name>
    <message>
        <source>Bin empty</source>
        <translation>Lokalizacja pusta</translation>
    </message>
    <message>
        <source>Fewer in the bin than expected</source>
        <translation>W lokalizacji mniej niż oczekiwano</translation>
    </message>
    <message>
        <source>Damaged, cannot be sent</source>
        <translation>Uszkodzone, nie można wysłać</translation>
    </message>
    <message>
        <source>Another product in the bin</source>
        <translation>Inny produkt w lokalizacji</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Inne</translation>
    </message>
</context>
<context>
    <name>workflows</name>
    <message>
        <source>Receive</source>
        <translation>Przyjęcie</translation>
    </message>
    <message>
        <source>Put away</source>
        <translation>Rozlokowanie</translation>
    </message>
    <message>
        <source>Pick</source>
        <translation>Kompletacja</translation>
    </message>
    <message>
        <source>Pack</source>
        <translation>Pakowanie</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Inwentaryzacja</translation>
    </message>
    <message>
        <source>Returns</source>
        <translation>Zwroty</translation>
    </message>
    <message>
        <source>Review counts</source>
        <translation>Weryfikacja inwentaryzacji</translation>
    </message>
    <message>
        <source>Stock</source>
        <translation>Stan</translation>
    </message>
    <message>
        <source>Scan journal</source>
        <translation>Dziennik skanów</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Ustawienia</translation>
    </message>
    <message>
        <source>Printers</source>
        <translation>Drukarki</translation>
    </message>
    <message>
        <source>Print jobs</source>
        <translation>Zadania drukowania</translation>
    </message>
    <message>
        <source>Plan counts</source>
        <translation>Planowanie inwentaryzacji</translation>
    </message>
    <message>
        <source>Return report</source>
        <translation>Raport zwrotów</translation>
    </message>
    <message>
        <source>Waves and dispatch</source>
        <translation>Fale i wysyłka</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>Użytkownicy</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>Dziennik audytu</translation>
    </message>
    <message>
        <source>Scans required</source>
        <translation>Wymagane skanowanie</translation>
    </message>
    <message>
        <source>Replenish</source>
        <translation>Uzupełnianie</translation>
    </message>
    <message>
        <source>Count policy</source>
        <translation>Zasady inwentaryzacji</translation>
    </message>
    <message>
        <source>Pick faces</source>
        <translation>Lokacje kompletacyjne</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>Pulpit</translation>
    </message>
    <message>
        <source>Offline scans</source>
        <translation>Skany offline</translation>
    </message>
</context>
</TS>

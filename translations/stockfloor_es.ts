<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_ES">
<context>
    <name>Bridge</name>
    <message>
        <source>Nobody is logged in.</source>
        <translation>No hay nadie identificado.</translation>
    </message>
    <message>
        <source>Unexpected error ({kind}). The details are in the log.</source>
        <translation>Error inesperado ({kind}). Los detalles están en el registro.</translation>
    </message>
</context>
<context>
    <name>DatabaseTargetDialog</name>
    <message>
        <source>Database</source>
        <translation>Base de datos</translation>
    </message>
    <message>
        <source>Database of this workstation: a file path (SQLite, one workstation) or a PostgreSQL URL such as postgresql://stockfloor@server/warehouse (shared).</source>
        <translation>Base de datos de este puesto: una ruta de archivo (SQLite, un solo puesto) o una URL de PostgreSQL como postgresql://stockfloor@servidor/almacen (compartida).</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Reintentar</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Guardar</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Salir</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
</context>
<context>
    <name>FloorScreen</name>
    <message>
        <source>Esc: back</source>
        <extracomment>Changes that make refresh() run (e.g. Changes(stock=True, receipts=True)). The scan journal&apos;s context for failed scans on this screen. Take the focus back from buttons (floor screens); off where Tab should reach buttons.</extracomment>
        <translation>Esc: volver</translation>
    </message>
</context>
<context>
    <name>HomeScreen</name>
    <message>
        <source>Hello, {name}</source>
        <translation>Hola, {name}</translation>
    </message>
    <message>
        <source>Choose a task</source>
        <translation>Elija una tarea</translation>
    </message>
    <message>
        <source>No tasks are available for your role yet.</source>
        <translation>Todavía no hay tareas para su función.</translation>
    </message>
    <message>
        <source>Log out (Ctrl+L)</source>
        <translation>Cerrar sesión (Ctrl+L)</translation>
    </message>
    <message>
        <source>F1-F9: open a task    Tab, arrows: move    Enter: open    Ctrl+L or scan SF:LOGOUT: log out</source>
        <translation>F1-F9: abrir una tarea    Tab, flechas: moverse    Intro: abrir    Ctrl+L o escanear SF:LOGOUT: cerrar sesión</translation>
    </message>
    <message>
        <source>Choose a task first (F1-F9), then scan.</source>
        <translation>Elija primero una tarea (F1-F9) y luego escanee.</translation>
    </message>
</context>
<context>
    <name>LoginScreen</name>
    <message>
        <source>Stockfloor: log in</source>
        <translation>Stockfloor: identificación</translation>
    </message>
    <message>
        <source>Scan your badge</source>
        <translation>Escanee su tarjeta</translation>
    </message>
    <message>
        <source>Or type your user name and PIN</source>
        <translation>O escriba su usuario y su PIN</translation>
    </message>
    <message>
        <source>&amp;User name</source>
        <translation>&amp;Usuario</translation>
    </message>
    <message>
        <source>&amp;PIN</source>
        <translation>&amp;PIN</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>Entrar</translation>
    </message>
    <message>
        <source>Database... (F10)</source>
        <translation>Base de datos... (F10)</translation>
    </message>
    <message>
        <source>Database: {database}</source>
        <translation>Base de datos: {database}</translation>
    </message>
    <message>
        <source>Tab: type user name and PIN instead    F10: change the database</source>
        <translation>Tab: escribir usuario y PIN    F10: cambiar la base de datos</translation>
    </message>
    <message>
        <source>Type your user name, then your PIN.</source>
        <translation>Escriba su usuario y después su PIN.</translation>
    </message>
    <message>
        <source>Database set to {target}. Start Stockfloor again to use it.</source>
        <translation>Base de datos cambiada a {target}. Reinicie Stockfloor para usarla.</translation>
    </message>
</context>
<context>
    <name>LotDialog</name>
    <message>
        <source>Lot and expiry</source>
        <translation>Lote y caducidad</translation>
    </message>
    <message>
        <source>Lot or serial</source>
        <translation>Lote o número de serie</translation>
    </message>
    <message>
        <source>Expiry (required)</source>
        <translation>Caducidad (obligatoria)</translation>
    </message>
    <message>
        <source>Expiry (if printed)</source>
        <translation>Caducidad (si está impresa)</translation>
    </message>
    <message>
        <source>Scan the GS1 label or type the lot</source>
        <translation>Escanee la etiqueta GS1 o escriba el lote</translation>
    </message>
    <message>
        <source>YYYY-MM-DD</source>
        <translation>AAAA-MM-DD</translation>
    </message>
    <message>
        <source>Scan or type the lot first.</source>
        <translation>Primero escanee o escriba el lote.</translation>
    </message>
    <message>
        <source>&apos;{text}&apos; is not a date: type it as YYYY-MM-DD.</source>
        <translation>«{text}» no es una fecha: escríbala como AAAA-MM-DD.</translation>
    </message>
    <message>
        <source>This product needs an expiry date.</source>
        <translation>Este producto necesita fecha de caducidad.</translation>
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
        <translation>(datos de demostración)</translation>
    </message>
    <message>
        <source>Nobody logged in</source>
        <translation>Nadie identificado</translation>
    </message>
    <message>
        <source>{name} ({role})</source>
        <translation>{name} ({role})</translation>
    </message>
    <message>
        <source>Workstation {name}</source>
        <translation>Puesto {name}</translation>
    </message>
    <message>
        <source>Database {url}</source>
        <translation>Base de datos {url}</translation>
    </message>
</context>
<context>
    <name>OpenReceiptsList</name>
    <message>
        <source>{number}    {supplier}    {kind}    {done} of {expected} units</source>
        <translation>{number}    {supplier}    {kind}    {done} de {expected} unidades</translation>
    </message>
</context>
<context>
    <name>ReceiptLinesModel</name>
    <message>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>Expected</source>
        <translation>Esperado</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Recibido</translation>
    </message>
    <message>
        <source>Damaged</source>
        <translation>Dañado</translation>
    </message>
    <message>
        <source>Remaining</source>
        <translation>Pendiente</translation>
    </message>
</context>
<context>
    <name>ReceivingScreen</name>
    <message>
        <source>purchase order</source>
        <translation>pedido de compra</translation>
    </message>
    <message>
        <source>ASN</source>
        <translation>aviso de envío</translation>
    </message>
    <message>
        <source>Receive</source>
        <translation>Recibir</translation>
    </message>
    <message>
        <source>Scan a purchase order or ASN</source>
        <translation>Escanee un pedido de compra o un aviso de envío</translation>
    </message>
    <message>
        <source>Or choose an open receipt: arrow keys, then Enter</source>
        <translation>O elija una recepción abierta: flechas y luego Intro</translation>
    </message>
    <message>
        <source>No receipts are open.</source>
        <translation>No hay recepciones abiertas.</translation>
    </message>
    <message>
        <source>Up/Down + Enter: open the highlighted receipt    Esc: back</source>
        <translation>Arriba/Abajo + Intro: abrir la recepción marcada    Esc: volver</translation>
    </message>
    <message>
        <source>Type or scan the quantity for the next item, then Enter</source>
        <translation>Escriba o escanee la cantidad del siguiente artículo y pulse Intro</translation>
    </message>
    <message>
        <source>Scan a product of {number}</source>
        <translation>Escanee un producto de {number}</translation>
    </message>
    <message>
        <source>{done} of {expected} units</source>
        <translation>{done} de {expected} unidades</translation>
    </message>
    <message>
        <source>quantity {quantity}</source>
        <translation>cantidad {quantity}</translation>
    </message>
    <message>
        <source>DAMAGED, to quarantine</source>
        <translation>DAÑADO, a cuarentena</translation>
    </message>
    <message>
        <source>Next item: {marks}</source>
        <translation>Siguiente artículo: {marks}</translation>
    </message>
    <message>
        <source>F2 / SF:QTY: quantity    F4 / SF:DAMAGED: damaged    Ctrl+Z / SF:UNDO: undo
F8 / SF:CLOSE: close receipt    Esc / SF:CANCEL: clear marks, then leave receipt</source>
        <translation>F2 / SF:QTY: cantidad    F4 / SF:DAMAGED: dañado    Ctrl+Z / SF:UNDO: deshacer
F8 / SF:CLOSE: cerrar recepción    Esc / SF:CANCEL: quitar marcas y luego salir de la recepción</translation>
    </message>
    <message>
        <source>Open a receipt first: scan a purchase order or ASN.</source>
        <translation>Abra primero una recepción: escanee un pedido de compra o un aviso de envío.</translation>
    </message>
    <message>
        <source>{code} does nothing here. Scan a product of {number}.</source>
        <translation>{code} no hace nada aquí. Escanee un producto de {number}.</translation>
    </message>
    <message>
        <source>{number} from {supplier}: scan the first product</source>
        <translation>{number} de {supplier}: escanee el primer producto</translation>
    </message>
    <message>
        <source>No receipts are open. Scan a purchase order or ASN.</source>
        <translation>No hay recepciones abiertas. Escanee un pedido de compra o un aviso de envío.</translation>
    </message>
    <message>
        <source>DAMAGED +{units} {sku} {name} → {destination}</source>
        <translation>DAÑADO +{units} {sku} {name} → {destination}</translation>
    </message>
    <message>
        <source>+{units} {sku} {name} → {destination}</source>
        <translation>+{units} {sku} {name} → {destination}</translation>
    </message>
    <message>
        <source>lot {lot}</source>
        <translation>lote {lot}</translation>
    </message>
    <message>
        <source>expiry {date}</source>
        <translation>caducidad {date}</translation>
    </message>
    <message>
        <source>approved by {name}</source>
        <translation>aprobado por {name}</translation>
    </message>
    <message>
        <source>Already counted: {scan}</source>
        <translation>Ya contado: {scan}</translation>
    </message>
    <message>
        <source>(not on {number})</source>
        <translation>(no está en {number})</translation>
    </message>
    <message>
        <source>({done} of {expected})</source>
        <translation>({done} de {expected})</translation>
    </message>
    <message>
        <source>Not received: {reason}</source>
        <translation>No recibido: {reason}</translation>
    </message>
    <message>
        <source>Quantity: type or scan the number, then Enter</source>
        <translation>Cantidad: escriba o escanee el número y pulse Intro</translation>
    </message>
    <message>
        <source>A quantity is a number from 1 to {most}.</source>
        <translation>Una cantidad es un número de 1 a {most}.</translation>
    </message>
    <message>
        <source>Next item counts {quantity} times: scan it</source>
        <translation>El siguiente artículo cuenta {quantity} veces: escanéelo</translation>
    </message>
    <message>
        <source>Next item is DAMAGED: it goes to quarantine</source>
        <translation>El siguiente artículo está DAÑADO: va a cuarentena</translation>
    </message>
    <message>
        <source>Damaged mark removed</source>
        <translation>Marca de dañado quitada</translation>
    </message>
    <message>
        <source>Nothing of yours to undo on {number}</source>
        <translation>No tiene nada que deshacer en {number}</translation>
    </message>
    <message>
        <source>Undone: -{units} {sku} {name} from {location} {progress}</source>
        <translation>Deshecho: -{units} {sku} {name} de {location} {progress}</translation>
    </message>
    <message>
        <source>{number} received</source>
        <translation>{number} recibido</translation>
    </message>
    <message>
        <source>{number} stays open: {remaining} of {expected} units still expected</source>
        <translation>{number} sigue abierto: faltan {remaining} de {expected} unidades</translation>
    </message>
    <message>
        <source>Quantity and damaged marks cleared</source>
        <translation>Cantidad y marca de dañado borradas</translation>
    </message>
    <message>
        <source>Left {number}: everything scanned is saved</source>
        <translation>Ha salido de {number}: todo lo escaneado está guardado</translation>
    </message>
</context>
<context>
    <name>SettingsScreen</name>
    <message>
        <source>Saved. The database and workstation name apply when Stockfloor starts again.</source>
        <translation>Guardado. La base de datos y el nombre del puesto se aplican al reiniciar Stockfloor.</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Guardado.</translation>
    </message>
    <message>
        <source>Read “{code}” from a scanner.</source>
        <translation>Leído «{code}» desde un escáner.</translation>
    </message>
    <message>
        <source>Read “{code}” typed by hand (keys slower than the interval).</source>
        <translation>Leído «{code}» escrito a mano (teclas más lentas que el intervalo).</translation>
    </message>
    <message>
        <source>Workstation settings</source>
        <translation>Ajustes del puesto</translation>
    </message>
    <message>
        <source>This workstation</source>
        <translation>Este puesto</translation>
    </message>
    <message>
        <source>Scanner</source>
        <translation>Escáner</translation>
    </message>
    <message>
        <source>&amp;Database</source>
        <translation>&amp;Base de datos</translation>
    </message>
    <message>
        <source>&amp;Workstation name</source>
        <translation>&amp;Nombre del puesto</translation>
    </message>
    <message>
        <source>&amp;Language before log-in</source>
        <translation>&amp;Idioma antes de entrar</translation>
    </message>
    <message>
        <source>S&amp;ound</source>
        <translation>&amp;Sonido</translation>
    </message>
    <message>
        <source>&amp;Prefix</source>
        <translation>&amp;Prefijo</translation>
    </message>
    <message>
        <source>S&amp;uffix</source>
        <translation>S&amp;ufijo</translation>
    </message>
    <message>
        <source>&amp;Fastest typing</source>
        <translation>&amp;Tecleo más rápido</translation>
    </message>
    <message>
        <source>S&amp;ymbology identifier</source>
        <translation>Identificador de si&amp;mbología</translation>
    </message>
    <message>
        <source>&amp;Try a scan</source>
        <translation>P&amp;robar un escaneo</translation>
    </message>
    <message>
        <source>file path or postgresql://user@server/database</source>
        <translation>ruta de archivo o postgresql://usuario@servidor/base</translation>
    </message>
    <message>
        <source>Language of the system</source>
        <translation>Idioma del sistema</translation>
    </message>
    <message>
        <source>Beep for ok, attention and error</source>
        <translation>Pitido para correcto, atención y error</translation>
    </message>
    <message>
        <source>Enter</source>
        <translation>Intro</translation>
    </message>
    <message>
        <source>Tab</source>
        <translation>Tab</translation>
    </message>
    <message>
        <source>Keys closer together than this come from a scanner.</source>
        <translation>Las teclas más seguidas que esto vienen de un escáner.</translation>
    </message>
    <message>
        <source>The scanner sends ]C1, ]d2... before each code</source>
        <translation>El escáner envía ]C1, ]d2... antes de cada código</translation>
    </message>
    <message>
        <source>Save (Ctrl+S)</source>
        <translation>Guardar (Ctrl+S)</translation>
    </message>
    <message>
        <source>Tab: next field    Ctrl+S: save    Esc: back without saving</source>
        <translation>Tab: campo siguiente    Ctrl+S: guardar    Esc: volver sin guardar</translation>
    </message>
</context>
<context>
    <name>StockScreen</name>
    <message>
        <source>Stock on hand</source>
        <translation>Existencias</translation>
    </message>
    <message>
        <source>&amp;Search</source>
        <translation>&amp;Buscar</translation>
    </message>
    <message>
        <source>SKU, barcode, product name, location or lot</source>
        <translation>SKU, código de barras, nombre, ubicación o lote</translation>
    </message>
    <message>
        <source>History of the &amp;product</source>
        <translation>Historial del &amp;producto</translation>
    </message>
    <message>
        <source>History of the &amp;location</source>
        <translation>Historial de la &amp;ubicación</translation>
    </message>
    <message>
        <source>Enter: search    Down: to the results    Alt+P / Alt+L: history of product / location    Esc: back</source>
        <translation>Intro: buscar    Abajo: a los resultados    Alt+P / Alt+U: historial de producto / ubicación    Esc: volver</translation>
    </message>
    <message>
        <source>Nothing in stock matches “{text}”.</source>
        <translation>No hay existencias que coincidan con «{text}».</translation>
    </message>
    <message numerus="yes">
        <source>Showing the first %n row(s); scroll down for more.</source>
        <translation>
            <numerusform>Se muestra la primera fila; desplácese para ver más.</numerusform>
            <numerusform>Se muestran las primeras %n filas; desplácese para ver más.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n row(s).</source>
        <translation>
            <numerusform>%n fila.</numerusform>
            <numerusform>%n filas.</numerusform>
        </translation>
    </message>
    <message>
        <source>The search matches a great many items: type more of it.</source>
        <translation>La búsqueda coincide con muchísimos artículos: escriba más.</translation>
    </message>
    <message>
        <source>Select a row to see its moves.</source>
        <translation>Seleccione una fila para ver sus movimientos.</translation>
    </message>
    <message>
        <source>Moves of {sku}</source>
        <translation>Movimientos de {sku}</translation>
    </message>
    <message>
        <source>Moves at {location}</source>
        <translation>Movimientos en {location}</translation>
    </message>
</context>
<context>
    <name>StockTables</name>
    <message>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Producto</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>Ubicación</translation>
    </message>
    <message>
        <source>Lot</source>
        <translation>Lote</translation>
    </message>
    <message>
        <source>Expiry</source>
        <translation>Caducidad</translation>
    </message>
    <message>
        <source>License plate</source>
        <translation>Matrícula</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>Cantidad</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Cuándo</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Desde</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Hasta</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motivo</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Por</translation>
    </message>
    <message>
        <source>Workstation</source>
        <translation>Puesto</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>Documento</translation>
    </message>
</context>
<context>
    <name>SupervisorApprovalDialog</name>
    <message>
        <source>Supervisor approval</source>
        <translation>Aprobación de un supervisor</translation>
    </message>
    <message>
        <source>Supervisor badge</source>
        <translation>Tarjeta del supervisor</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
</context>
<context>
    <name>error words</name>
    <message>
        <source>product</source>
        <translation>un producto</translation>
    </message>
    <message>
        <source>location</source>
        <translation>una ubicación</translation>
    </message>
    <message>
        <source>license plate</source>
        <translation>una matrícula</translation>
    </message>
    <message>
        <source>purchase order</source>
        <translation>un pedido de compra</translation>
    </message>
    <message>
        <source>badge</source>
        <translation>una tarjeta</translation>
    </message>
    <message>
        <source>command</source>
        <translation>un comando</translation>
    </message>
    <message>
        <source>a product</source>
        <translation>un producto</translation>
    </message>
    <message>
        <source>a location</source>
        <translation>una ubicación</translation>
    </message>
    <message>
        <source>a license plate</source>
        <translation>una matrícula</translation>
    </message>
    <message>
        <source>a purchase order</source>
        <translation>un pedido de compra</translation>
    </message>
    <message>
        <source>a badge</source>
        <translation>una tarjeta</translation>
    </message>
    <message>
        <source>a command</source>
        <translation>un comando</translation>
    </message>
    <message>
        <source>open</source>
        <translation>abierto</translation>
    </message>
    <message>
        <source>partially received</source>
        <translation>recibido en parte</translation>
    </message>
    <message>
        <source>received</source>
        <translation>recibido</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>cerrado</translation>
    </message>
    <message>
        <source>receive</source>
        <translation>recibir</translation>
    </message>
    <message>
        <source>complete</source>
        <translation>completar</translation>
    </message>
    <message>
        <source>close short</source>
        <translation>cerrar incompleto</translation>
    </message>
    <message>
        <source>approve</source>
        <translation>aprobar</translation>
    </message>
    <message>
        <source>quantity</source>
        <translation>cantidad</translation>
    </message>
    <message>
        <source>Purchase order</source>
        <translation>Pedido de compra</translation>
    </message>
    <message>
        <source> or </source>
        <translation> o </translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <source>Something went wrong.</source>
        <translation>Algo ha fallado.</translation>
    </message>
    <message>
        <source>This scan could not be read.</source>
        <translation>No se pudo leer este escaneo.</translation>
    </message>
    <message>
        <source>The scan was empty.</source>
        <translation>El escaneo estaba vacío.</translation>
    </message>
    <message>
        <source>&apos;{raw}&apos; contains characters a barcode cannot hold.</source>
        <translation>«{raw}» contiene caracteres que un código de barras no puede llevar.</translation>
    </message>
    <message>
        <source>{kind} check digit is {got}, expected {expected} (&apos;{code}&apos;).</source>
        <translation>El dígito de control {kind} es {got}, se esperaba {expected} («{code}»).</translation>
    </message>
    <message>
        <source>&apos;{raw}&apos; looks like a GS1 barcode but cannot be read: {reason}</source>
        <translation>«{raw}» parece un código GS1 pero no se puede leer: {reason}</translation>
    </message>
    <message>
        <source>&apos;{code}&apos; is not a known product, location, license plate, document or badge.</source>
        <translation>«{code}» no es un producto, ubicación, matrícula, documento ni tarjeta conocidos.</translation>
    </message>
    <message>
        <source>{code} is a {got}, scan {expected}.</source>
        <translation>{code} es {got}; escanee {expected}.</translation>
    </message>
    <message>
        <source>Only {available} of {sku} at {location}, {requested} needed.</source>
        <translation>Solo hay {available} de {sku} en {location}; se necesitan {requested}.</translation>
    </message>
    <message>
        <source>Location {location} is blocked.</source>
        <translation>La ubicación {location} está bloqueada.</translation>
    </message>
    <message>
        <source>{who} may not {action}.</source>
        <translation>{who} no puede {action}.</translation>
    </message>
    <message>
        <source>{reason} A supervisor must approve.</source>
        <translation>{reason} Un supervisor debe aprobarlo.</translation>
    </message>
    <message>
        <source>{document} is {state}: &apos;{action}&apos; is not possible.</source>
        <translation>{document} está {state}: «{action}» no es posible.</translation>
    </message>
    <message>
        <source>{what} &apos;{key}&apos; does not exist.</source>
        <translation>{what} «{key}» no existe.</translation>
    </message>
    <message>
        <source>{field}: {reason}</source>
        <translation>{field}: {reason}</translation>
    </message>
    <message>
        <source>{sku} is tracked by lot: scan the lot (GS1 barcode) or enter it.</source>
        <translation>{sku} se controla por lote: escanee el lote (código GS1) o escríbalo.</translation>
    </message>
    <message>
        <source>{sku} needs an expiry date: scan the GS1 barcode or enter it.</source>
        <translation>{sku} necesita fecha de caducidad: escanee el código GS1 o escríbala.</translation>
    </message>
    <message>
        <source>The database {where} cannot be reached: {reason}</source>
        <translation>No se puede acceder a la base de datos {where}: {reason}</translation>
    </message>
    <message>
        <source>The database {where} was written by a newer Stockfloor (schema {revision}). Update Stockfloor on this workstation.</source>
        <translation>La base de datos {where} la escribió un Stockfloor más reciente (esquema {revision}). Actualice Stockfloor en este puesto.</translation>
    </message>
    <message>
        <source>Badge or PIN not recognised.</source>
        <translation>Tarjeta o PIN no reconocidos.</translation>
    </message>
    <message>
        <source>A supervisor must approve this.</source>
        <translation>Un supervisor debe aprobarlo.</translation>
    </message>
    <message>
        <source>{sku} is not on {document}. A supervisor must approve receiving it.</source>
        <translation>{sku} no está en {document}. Un supervisor debe aprobar su recepción.</translation>
    </message>
    <message>
        <source>{sku}: {would_be} would be received, {expected} expected (tolerance {tolerance}%). A supervisor must approve.</source>
        <translation>{sku}: se recibirían {would_be}, se esperan {expected} (tolerancia {tolerance}%). Un supervisor debe aprobarlo.</translation>
    </message>
    <message>
        <source>Serial {serial} of {sku} is already in stock.</source>
        <translation>El número de serie {serial} de {sku} ya está en existencias.</translation>
    </message>
    <message>
        <source>Count {count} is for {wanted} only; {sku} is not counted here.</source>
        <translation>El recuento {count} es solo de {wanted}; {sku} no se cuenta aquí.</translation>
    </message>
    <message>
        <source>Nothing to count: {what}.</source>
        <translation>Nada que contar: {what}.</translation>
    </message>
    <message>
        <source>Nothing was counted at {location}: scan what is there, or confirm it is empty.</source>
        <translation>No se ha contado nada en {location}: escanee lo que hay o confirme que está vacía.</translation>
    </message>
    <message>
        <source>Scan location {location} before counting in it.</source>
        <translation>Escanee la ubicación {location} antes de contar en ella.</translation>
    </message>
    <message>
        <source>Serial {serial} of {sku} was already counted here.</source>
        <translation>El número de serie {serial} de {sku} ya se contó aquí.</translation>
    </message>
    <message>
        <source>{location} is not part of count {count}.</source>
        <translation>{location} no forma parte del recuento {count}.</translation>
    </message>
    <message>
        <source>{sku} at {location} moved during the count: choose &apos;keep counted quantity&apos; or &apos;keep the difference&apos;.</source>
        <translation>{sku} en {location} se movió durante el recuento: elija «mantener la cantidad contada» o «mantener la diferencia».</translation>
    </message>
    <message>
        <source>{units} units were already counted at {location}: it is not empty.</source>
        <translation>Ya se contaron {units} unidades en {location}: no está vacía.</translation>
    </message>
    <message>
        <source>{file}: {count} problem(s), nothing was imported.</source>
        <translation>{file}: {count} problema(s), no se importó nada.</translation>
    </message>
    <message>
        <source>All {picked} {sku} of order {order} are packed: this one is extra.</source>
        <translation>Las {picked} unidades de {sku} del pedido {order} ya están embaladas: esta sobra.</translation>
    </message>
    <message>
        <source>Lot {scanned} of {sku} is not the one reserved: pick lot {expected}.</source>
        <translation>El lote {scanned} de {sku} no es el reservado: prepare el lote {expected}.</translation>
    </message>
    <message>
        <source>No packed parcels are waiting for {carrier}.</source>
        <translation>No hay bultos embalados esperando a {carrier}.</translation>
    </message>
    <message>
        <source>Only {remaining} more {sku} to pick here, {units} scanned.</source>
        <translation>Solo quedan {remaining} de {sku} por preparar aquí; se escanearon {units}.</translation>
    </message>
    <message>
        <source>Order {order} is missing {missing}: a supervisor must split the order to close it.</source>
        <translation>Al pedido {order} le falta {missing}: un supervisor debe dividir el pedido para cerrarlo.</translation>
    </message>
    <message>
        <source>Parcel {parcel} of order {order} is open: close it with its weight first.</source>
        <translation>El bulto {parcel} del pedido {order} está abierto: ciérrelo antes con su peso.</translation>
    </message>
    <message>
        <source>Scan location {location} first.</source>
        <translation>Escanee primero la ubicación {location}.</translation>
    </message>
    <message>
        <source>{scanned} is not the item to pick at {location}, pick {expected}.</source>
        <translation>{scanned} no es el artículo a preparar en {location}; prepare {expected}.</translation>
    </message>
    <message>
        <source>{scanned} is not the pick location, go to {expected}.</source>
        <translation>{scanned} no es la ubicación de preparación; vaya a {expected}.</translation>
    </message>
    <message>
        <source>{sku} is not on order {order}: put it aside.</source>
        <translation>{sku} no está en el pedido {order}: apártelo.</translation>
    </message>
    <message>
        <source>License plate {plate} moves whole: scan an item on it to move part of it.</source>
        <translation>La matrícula {plate} se mueve entera: escanee un artículo de ella para mover una parte.</translation>
    </message>
    <message>
        <source>No {what} waits to be put away on {sources}.</source>
        <translation>No hay {what} esperando a ubicarse en {sources}.</translation>
    </message>
    <message>
        <source>{location} cannot take these goods.</source>
        <translation>{location} no puede recibir esta mercancía.</translation>
    </message>
    <message>
        <source>{location} holds lot {other_lot} of {sku}; lots may not be mixed there.</source>
        <translation>{location} tiene el lote {other_lot} de {sku}; ahí no se pueden mezclar lotes.</translation>
    </message>
    <message>
        <source>{location} holds {used} units, room for {limit}: {adding} more do not fit.</source>
        <translation>{location} tiene {used} unidades y cabe {limit}: {adding} más no caben.</translation>
    </message>
    <message>
        <source>{location} is a {kind} location: put away into a storage bin or pick face.</source>
        <translation>{location} es una ubicación de tipo {kind}: ubique en un hueco de almacenaje o de picking.</translation>
    </message>
    <message>
        <source>{location} is full.</source>
        <translation>{location} está llena.</translation>
    </message>
    <message>
        <source>{location} would hold {would_be} l, its limit is {limit} l.</source>
        <translation>{location} tendría {would_be} l; su límite es {limit} l.</translation>
    </message>
    <message>
        <source>{location} would weigh {would_be} kg, its limit is {limit} kg.</source>
        <translation>{location} pesaría {would_be} kg; su límite es {limit} kg.</translation>
    </message>
    <message>
        <source>{sku} may not be stored in zone {zone} ({location}); allowed zones: {allowed}.</source>
        <translation>{sku} no se puede almacenar en la zona {zone} ({location}); zonas permitidas: {allowed}.</translation>
    </message>
    <message>
        <source>{suggested} was suggested. A supervisor must approve using {location} instead.</source>
        <translation>Se sugirió {suggested}. Un supervisor debe aprobar que se use {location} en su lugar.</translation>
    </message>
    <message>
        <source>{suggested} was suggested: say why {location} is used instead.</source>
        <translation>Se sugirió {suggested}: indique por qué se usa {location} en su lugar.</translation>
    </message>
    <message>
        <source>The database {where} already holds data ({contents}). Use --force to erase everything in it and build the demo warehouse.</source>
        <translation>La base de datos {where} ya tiene datos ({contents}). Use --force para borrarlo todo y crear el almacén de demostración.</translation>
    </message>
</context>
<context>
    <name>roles</name>
    <message>
        <source>operator</source>
        <translation>operario</translation>
    </message>
    <message>
        <source>supervisor</source>
        <translation>supervisor</translation>
    </message>
    <message>
        <source>admin</source>
        <translation>administrador</translation>
    </message>
</context>
<context>
    <name>workflows</name>
    <message>
        <source>Receive</source>
        <translation>Recibir</translation>
    </message>
    <message>
        <source>Put away</source>
        <translation>Ubicar</translation>
    </message>
    <message>
        <source>Pick</source>
        <translation>Preparar</translation>
    </message>
    <message>
        <source>Pack</source>
        <translation>Embalar</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Contar</translation>
    </message>
    <message>
        <source>Returns</source>
        <translation>Devoluciones</translation>
    </message>
    <message>
        <source>Review counts</source>
        <translation>Revisar recuentos</translation>
    </message>
    <message>
        <source>Stock</source>
        <translation>Existencias</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Ajustes</translation>
    </message>
</context>
</TS>

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_ES">
<context>
    <name>AccuracyTab</name>
    <message>
        <source>Overall: {within} of {lines} counted lines within tolerance ({share})</source>
        <translation>En total: {within} de {lines} líneas contadas dentro de la tolerancia ({share})</translation>
    </message>
    <message>
        <source>No counted lines in this period.</source>
        <translation>No hay líneas contadas en este periodo.</translation>
    </message>
    <message>
        <source>Export count results</source>
        <translation>Exportar resultados de recuentos</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Archivos CSV (*.csv)</translation>
    </message>
    <message numerus="yes">
        <source>%n count line(s) written to {path}</source>
        <translation>
            <numerusform>%n línea de recuento escrita en {path}</numerusform>
            <numerusform>%n líneas de recuento escritas en {path}</numerusform>
        </translation>
    </message>
    <message>
        <source>Save accuracy report</source>
        <translation>Guardar informe de exactitud</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>Archivos PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Writing the accuracy report…</source>
        <translation>Escribiendo el informe de exactitud…</translation>
    </message>
    <message>
        <source>Accuracy report saved to {path}</source>
        <translation>Informe de exactitud guardado en {path}</translation>
    </message>
    <message>
        <source>Could not write the file: {reason}</source>
        <translation>No se pudo escribir el archivo: {reason}</translation>
    </message>
    <message>
        <source>P&amp;eriod</source>
        <translation>P&amp;eriodo</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>Mes</translation>
    </message>
    <message>
        <source>Week</source>
        <translation>Semana</translation>
    </message>
    <message>
        <source>B&amp;y</source>
        <translation>Po&amp;r</translation>
    </message>
    <message>
        <source>ABC class</source>
        <translation>Clase ABC</translation>
    </message>
    <message>
        <source>Zone</source>
        <translation>Zona</translation>
    </message>
    <message>
        <source>&amp;From</source>
        <translation>&amp;Desde</translation>
    </message>
    <message>
        <source>&amp;Until</source>
        <translation>&amp;Hasta</translation>
    </message>
    <message>
        <source>Period from</source>
        <translation>Periodo desde</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>Grupo</translation>
    </message>
    <message>
        <source>Lines counted</source>
        <translation>Líneas contadas</translation>
    </message>
    <message>
        <source>Within tolerance</source>
        <translation>Dentro de tolerancia</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>Exactitud</translation>
    </message>
    <message>
        <source>Export results as &amp;CSV…</source>
        <translation>Exportar resultados como &amp;CSV…</translation>
    </message>
    <message>
        <source>Save report as P&amp;DF…</source>
        <translation>Guardar informe como PD&amp;F…</translation>
    </message>
</context>
<context>
    <name>AttentionScreen</name>
    <message>
        <source>Offline scans that need a supervisor</source>
        <translation>Escaneos sin conexión que necesitan un supervisor</translation>
    </message>
    <message>
        <source>Scanned</source>
        <translation>Escaneado</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Por</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>Dónde</translation>
    </message>
    <message>
        <source>Scan</source>
        <translation>Escaneo</translation>
    </message>
    <message>
        <source>Refused because</source>
        <translation>Rechazado porque</translation>
    </message>
    <message>
        <source>F5 Send again</source>
        <translation>F5 Enviar de nuevo</translation>
    </message>
    <message>
        <source>Del Done by hand</source>
        <translation>Supr Hecho a mano</translation>
    </message>
    <message>
        <source>This workstation keeps no offline outbox: its database is on this computer.</source>
        <translation>Este puesto no guarda una bandeja de salida sin conexión: su base de datos está en este ordenador.</translation>
    </message>
    <message>
        <source>No offline scan needs attention.</source>
        <translation>Ningún escaneo sin conexión necesita atención.</translation>
    </message>
    <message numerus="yes">
        <source>%n offline scan(s) refused by the server. Fix the cause, then send again; or mark as done by hand.</source>
        <translation>
            <numerusform>%n escaneo sin conexión fue rechazado por el servidor. Corrija la causa y envíelo de nuevo, o márquelo como hecho a mano.</numerusform>
            <numerusform>%n escaneos sin conexión fueron rechazados por el servidor. Corrija la causa y envíelos de nuevo, o márquelos como hechos a mano.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AuditScreen</name>
    <message>
        <source>Audit log</source>
        <translation>Registro de auditoría</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Usuario</translation>
    </message>
    <message>
        <source>Action (end with * for a prefix)</source>
        <translation>Acción (termine con * para un prefijo)</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>Documento</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Desde</translation>
    </message>
    <message>
        <source>Until</source>
        <translation>Hasta</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Buscar</translation>
    </message>
    <message>
        <source>Export CSV...</source>
        <translation>Exportar CSV...</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Cuándo</translation>
    </message>
    <message>
        <source>Workstation</source>
        <translation>Puesto</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Acción</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Detalles</translation>
    </message>
    <message numerus="yes">
        <source>%n entries</source>
        <translation>
            <numerusform>%n entrada</numerusform>
            <numerusform>%n entradas</numerusform>
        </translation>
    </message>
    <message>
        <source>Export audit log</source>
        <translation>Exportar el registro de auditoría</translation>
    </message>
    <message>
        <source>{count} entries written to {path}</source>
        <translation>{count} entradas escritas en {path}</translation>
    </message>
</context>
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
    <name>Commands</name>
    <message>
        <source>cancel, back</source>
        <translation>cancelar, volver</translation>
    </message>
    <message>
        <source>log out</source>
        <translation>cerrar sesión</translation>
    </message>
    <message>
        <source>open the highlighted receipt</source>
        <translation>abrir la recepción resaltada</translation>
    </message>
    <message>
        <source>open the highlighted count</source>
        <translation>abrir el recuento resaltado</translation>
    </message>
    <message>
        <source>quantity</source>
        <translation>cantidad</translation>
    </message>
    <message>
        <source>location is empty</source>
        <translation>la ubicación está vacía</translation>
    </message>
    <message>
        <source>location done</source>
        <translation>ubicación terminada</translation>
    </message>
    <message>
        <source>a supervisor decides now</source>
        <translation>un supervisor decide ahora</translation>
    </message>
    <message>
        <source>clear quantity, then leave</source>
        <translation>borrar la cantidad, luego salir</translation>
    </message>
    <message>
        <source>damaged</source>
        <translation>dañado</translation>
    </message>
    <message>
        <source>undo</source>
        <translation>deshacer</translation>
    </message>
    <message>
        <source>labels for my last scan</source>
        <translation>etiquetas de mi último escaneo</translation>
    </message>
    <message>
        <source>close receipt</source>
        <translation>cerrar recepción</translation>
    </message>
    <message>
        <source>clear marks, then leave receipt</source>
        <translation>quitar marcas, luego salir de la recepción</translation>
    </message>
    <message>
        <source>change the database</source>
        <translation>cambiar la base de datos</translation>
    </message>
    <message>
        <source>start over</source>
        <translation>empezar de nuevo</translation>
    </message>
    <message>
        <source>pack the highlighted order</source>
        <translation>embalar el pedido resaltado</translation>
    </message>
    <message>
        <source>choose the carton (or scan one)</source>
        <translation>elegir la caja (o escanear una)</translation>
    </message>
    <message>
        <source>weigh and close parcel</source>
        <translation>pesar y cerrar el bulto</translation>
    </message>
    <message>
        <source>finish order</source>
        <translation>terminar el pedido</translation>
    </message>
    <message>
        <source>split missing units (supervisor)</source>
        <translation>separar las unidades que faltan (supervisor)</translation>
    </message>
    <message>
        <source>clear the marks, then leave the order</source>
        <translation>quitar las marcas, luego salir del pedido</translation>
    </message>
    <message>
        <source>pick the highlighted wave</source>
        <translation>preparar la oleada resaltada</translation>
    </message>
    <message>
        <source>bin holds less</source>
        <translation>el hueco tiene menos</translation>
    </message>
    <message>
        <source>bin is empty</source>
        <translation>el hueco está vacío</translation>
    </message>
    <message>
        <source>clear the quantity, then leave the wave</source>
        <translation>borrar la cantidad, luego salir de la oleada</translation>
    </message>
    <message>
        <source>put away part of it</source>
        <translation>ubicar una parte</translation>
    </message>
    <message>
        <source>undo my last put-away</source>
        <translation>deshacer mi última ubicación</translation>
    </message>
    <message>
        <source>print the list</source>
        <translation>imprimir la lista</translation>
    </message>
    <message>
        <source>clear the quantity, then back to the list</source>
        <translation>borrar la cantidad, luego volver a la lista</translation>
    </message>
    <message>
        <source>next task</source>
        <translation>siguiente tarea</translation>
    </message>
    <message>
        <source>change the quantity</source>
        <translation>cambiar la cantidad</translation>
    </message>
    <message>
        <source>one step back, then leave</source>
        <translation>un paso atrás, luego salir</translation>
    </message>
    <message>
        <source>another disposition (supervisor)</source>
        <translation>otro destino (supervisor)</translation>
    </message>
    <message>
        <source>confirm</source>
        <translation>confirmar</translation>
    </message>
    <message>
        <source>grade</source>
        <translation>clasificar</translation>
    </message>
    <message>
        <source>checklist item</source>
        <translation>punto de la lista</translation>
    </message>
    <message>
        <source>findings, notes</source>
        <translation>hallazgos, notas</translation>
    </message>
    <message>
        <source>close RMA</source>
        <translation>cerrar la RMA</translation>
    </message>
    <message>
        <source>print the last label again</source>
        <translation>volver a imprimir la última etiqueta</translation>
    </message>
    <message>
        <source>drop the unit, then leave the RMA</source>
        <translation>soltar la unidad y luego salir de la RMA</translation>
    </message>
</context>
<context>
    <name>CountedTable</name>
    <message>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Producto</translation>
    </message>
    <message>
        <source>Lot</source>
        <translation>Lote</translation>
    </message>
    <message>
        <source>Counted</source>
        <translation>Contado</translation>
    </message>
</context>
<context>
    <name>CountingNames</name>
    <message>
        <source>location range</source>
        <translation>rango de ubicaciones</translation>
    </message>
    <message>
        <source>zone</source>
        <translation>zona</translation>
    </message>
    <message>
        <source>product</source>
        <translation>producto</translation>
    </message>
    <message>
        <source>ABC schedule</source>
        <translation>calendario ABC</translation>
    </message>
    <message>
        <source>requested</source>
        <translation>solicitado</translation>
    </message>
    <message>
        <source>recount</source>
        <translation>reconteo</translation>
    </message>
    <message>
        <source>planned</source>
        <translation>planificado</translation>
    </message>
    <message>
        <source>counting</source>
        <translation>contando</translation>
    </message>
    <message>
        <source>in review</source>
        <translation>en revisión</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>cerrado</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>cancelado</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>pendiente</translation>
    </message>
    <message>
        <source>matched</source>
        <translation>coincide</translation>
    </message>
    <message>
        <source>within tolerance</source>
        <translation>dentro de tolerancia</translation>
    </message>
    <message>
        <source>approved</source>
        <translation>aprobado</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>rechazado</translation>
    </message>
    <message>
        <source>recounted</source>
        <translation>recontado</translation>
    </message>
    <message>
        <source>Miscount</source>
        <translation>Error de conteo</translation>
    </message>
    <message>
        <source>Found</source>
        <translation>Encontrado</translation>
    </message>
    <message>
        <source>Lost</source>
        <translation>Perdido</translation>
    </message>
    <message>
        <source>Damaged</source>
        <translation>Dañado</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>Caducado</translation>
    </message>
    <message>
        <source>Unrecorded move</source>
        <translation>Movimiento no registrado</translation>
    </message>
    <message>
        <source>short pick</source>
        <translation>picking incompleto</translation>
    </message>
    <message>
        <source>bin found empty</source>
        <translation>ubicación vacía</translation>
    </message>
    <message>
        <source>put-away refused</source>
        <translation>ubicación rechazada</translation>
    </message>
    <message>
        <source>supervisor request</source>
        <translation>petición del supervisor</translation>
    </message>
    <message>
        <source>Keep counted quantity</source>
        <translation>Mantener la cantidad contada</translation>
    </message>
    <message>
        <source>Keep the difference</source>
        <translation>Mantener la diferencia</translation>
    </message>
</context>
<context>
    <name>CountingScreen</name>
    <message>
        <source>Count</source>
        <translation>Contar</translation>
    </message>
    <message>
        <source>Scan a count number, or choose a count</source>
        <translation>Escanee un número de recuento o elija un recuento</translation>
    </message>
    <message>
        <source>Your counts due today: arrow keys, then Enter</source>
        <translation>Sus recuentos para hoy: flechas y luego Intro</translation>
    </message>
    <message>
        <source>No counts are due for you today.</source>
        <translation>Hoy no tiene recuentos pendientes.</translation>
    </message>
    <message>
        <source>Scan location {location}</source>
        <translation>Escanee la ubicación {location}</translation>
    </message>
    <message>
        <source>Scan a location of {number}</source>
        <translation>Escanee una ubicación de {number}</translation>
    </message>
    <message>
        <source>{done} of {total} locations done</source>
        <translation>{done} de {total} ubicaciones hechas</translation>
    </message>
    <message>
        <source>Scan every item in {location}</source>
        <translation>Escanee cada artículo de {location}</translation>
    </message>
    <message>
        <source>counted here so far: {units}</source>
        <translation>contado aquí hasta ahora: {units}</translation>
    </message>
    <message>
        <source>Next item: quantity {quantity}</source>
        <translation>Siguiente artículo: cantidad {quantity}</translation>
    </message>
    <message>
        <source>Choose a count first: scan its number.</source>
        <translation>Elija primero un recuento: escanee su número.</translation>
    </message>
    <message>
        <source>Scan a location of {number} first.</source>
        <translation>Escanee primero una ubicación de {number}.</translation>
    </message>
    <message>
        <source>{code} does nothing here. Scan an item in {location}.</source>
        <translation>{code} no hace nada aquí. Escanee un artículo de {location}.</translation>
    </message>
    <message>
        <source>{code} is not one of your counts due today.</source>
        <translation>{code} no es uno de sus recuentos para hoy.</translation>
    </message>
    <message>
        <source>{number}: scan location {location}</source>
        <translation>{number}: escanee la ubicación {location}</translation>
    </message>
    <message>
        <source>Back at {location}, {units} counted so far: scan every item</source>
        <translation>De vuelta en {location}, {units} contados hasta ahora: escanee cada artículo</translation>
    </message>
    <message>
        <source>{location}: count only {sku}, every one of them</source>
        <translation>{location}: cuente solo {sku}, todas las unidades</translation>
    </message>
    <message>
        <source>{location}: scan every item in it</source>
        <translation>{location}: escanee cada artículo que contiene</translation>
    </message>
    <message>
        <source>Not counted: {reason}</source>
        <translation>No contado: {reason}</translation>
    </message>
    <message>
        <source>Scan or type the lot of {sku}</source>
        <translation>Escanee o escriba el lote de {sku}</translation>
    </message>
    <message>
        <source>lot {lot}</source>
        <translation>lote {lot}</translation>
    </message>
    <message>
        <source>Undone: {units} {sku} {name}{lot}. {total} counted here</source>
        <translation>Deshecho: {units} {sku} {name}{lot}. {total} contados aquí</translation>
    </message>
    <message>
        <source>+{units} {sku} {name}{lot}. {total} counted here</source>
        <translation>+{units} {sku} {name}{lot}. {total} contados aquí</translation>
    </message>
    <message>
        <source>Already counted: {scan}</source>
        <translation>Ya contado: {scan}</translation>
    </message>
    <message>
        <source>A supervisor decides the waiting results of {number}.</source>
        <translation>Un supervisor decide los resultados pendientes de {number}.</translation>
    </message>
    <message>
        <source>No supervisor decision was made.</source>
        <translation>No se tomó ninguna decisión de supervisor.</translation>
    </message>
    <message>
        <source>Nothing of yours to undo at {location}</source>
        <translation>No hay nada suyo que deshacer en {location}</translation>
    </message>
    <message>
        <source>{location} confirmed empty.</source>
        <translation>{location} confirmada vacía.</translation>
    </message>
    <message>
        <source>{location} done, {units} counted.</source>
        <translation>{location} terminada, {units} contados.</translation>
    </message>
    <message>
        <source>Count {number} is complete.</source>
        <translation>El recuento {number} está completo.</translation>
    </message>
    <message>
        <source>Next: {location}</source>
        <translation>Siguiente: {location}</translation>
    </message>
    <message>
        <source>Quantity cleared</source>
        <translation>Cantidad borrada</translation>
    </message>
    <message>
        <source>Left {location}: what you counted is saved. Scan it again to go on.</source>
        <translation>Ha salido de {location}: lo contado está guardado. Escanéela de nuevo para seguir.</translation>
    </message>
    <message>
        <source>Left {number}: what you counted is saved</source>
        <translation>Ha salido de {number}: lo contado está guardado</translation>
    </message>
</context>
<context>
    <name>DashboardScreen</name>
    <message>
        <source>Order accuracy (%)</source>
        <translation>Precisión de pedidos (%)</translation>
    </message>
    <message>
        <source>Cycle time, median (h)</source>
        <translation>Tiempo de ciclo, mediana (h)</translation>
    </message>
    <message>
        <source>Cycle time, 90th percentile (h)</source>
        <translation>Tiempo de ciclo, percentil 90 (h)</translation>
    </message>
    <message>
        <source>Return rate (%)</source>
        <translation>Tasa de devoluciones (%)</translation>
    </message>
    <message>
        <source>Stockout rate (%)</source>
        <translation>Tasa de roturas de stock (%)</translation>
    </message>
    <message>
        <source>Dock-to-stock, median (h)</source>
        <translation>Muelle a ubicación, mediana (h)</translation>
    </message>
    <message>
        <source>Dock-to-stock, 90th percentile (h)</source>
        <translation>Muelle a ubicación, percentil 90 (h)</translation>
    </message>
    <message>
        <source>Inventory turnover</source>
        <translation>Rotación de inventario</translation>
    </message>
    <message>
        <source>Inventory record accuracy (%)</source>
        <translation>Exactitud del inventario (%)</translation>
    </message>
    <message>
        <source>Receipts open</source>
        <translation>Recepciones abiertas</translation>
    </message>
    <message>
        <source>Put-away waiting</source>
        <translation>Ubicación pendiente</translation>
    </message>
    <message>
        <source>Latest figures and targets</source>
        <translation>Últimos valores y objetivos</translation>
    </message>
    <message>
        <source>Waves not picked</source>
        <translation>Oleadas sin preparar</translation>
    </message>
    <message>
        <source>Counts open</source>
        <translation>Recuentos abiertos</translation>
    </message>
    <message>
        <source>Replenishments open</source>
        <translation>Reposiciones abiertas</translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation>Requiere atención</translation>
    </message>
    <message>
        <source>Returns to inspect</source>
        <translation>Devoluciones por inspeccionar</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>Panel</translation>
    </message>
    <message>
        <source>Open work now</source>
        <translation>Trabajo abierto ahora</translation>
    </message>
    <message>
        <source>Operators today</source>
        <translation>Operarios hoy</translation>
    </message>
    <message>
        <source>Latest</source>
        <translation>Último</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Objetivo</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Cantidad</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>Operario</translation>
    </message>
    <message>
        <source>Error rate</source>
        <translation>Tasa de errores</translation>
    </message>
    <message>
        <source>Hours</source>
        <translation>Horas</translation>
    </message>
    <message>
        <source>Scans/h</source>
        <translation>Escaneos/h</translation>
    </message>
    <message>
        <source>Lines/h</source>
        <translation>Líneas/h</translation>
    </message>
    <message>
        <source>F5: refresh   Double-click a target to change it   Esc: back</source>
        <translation>F5: actualizar   Doble clic en un objetivo para cambiarlo   Esc: volver</translation>
    </message>
    <message>
        <source>Daily figures of the last {days} days up to {today}; dashed line: target.</source>
        <translation>Valores diarios de los últimos {days} días hasta {today}; línea discontinua: objetivo.</translation>
    </message>
    <message>
        <source>A target is a number, e.g. 99.5</source>
        <translation>Un objetivo es un número, p. ej. 99,5</translation>
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
    <name>DecisionDialog</name>
    <message>
        <source>Approve counted lines</source>
        <translation>Aprobar líneas contadas</translation>
    </message>
    <message>
        <source>Reject counted lines</source>
        <translation>Rechazar líneas contadas</translation>
    </message>
    <message numerus="yes">
        <source>and %n more</source>
        <translation>
            <numerusform>y %n más</numerusform>
            <numerusform>y %n más</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Approve %n line(s): stock is adjusted to what was counted.</source>
        <translation>
            <numerusform>Aprobar %n línea: el stock se ajusta a lo contado.</numerusform>
            <numerusform>Aprobar %n líneas: el stock se ajusta a lo contado.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Reject %n line(s): stock stays as recorded.</source>
        <translation>
            <numerusform>Rechazar %n línea: el stock queda como está registrado.</numerusform>
            <numerusform>Rechazar %n líneas: el stock queda como está registrado.</numerusform>
        </translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motivo</translation>
    </message>
    <message>
        <source>Stock moved while it was counted</source>
        <translation>El stock se movió durante el recuento</translation>
    </message>
    <message>
        <source>Stock was put in or taken out after counting began. Choose:</source>
        <translation>Se añadió o retiró stock después de empezar el recuento. Elija:</translation>
    </message>
    <message>
        <source>&amp;Keep counted quantity</source>
        <translation>&amp;Mantener la cantidad contada</translation>
    </message>
    <message>
        <source>Keep the &amp;difference</source>
        <translation>Mantener la &amp;diferencia</translation>
    </message>
    <message>
        <source>The location holds what was counted.</source>
        <translation>La ubicación tiene lo que se contó.</translation>
    </message>
    <message>
        <source>Today&apos;s stock changes by the difference the count found.</source>
        <translation>El stock actual cambia en la diferencia que encontró el recuento.</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>Aprobar</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>Rechazar</translation>
    </message>
    <message>
        <source>{line}: expected {expected}, counted {counted} ({variance})</source>
        <translation>{line}: esperado {expected}, contado {counted} ({variance})</translation>
    </message>
    <message>
        <source>{line}: {now} now, becomes {after} ({change})</source>
        <translation>{line}: {now} ahora, pasa a {after} ({change})</translation>
    </message>
</context>
<context>
    <name>Dialogue</name>
    <message>
        <source>Esc / SF:CANCEL: cancel the question</source>
        <translation>Esc / SF:CANCEL: cancelar la pregunta</translation>
    </message>
    <message>
        <source>That did not work (a program error). The details are in the log.</source>
        <translation>No funcionó (un error del programa). Los detalles están en el registro.</translation>
    </message>
    <message>
        <source>Scan the label: a typed code is not accepted here. {prompt}</source>
        <translation>Escanee la etiqueta: aquí no se acepta un código escrito. {prompt}</translation>
    </message>
    <message>
        <source>{code} is a command, not an answer. {prompt} (SF:CANCEL: cancel)</source>
        <translation>{code} es un comando, no una respuesta. {prompt} (SF:CANCEL: cancelar)</translation>
    </message>
    <message>
        <source>Scan the location label here.</source>
        <translation>Escanee aquí la etiqueta de la ubicación.</translation>
    </message>
    <message>
        <source>Wrong check digits for {location}: scan its label or say its check digits.</source>
        <translation>Dígitos de control equivocados para {location}: escanee su etiqueta o diga sus dígitos de control.</translation>
    </message>
    <message>
        <source>ALERT: wrong check digits twice. {message}</source>
        <translation>ALERTA: dígitos de control equivocados dos veces. {message}</translation>
    </message>
    <message>
        <source>Cancelled: nothing recorded</source>
        <translation>Cancelado: no se registró nada</translation>
    </message>
    <message>
        <source>Say why in a few words, then Enter</source>
        <translation>Diga el motivo en pocas palabras y pulse Intro</translation>
    </message>
    <message>
        <source>Supervisor: type your PIN, then Enter</source>
        <translation>Supervisor: escriba su PIN y pulse Intro</translation>
    </message>
    <message>
        <source>{reason} Supervisor: scan your badge</source>
        <translation>{reason} Supervisor: escanee su tarjeta</translation>
    </message>
    <message>
        <source>A quantity is a number from {least} to {most}: type or scan it, then Enter.</source>
        <translation>Una cantidad es un número de {least} a {most}: escríbalo o escanéelo y pulse Intro.</translation>
    </message>
    <message>
        <source>that is {label}&apos;s barcode</source>
        <translation>es el código de barras de {label}</translation>
    </message>
    <message>
        <source>that is {label}, not {wanted}</source>
        <translation>es {label}, no {wanted}</translation>
    </message>
    <message>
        <source>Not recorded: {what}. {prompt}</source>
        <translation>No registrado: {what}. {prompt}</translation>
    </message>
    <message>
        <source>a lot</source>
        <translation>un lote</translation>
    </message>
    <message>
        <source>Not recorded: that GS1 label has no lot. {prompt}</source>
        <translation>No registrado: esa etiqueta GS1 no tiene lote. {prompt}</translation>
    </message>
    <message>
        <source>a serial number</source>
        <translation>un número de serie</translation>
    </message>
    <message>
        <source>Not recorded: that GS1 label has no serial number. {prompt}</source>
        <translation>No registrado: esa etiqueta GS1 no tiene número de serie. {prompt}</translation>
    </message>
    <message>
        <source>An expiry is a date: type it as YYYY-MM-DD or scan the GS1 label.</source>
        <translation>La caducidad es una fecha: escríbala como AAAA-MM-DD o escanee la etiqueta GS1.</translation>
    </message>
    <message>
        <source>A weight is a number of kilograms, e.g. 1.25.</source>
        <translation>Un peso es un número de kilogramos, p. ej. 1.25.</translation>
    </message>
    <message>
        <source>a reason</source>
        <translation>un motivo</translation>
    </message>
    <message>
        <source>Not a reason: type its number from the list. {prompt}</source>
        <translation>No es un motivo: escriba su número de la lista. {prompt}</translation>
    </message>
    <message>
        <source>Not recorded: that is not a badge. {prompt}</source>
        <translation>No registrado: no es una tarjeta. {prompt}</translation>
    </message>
    <message>
        <source>Not one of the list: {got}. {prompt}</source>
        <translation>No está en la lista: {got}. {prompt}</translation>
    </message>
    <message>
        <source>Wrong label {got}: scan {expected}.</source>
        <translation>Etiqueta equivocada {got}: escanee {expected}.</translation>
    </message>
</context>
<context>
    <name>DispatchTab</name>
    <message>
        <source>Carrier</source>
        <translation>Transportista</translation>
    </message>
    <message>
        <source>SSCC</source>
        <translation>SSCC</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>Pedido</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Servicio</translation>
    </message>
    <message>
        <source>Parcel</source>
        <translation>Bulto</translation>
    </message>
    <message>
        <source>Weight (kg)</source>
        <translation>Peso (kg)</translation>
    </message>
    <message>
        <source>Carton</source>
        <translation>Caja</translation>
    </message>
    <message>
        <source>Ship to</source>
        <translation>Destinatario</translation>
    </message>
    <message>
        <source>Hand over to the carrier: mark shipped (Alt+D)</source>
        <translation>Entregar al transportista: marcar como enviado (Alt+D)</translation>
    </message>
    <message>
        <source>Shipment confirmations as CSV (Alt+X)</source>
        <translation>Confirmaciones de envío en CSV (Alt+X)</translation>
    </message>
    <message numerus="yes">
        <source>{carrier} (%n parcel(s))</source>
        <translation>
            <numerusform>{carrier} (%n bulto)</numerusform>
            <numerusform>{carrier} (%n bultos)</numerusform>
        </translation>
    </message>
    <message>
        <source>No packed parcels are waiting.</source>
        <translation>No hay bultos embalados esperando.</translation>
    </message>
    <message numerus="yes">
        <source>%n parcel(s) for this carrier. Alt+D hands over the selected ones, or all when none is selected.</source>
        <translation>
            <numerusform>%n bulto para este transportista. Alt+D entrega los seleccionados, o todos si no hay ninguno seleccionado.</numerusform>
            <numerusform>%n bultos para este transportista. Alt+D entrega los seleccionados, o todos si no hay ninguno seleccionado.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Shipment {number}: %n parcel(s) handed to {carrier}; orders shipped: {orders}</source>
        <translation>
            <numerusform>Envío {number}: %n bulto entregado a {carrier}; pedidos enviados: {orders}</numerusform>
            <numerusform>Envío {number}: %n bultos entregados a {carrier}; pedidos enviados: {orders}</numerusform>
        </translation>
    </message>
    <message>
        <source>Shipment confirmations</source>
        <translation>Confirmaciones de envío</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Archivos CSV (*.csv)</translation>
    </message>
    <message>
        <source>Writing the shipment confirmations…</source>
        <translation>Escribiendo las confirmaciones de envío…</translation>
    </message>
    <message>
        <source>Could not write {path}: {reason}</source>
        <translation>No se pudo escribir {path}: {reason}</translation>
    </message>
    <message numerus="yes">
        <source>%n shipped parcel(s) written to {path}</source>
        <translation>
            <numerusform>%n bulto enviado escrito en {path}</numerusform>
            <numerusform>%n bultos enviados escritos en {path}</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FacesScreen</name>
    <message>
        <source>Pick faces and replenishment</source>
        <translation>Ubicaciones de picking y reposición</translation>
    </message>
    <message>
        <source>Pick faces (orange: below min)</source>
        <translation>Ubicaciones de picking (naranja: bajo el mínimo)</translation>
    </message>
    <message>
        <source>Open replenishment tasks</source>
        <translation>Tareas de reposición abiertas</translation>
    </message>
    <message>
        <source>&amp;Location</source>
        <translation>&amp;Ubicación</translation>
    </message>
    <message>
        <source>S&amp;KU</source>
        <translation>S&amp;KU</translation>
    </message>
    <message>
        <source>M&amp;in</source>
        <translation>Mí&amp;n</translation>
    </message>
    <message>
        <source>M&amp;ax</source>
        <translation>Má&amp;x</translation>
    </message>
    <message>
        <source>&amp;Unit</source>
        <translation>U&amp;nidad</translation>
    </message>
    <message>
        <source>&amp;Save levels</source>
        <translation>&amp;Guardar niveles</translation>
    </message>
    <message>
        <source>&amp;Remove levels</source>
        <translation>&amp;Quitar niveles</translation>
    </message>
    <message>
        <source>&amp;Cancel task</source>
        <translation>&amp;Cancelar tarea</translation>
    </message>
    <message>
        <source>Face</source>
        <translation>Ubicación</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Producto</translation>
    </message>
    <message>
        <source>On hand</source>
        <translation>Existencias</translation>
    </message>
    <message>
        <source>Min</source>
        <translation>Mín</translation>
    </message>
    <message>
        <source>Max</source>
        <translation>Máx</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Unidad</translation>
    </message>
    <message>
        <source>To bring</source>
        <translation>A traer</translation>
    </message>
    <message>
        <source>Orders wait</source>
        <translation>Pedidos en espera</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Desde</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Motivo</translation>
    </message>
    <message>
        <source>below min</source>
        <translation>bajo el mínimo</translation>
    </message>
    <message>
        <source>orders short</source>
        <translation>pedidos sin cubrir</translation>
    </message>
    <message>
        <source>{location}: {sku}, min {min}, max {max}, unit {unit}</source>
        <translation>{location}: {sku}, mín {min}, máx {max}, unidad {unit}</translation>
    </message>
    <message>
        <source>{location} is no longer replenished</source>
        <translation>{location} ya no se repone</translation>
    </message>
    <message>
        <source>Select a task first</source>
        <translation>Seleccione primero una tarea</translation>
    </message>
    <message>
        <source>Task for {face} cancelled</source>
        <translation>Tarea de {face} cancelada</translation>
    </message>
</context>
<context>
    <name>FloorScreen</name>
    <message>
        <source>Esc: back</source>
        <extracomment>Changes that make refresh() run (e.g. Changes(stock=True, receipts=True)). The scan journal&apos;s context for failed scans on this screen. Take the focus back from buttons (floor screens); off where Tab should reach buttons.</extracomment>
        <translation>Esc: volver</translation>
    </message>
    <message>
        <source>Type or scan the quantity for the next item, then Enter</source>
        <translation>Escriba o escanee la cantidad del siguiente artículo y pulse Intro</translation>
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
        <source>{code} does nothing here. {prompt}</source>
        <translation>{code} no hace nada aquí. {prompt}</translation>
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
        <source>F1-F12: open a task    Tab, arrows: move    Enter: open    Ctrl+L or scan SF:LOGOUT: log out</source>
        <translation>F1-F12: abrir una tarea    Tab, flechas: moverse    Intro: abrir    Ctrl+L o escanear SF:LOGOUT: cerrar sesión</translation>
    </message>
    <message>
        <source>Choose a task first (F1-F12), then scan.</source>
        <translation>Elija primero una tarea (F1-F12) y luego escanee.</translation>
    </message>
</context>
<context>
    <name>InspectionPanel</name>
    <message>
        <source>lot/serial {lot}</source>
        <translation>lote/serie {lot}</translation>
    </message>
    <message>
        <source>Customer&apos;s reason: {reason}</source>
        <translation>Motivo del cliente: {reason}</translation>
    </message>
    <message>
        <source>Check: {flags}</source>
        <translation>Revisar: {flags}</translation>
    </message>
    <message>
        <source>(checklist)</source>
        <translation>(lista de control)</translation>
    </message>
    <message>
        <source>Findings: {findings}</source>
        <translation>Hallazgos: {findings}</translation>
    </message>
    <message>
        <source>Notes: {notes}</source>
        <translation>Notas: {notes}</translation>
    </message>
    <message>
        <source>Grade it: 1–4 or A–D, then Enter (or scan SF:GRADE-A … SF:GRADE-D)</source>
        <translation>Califíquelo: 1–4 o A–D y Intro (o escanee SF:GRADE-A … SF:GRADE-D)</translation>
    </message>
    <message>
        <source>Grade {grade} → {disposition} → {destination}    refund {refund}%</source>
        <translation>Grado {grade} → {disposition} → {destination}    reembolso {refund}%</translation>
    </message>
    <message>
        <source>Not what the rules say: a supervisor must approve.</source>
        <translation>No es lo que dicen las reglas: un supervisor debe aprobarlo.</translation>
    </message>
    <message>
        <source>Worth {value}, over {limit}: a supervisor must approve.</source>
        <translation>Vale {value}, más de {limit}: un supervisor debe aprobarlo.</translation>
    </message>
    <message>
        <source>Enter or SF:CONFIRM: route it and print its label</source>
        <translation>Intro o SF:CONFIRM: enviarlo e imprimir su etiqueta</translation>
    </message>
</context>
<context>
    <name>JournalScreen</name>
    <message>
        <source>Scan journal</source>
        <translation>Diario de escaneos</translation>
    </message>
    <message>
        <source>&amp;User</source>
        <translation>&amp;Usuario</translation>
    </message>
    <message>
        <source>&amp;Workstation</source>
        <translation>&amp;Puesto</translation>
    </message>
    <message>
        <source>&amp;Outcome</source>
        <translation>&amp;Resultado</translation>
    </message>
    <message>
        <source>&amp;Since</source>
        <translation>&amp;Desde</translation>
    </message>
    <message>
        <source>&amp;Text or message</source>
        <translation>&amp;Texto o mensaje</translation>
    </message>
    <message>
        <source>any</source>
        <translation>todos</translation>
    </message>
    <message>
        <source>&amp;More (older scans)</source>
        <translation>&amp;Más (escaneos anteriores)</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Hora</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Usuario</translation>
    </message>
    <message>
        <source>Workstation</source>
        <translation>Puesto</translation>
    </message>
    <message>
        <source>Screen and step</source>
        <translation>Pantalla y paso</translation>
    </message>
    <message>
        <source>Scan</source>
        <translation>Escaneo</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Resultado</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Mensaje</translation>
    </message>
    <message>
        <source>Esc: back</source>
        <translation>Esc: volver</translation>
    </message>
    <message>
        <source>{count} scans shown, newest first</source>
        <translation>{count} escaneos mostrados, los más recientes primero</translation>
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
        <source>Tab: type user name and PIN instead</source>
        <translation>Tab: escribir usuario y PIN en su lugar</translation>
    </message>
    <message>
        <source>Type your PIN again, then Enter</source>
        <translation>Escriba su PIN otra vez y pulse Intro</translation>
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
    <name>MyCountsList</name>
    <message>
        <source>{number}    {kind} {about}    {done} of {total} locations done</source>
        <translation>{number}    {kind} {about}    {done} de {total} ubicaciones hechas</translation>
    </message>
    <message>
        <source>next: {location}</source>
        <translation>siguiente: {location}</translation>
    </message>
    <message>
        <source>(anyone&apos;s)</source>
        <translation>(de cualquiera)</translation>
    </message>
</context>
<context>
    <name>OfflineDesk</name>
    <message>
        <source>Not saved: the offline outbox cannot be written ({kind}).</source>
        <translation>No guardado: no se puede escribir la bandeja de salida sin conexión ({kind}).</translation>
    </message>
</context>
<context>
    <name>OfflineStatus</name>
    <message numerus="yes">
        <source>Offline — %n scan(s) waiting</source>
        <translation>
            <numerusform>Sin conexión — %n escaneo en espera</numerusform>
            <numerusform>Sin conexión — %n escaneos en espera</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Back online: sending %n offline scan(s)</source>
        <translation>
            <numerusform>Conexión recuperada: enviando %n escaneo sin conexión</numerusform>
            <numerusform>Conexión recuperada: enviando %n escaneos sin conexión</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n offline scan(s) need a supervisor</source>
        <translation>
            <numerusform>%n escaneo sin conexión necesita un supervisor</numerusform>
            <numerusform>%n escaneos sin conexión necesitan un supervisor</numerusform>
        </translation>
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
    <name>OpenRmasList</name>
    <message>
        <source>{rma}    order {order}    {received} of {expected} units</source>
        <translation>{rma}    pedido {order}    {received} de {expected} unidades</translation>
    </message>
</context>
<context>
    <name>OpenWavesList</name>
    <message numerus="yes">
        <source>{number}    {mode}, %n order(s)    {done} of {total} lines picked    {status}</source>
        <translation>
            <numerusform>{number}    {mode}, %n pedido    {done} de {total} líneas preparadas    {status}</numerusform>
            <numerusform>{number}    {mode}, %n pedidos    {done} de {total} líneas preparadas    {status}</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PackLinesModel</name>
    <message>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Producto</translation>
    </message>
    <message>
        <source>Ordered</source>
        <translation>Pedido</translation>
    </message>
    <message>
        <source>Picked</source>
        <translation>Preparado</translation>
    </message>
    <message>
        <source>Packed</source>
        <translation>Embalado</translation>
    </message>
    <message>
        <source>In tote</source>
        <translation>En cubeta</translation>
    </message>
    <message>
        <source>{units} missing</source>
        <translation>faltan {units}</translation>
    </message>
</context>
<context>
    <name>PackScreen</name>
    <message>
        <source>Pack</source>
        <translation>Embalar</translation>
    </message>
    <message>
        <source>Scan a tote or an order number</source>
        <translation>Escanee una cubeta o un número de pedido</translation>
    </message>
    <message>
        <source>Or choose a picked order: arrow keys, then Enter</source>
        <translation>O elija un pedido preparado: flechas y luego Intro</translation>
    </message>
    <message>
        <source>No picked orders are waiting.</source>
        <translation>No hay pedidos preparados esperando.</translation>
    </message>
    <message>
        <source>Next item counts {quantity} times</source>
        <translation>El siguiente artículo cuenta {quantity} veces</translation>
    </message>
    <message>
        <source>Weigh parcel {number}: type or scan its weight in kg, then Enter</source>
        <translation>Pese el bulto {number}: escriba o escanee su peso en kg y pulse Intro</translation>
    </message>
    <message>
        <source>Scan the lot of the item (GS1 label) or type it</source>
        <translation>Escanee el lote del artículo (etiqueta GS1) o escríbalo</translation>
    </message>
    <message>
        <source>Scan each item into parcel {number} ({units} left in the tote)</source>
        <translation>Escanee cada artículo al bulto {number} (quedan {units} en la cubeta)</translation>
    </message>
    <message>
        <source>Everything is in parcel {number}: F8 / SF:CLOSE to weigh and close it</source>
        <translation>Todo está en el bulto {number}: F8 / SF:CLOSE para pesarlo y cerrarlo</translation>
    </message>
    <message numerus="yes">
        <source>%n unit(s) never picked: a supervisor splits them off (F7 / SF:SPLIT)</source>
        <translation>
            <numerusform>%n unidad nunca preparada: un supervisor la separa (F7 / SF:SPLIT)</numerusform>
            <numerusform>%n unidades nunca preparadas: un supervisor las separa (F7 / SF:SPLIT)</numerusform>
        </translation>
    </message>
    <message>
        <source>Everything is packed: F9 / SF:CONFIRM finishes the order</source>
        <translation>Todo está embalado: F9 / SF:CONFIRM termina el pedido</translation>
    </message>
    <message>
        <source>Carton: {code} (chosen; F5 to change)</source>
        <translation>Caja: {code} (elegida; F5 para cambiarla)</translation>
    </message>
    <message>
        <source>Carton: {code} (suggested; scan another carton or F5 to change)</source>
        <translation>Caja: {code} (sugerida; escanee otra caja o F5 para cambiarla)</translation>
    </message>
    <message>
        <source>Carton: no carton fits everything: choose one (F5) or pack into several parcels</source>
        <translation>Caja: ninguna caja cabe todo: elija una (F5) o embale en varios bultos</translation>
    </message>
    <message>
        <source>Open an order first: scan its tote or number.</source>
        <translation>Abra primero un pedido: escanee su cubeta o su número.</translation>
    </message>
    <message>
        <source>{code} does nothing here.</source>
        <translation>{code} no hace nada aquí.</translation>
    </message>
    <message>
        <source>{order}: scan the first item</source>
        <translation>{order}: escanee el primer artículo</translation>
    </message>
    <message>
        <source>Carton {code} for parcel {number}</source>
        <translation>Caja {code} para el bulto {number}</translation>
    </message>
    <message>
        <source>Which carton? Scan it or type its number</source>
        <translation>¿Qué caja? Escanéela o escriba su número</translation>
    </message>
    <message>
        <source>+{units} {sku} → parcel {parcel} ({packed} of {ordered})</source>
        <translation>+{units} {sku} → bulto {parcel} ({packed} de {ordered})</translation>
    </message>
    <message>
        <source>Already counted: {scan}</source>
        <translation>Ya contado: {scan}</translation>
    </message>
    <message>
        <source>Tote empty: F8 / SF:CLOSE to weigh and close</source>
        <translation>Cubeta vacía: F8 / SF:CLOSE para pesar y cerrar</translation>
    </message>
    <message>
        <source>Nothing of yours to undo on {order}</source>
        <translation>No tiene nada que deshacer en {order}</translation>
    </message>
    <message>
        <source>Undone: -{units} {sku} out of parcel {parcel}: back in the tote</source>
        <translation>Deshecho: -{units} {sku} fuera del bulto {parcel}: de vuelta en la cubeta</translation>
    </message>
    <message>
        <source>No parcel is open: scan an item into one first.</source>
        <translation>No hay ningún bulto abierto: escanee primero un artículo.</translation>
    </message>
    <message>
        <source>&apos;{text}&apos; is not a weight: type the kilograms, like 1.25</source>
        <translation>&apos;{text}&apos; no es un peso: escriba los kilos, por ejemplo 1,25</translation>
    </message>
    <message>
        <source>Cleared: scan again</source>
        <translation>Borrado: escanee de nuevo</translation>
    </message>
    <message>
        <source>Left {order}: everything packed is saved</source>
        <translation>Ha salido de {order}: todo lo embalado está guardado</translation>
    </message>
</context>
<context>
    <name>ParcelActions</name>
    <message>
        <source>No parcel is open: scan an item into one first.</source>
        <translation>No hay ningún bulto abierto: escanee primero un artículo.</translation>
    </message>
    <message numerus="yes">
        <source>Parcel {number} closed: {carton}, {kg} kg, %n unit(s).</source>
        <translation>
            <numerusform>Bulto {number} cerrado: {carton}, {kg} kg, %n unidad.</numerusform>
            <numerusform>Bulto {number} cerrado: {carton}, {kg} kg, %n unidades.</numerusform>
        </translation>
    </message>
    <message>
        <source>Not printed: {reason}</source>
        <translation>No impreso: {reason}</translation>
    </message>
    <message>
        <source>Label and packing slip: {printer}</source>
        <translation>Etiqueta y albarán: {printer}</translation>
    </message>
    <message>
        <source>F7 / SF:SPLIT</source>
        <translation>F7 / SF:SPLIT</translation>
    </message>
    <message numerus="yes">
        <source>{order} packed: %n parcel(s) for {carrier}</source>
        <translation>
            <numerusform>{order} embalado: %n bulto para {carrier}</numerusform>
            <numerusform>{order} embalado: %n bultos para {carrier}</numerusform>
        </translation>
    </message>
    <message>
        <source>Split the units of {order} that were never picked off into a backorder?</source>
        <translation>¿Separar las unidades de {order} que nunca se prepararon en un pedido pendiente?</translation>
    </message>
    <message>
        <source>Not split: a supervisor must approve</source>
        <translation>No dividido: un supervisor debe aprobarlo</translation>
    </message>
    <message>
        <source>Split: {moved} to backorder {backorder}, approved by {name}.</source>
        <translation>Dividido: {moved} al pedido pendiente {backorder}, aprobado por {name}.</translation>
    </message>
</context>
<context>
    <name>ParcelsList</name>
    <message numerus="yes">
        <source>Parcel {number}    open    %n unit(s)    SSCC {sscc}</source>
        <translation>
            <numerusform>Bulto {number}    abierto    %n unidad    SSCC {sscc}</numerusform>
            <numerusform>Bulto {number}    abierto    %n unidades    SSCC {sscc}</numerusform>
        </translation>
    </message>
    <message>
        <source>{kg} kg</source>
        <translation>{kg} kg</translation>
    </message>
    <message numerus="yes">
        <source>Parcel {number}    closed    %n unit(s)    {carton}    {weight}    SSCC {sscc}</source>
        <translation>
            <numerusform>Bulto {number}    cerrado    %n unidad    {carton}    {weight}    SSCC {sscc}</numerusform>
            <numerusform>Bulto {number}    cerrado    %n unidades    {carton}    {weight}    SSCC {sscc}</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PickListModel</name>
    <message>
        <source>Location</source>
        <translation>Ubicación</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Producto</translation>
    </message>
    <message>
        <source>Lot</source>
        <translation>Lote</translation>
    </message>
    <message>
        <source>Qty</source>
        <translation>Cant.</translation>
    </message>
    <message>
        <source>Picked</source>
        <translation>Preparado</translation>
    </message>
    <message>
        <source>Tote</source>
        <translation>Cubeta</translation>
    </message>
    <message>
        <source>{missing} short</source>
        <translation>faltan {missing}</translation>
    </message>
</context>
<context>
    <name>PickScreen</name>
    <message>
        <source>Pick</source>
        <translation>Preparar</translation>
    </message>
    <message>
        <source>Scan a wave or one of its totes, or press Enter for the next wave</source>
        <translation>Escanee una ola o una de sus cubetas, o pulse Intro para la siguiente ola</translation>
    </message>
    <message>
        <source>Waves waiting to be picked, oldest first (arrow keys, then Enter):</source>
        <translation>Olas por preparar, la más antigua primero (flechas y luego Intro):</translation>
    </message>
    <message>
        <source>No waves are waiting. A supervisor releases them.</source>
        <translation>No hay olas esperando. Un supervisor las libera.</translation>
    </message>
    <message>
        <source>Next item counts {quantity} times</source>
        <translation>El siguiente artículo cuenta {quantity} veces</translation>
    </message>
    <message>
        <source>Scan the lot of {sku}</source>
        <translation>Escanee el lote de {sku}</translation>
    </message>
    <message>
        <source>Everything is picked</source>
        <translation>Todo está preparado</translation>
    </message>
    <message>
        <source>Go to {location} — scan the location</source>
        <translation>Vaya a {location} — escanee la ubicación</translation>
    </message>
    <message>
        <source>Pick {quantity} × {sku} {name}</source>
        <translation>Prepare {quantity} × {sku} {name}</translation>
    </message>
    <message>
        <source>(lot {lot})</source>
        <translation>(lote {lot})</translation>
    </message>
    <message>
        <source>tote {slot}</source>
        <translation>cubeta {slot}</translation>
    </message>
    <message numerus="yes">
        <source>{done} of %n line(s)</source>
        <translation>
            <numerusform>{done} de %n línea</numerusform>
            <numerusform>{done} de %n líneas</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{picked} of %n unit(s)</source>
        <translation>
            <numerusform>{picked} de %n unidad</numerusform>
            <numerusform>{picked} de %n unidades</numerusform>
        </translation>
    </message>
    <message>
        <source>tote {slot}: {order}</source>
        <translation>cubeta {slot}: {order}</translation>
    </message>
    <message>
        <source>Choose a wave first: scan its number or press Enter.</source>
        <translation>Elija primero una ola: escanee su número o pulse Intro.</translation>
    </message>
    <message>
        <source>{code} does nothing here.</source>
        <translation>{code} no hace nada aquí.</translation>
    </message>
    <message>
        <source>{code} is not a wave: scan a wave number like W000012 or a tote.</source>
        <translation>{code} no es una ola: escanee un número de ola como W000012 o una cubeta.</translation>
    </message>
    <message>
        <source>{wave} is picked already: take its cart to packing</source>
        <translation>{wave} ya está preparada: lleve su carro a embalaje</translation>
    </message>
    <message numerus="yes">
        <source>{wave}: %n line(s), go to {location}</source>
        <translation>
            <numerusform>{wave}: %n línea, vaya a {location}</numerusform>
            <numerusform>{wave}: %n líneas, vaya a {location}</numerusform>
        </translation>
    </message>
    <message>
        <source>At {location}: pick {quantity} × {sku}</source>
        <translation>En {location}: prepare {quantity} × {sku}</translation>
    </message>
    <message>
        <source>Into tote {slot}: scan its label {label}</source>
        <translation>A la caja {slot}: escanee su etiqueta {label}</translation>
    </message>
    <message>
        <source>+{units} {sku} → tote {slot}</source>
        <translation>+{units} {sku} → cubeta {slot}</translation>
    </message>
    <message>
        <source>({picked} of {quantity})</source>
        <translation>({picked} de {quantity})</translation>
    </message>
    <message>
        <source>Already counted: {scan}</source>
        <translation>Ya contado: {scan}</translation>
    </message>
    <message>
        <source>Next: {location}</source>
        <translation>Siguiente: {location}</translation>
    </message>
    <message>
        <source>{wave} is picked: take the cart to packing</source>
        <translation>{wave} está preparada: lleve el carro a embalaje</translation>
    </message>
    <message>
        <source>Nothing of yours to undo on {wave}</source>
        <translation>No tiene nada que deshacer en {wave}</translation>
    </message>
    <message>
        <source>Undone: -{units} {sku} from tote {slot}: put it back in {location}</source>
        <translation>Deshecho: -{units} {sku} de la cubeta {slot}: devuélvalo a {location}</translation>
    </message>
    <message>
        <source>Cleared: scan again</source>
        <translation>Borrado: escanee de nuevo</translation>
    </message>
    <message>
        <source>Left {wave}: everything picked is saved</source>
        <translation>Ha salido de {wave}: todo lo preparado está guardado</translation>
    </message>
    <message>
        <source>single order</source>
        <translation>pedido único</translation>
    </message>
    <message>
        <source>batch</source>
        <translation>lote de pedidos</translation>
    </message>
    <message>
        <source>released</source>
        <translation>liberada</translation>
    </message>
    <message>
        <source>being picked</source>
        <translation>en preparación</translation>
    </message>
    <message>
        <source>picked</source>
        <translation>preparada</translation>
    </message>
</context>
<context>
    <name>PinForm</name>
    <message>
        <source>New PIN for {name}</source>
        <translation>Nuevo PIN para {name}</translation>
    </message>
    <message>
        <source>Reset PIN</source>
        <translation>Restablecer PIN</translation>
    </message>
</context>
<context>
    <name>PlanForm</name>
    <message>
        <source>Plan a count</source>
        <translation>Planificar un recuento</translation>
    </message>
    <message>
        <source>Location &amp;range</source>
        <translation>&amp;Rango de ubicaciones</translation>
    </message>
    <message>
        <source>to</source>
        <translation>a</translation>
    </message>
    <message>
        <source>first location, e.g. A-01-01</source>
        <translation>primera ubicación, p. ej. A-01-01</translation>
    </message>
    <message>
        <source>last location</source>
        <translation>última ubicación</translation>
    </message>
    <message>
        <source>&amp;Zone</source>
        <translation>&amp;Zona</translation>
    </message>
    <message>
        <source>zone, e.g. Z1</source>
        <translation>zona, p. ej. Z1</translation>
    </message>
    <message>
        <source>SKU or barcode: every location holding it</source>
        <translation>SKU o código de barras: todas las ubicaciones que lo tienen</translation>
    </message>
    <message>
        <source>Pro&amp;duct</source>
        <translation>Pro&amp;ducto</translation>
    </message>
    <message>
        <source>ABC sc&amp;hedule</source>
        <translation>&amp;Calendario ABC</translation>
    </message>
    <message>
        <source>Coun&amp;ter</source>
        <translation>Con&amp;tador</translation>
    </message>
    <message>
        <source>D&amp;ue</source>
        <translation>&amp;Vence</translation>
    </message>
    <message>
        <source>&amp;Blind: counters never see the quantities on record</source>
        <translation>Cie&amp;go: quien cuenta nunca ve las cantidades registradas</translation>
    </message>
    <message>
        <source>&amp;Plan count</source>
        <translation>&amp;Planificar recuento</translation>
    </message>
    <message>
        <source>Anyone</source>
        <translation>Cualquiera</translation>
    </message>
    <message numerus="yes">
        <source>%n product(s) are due for counting today</source>
        <translation>
            <numerusform>%n producto debe contarse hoy</numerusform>
            <numerusform>%n productos deben contarse hoy</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing is due for counting today</source>
        <translation>Hoy no hay nada que contar</translation>
    </message>
    <message>
        <source>Type the first location of the range (and the last, for more than one).</source>
        <translation>Escriba la primera ubicación del rango (y la última, si son varias).</translation>
    </message>
    <message>
        <source>Type the zone to count.</source>
        <translation>Escriba la zona que se va a contar.</translation>
    </message>
    <message>
        <source>Type or scan the SKU or barcode of the product to count.</source>
        <translation>Escriba o escanee el SKU o el código de barras del producto que se va a contar.</translation>
    </message>
    <message>
        <source>Nothing new to plan: every product due already has an open count.</source>
        <translation>Nada nuevo que planificar: cada producto pendiente ya tiene un recuento abierto.</translation>
    </message>
    <message numerus="yes">
        <source>Planned {number}: %n location(s)</source>
        <translation>
            <numerusform>Planificado {number}: %n ubicación</numerusform>
            <numerusform>Planificado {number}: %n ubicaciones</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Planned %n counts</source>
        <translation>
            <numerusform>Planificado %n recuento</numerusform>
            <numerusform>Planificados %n recuentos</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PlanningScreen</name>
    <message>
        <source>anyone</source>
        <translation>cualquiera</translation>
    </message>
    <message>
        <source>{done} of {total}</source>
        <translation>{done} de {total}</translation>
    </message>
    <message>
        <source>blind</source>
        <translation>ciego</translation>
    </message>
    <message>
        <source>quantities shown</source>
        <translation>con cantidades</translation>
    </message>
    <message>
        <source>Select a count in the list first.</source>
        <translation>Seleccione primero un recuento de la lista.</translation>
    </message>
    <message numerus="yes">
        <source>%n count(s) given to {counter}, due {due}</source>
        <translation>
            <numerusform>%n recuento asignado a {counter}, vence {due}</numerusform>
            <numerusform>%n recuentos asignados a {counter}, vencen {due}</numerusform>
        </translation>
    </message>
    <message>
        <source>Cancel {numbers}? What was not yet settled changes no stock.</source>
        <translation>¿Cancelar {numbers}? Lo que aún no se ha resuelto no cambia el stock.</translation>
    </message>
    <message>
        <source>Cancelled {numbers}</source>
        <translation>Cancelado {numbers}</translation>
    </message>
    <message>
        <source>Cancel counts</source>
        <translation>Cancelar recuentos</translation>
    </message>
    <message>
        <source>Save count sheet</source>
        <translation>Guardar hoja de recuento</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>Archivos PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Writing the count sheet of {count}…</source>
        <translation>Escribiendo la hoja de recuento de {count}…</translation>
    </message>
    <message>
        <source>Could not write the file: {reason}</source>
        <translation>No se pudo escribir el archivo: {reason}</translation>
    </message>
    <message>
        <source>Count sheet {number} saved to {path}</source>
        <translation>Hoja de recuento {number} guardada en {path}</translation>
    </message>
    <message>
        <source>Plan counts</source>
        <translation>Planificar recuentos</translation>
    </message>
    <message>
        <source>Counts</source>
        <translation>Recuentos</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>Exactitud</translation>
    </message>
    <message>
        <source>Open counts</source>
        <translation>Recuentos abiertos</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Recuento</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Qué</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>Vence</translation>
    </message>
    <message>
        <source>Counter</source>
        <translation>Contador</translation>
    </message>
    <message>
        <source>Locations done</source>
        <translation>Ubicaciones hechas</translation>
    </message>
    <message>
        <source>Blind</source>
        <translation>Ciego</translation>
    </message>
    <message>
        <source>&amp;Assign to counter and due date</source>
        <translation>&amp;Asignar a contador y fecha</translation>
    </message>
    <message>
        <source>Print count &amp;sheet…</source>
        <translation>Imprimir &amp;hoja de recuento…</translation>
    </message>
    <message>
        <source>Ca&amp;ncel count…</source>
        <translation>Ca&amp;ncelar recuento…</translation>
    </message>
    <message>
        <source>Alt+P: plan    Alt+A: assign selected    Alt+S: count sheet    Ctrl+Tab: accuracy report    Esc: back</source>
        <translation>Alt+P: planificar    Alt+A: asignar los seleccionados    Alt+H: hoja de recuento    Ctrl+Tab: informe de exactitud    Esc: volver</translation>
    </message>
</context>
<context>
    <name>PolicyScreen</name>
    <message>
        <source>Count policy</source>
        <translation>Política de recuento</translation>
    </message>
    <message>
        <source>ABC classes</source>
        <translation>Clases ABC</translation>
    </message>
    <message>
        <source>&amp;A: first share of movement</source>
        <translation>&amp;A: primera parte del movimiento</translation>
    </message>
    <message>
        <source>&amp;B: up to</source>
        <translation>&amp;B: hasta</translation>
    </message>
    <message>
        <source>B&amp;y</source>
        <translation>&amp;Según</translation>
    </message>
    <message>
        <source>&amp;Look back (days)</source>
        <translation>&amp;Periodo analizado (días)</translation>
    </message>
    <message>
        <source>value (units × cost)</source>
        <translation>valor (unidades × coste)</translation>
    </message>
    <message>
        <source>frequency (moves)</source>
        <translation>frecuencia (movimientos)</translation>
    </message>
    <message>
        <source>&amp;Classify now</source>
        <translation>&amp;Clasificar ahora</translation>
    </message>
    <message>
        <source>How each class is counted</source>
        <translation>Cómo se cuenta cada clase</translation>
    </message>
    <message>
        <source>Counts a year</source>
        <translation>Recuentos al año</translation>
    </message>
    <message>
        <source>Tolerance, % of units</source>
        <translation>Tolerancia, % de unidades</translation>
    </message>
    <message>
        <source>Tolerance, value</source>
        <translation>Tolerancia, valor</translation>
    </message>
    <message>
        <source>Small variances approve themselves</source>
        <translation>Las diferencias pequeñas se aprueban solas</translation>
    </message>
    <message>
        <source>Daily plan</source>
        <translation>Plan diario</translation>
    </message>
    <message>
        <source>Plan &amp;days</source>
        <translation>&amp;Días del plan</translation>
    </message>
    <message>
        <source>Most counts a d&amp;ay</source>
        <translation>Máximo de recuentos al dí&amp;a</translation>
    </message>
    <message>
        <source>&amp;Save policy</source>
        <translation>&amp;Guardar política</translation>
    </message>
    <message>
        <source>Products now: A {a}, B {b}, C {c}</source>
        <translation>Productos ahora: A {a}, B {b}, C {c}</translation>
    </message>
    <message>
        <source>Planning by ABC today plans nothing: no product is due.</source>
        <translation>Planificar por ABC hoy no planifica nada: ningún producto toca.</translation>
    </message>
    <message>
        <source>Planning by ABC today: {total} counts over {days} days, at most {most} a day; {left} wait for the next plan.</source>
        <translation>Planificar por ABC hoy: {total} recuentos en {days} días, como máximo {most} al día; {left} esperan al siguiente plan.</translation>
    </message>
    <message>
        <source>Policy saved</source>
        <translation>Política guardada</translation>
    </message>
    <message>
        <source>Classified: A {a}, B {b}, C {c}</source>
        <translation>Clasificado: A {a}, B {b}, C {c}</translation>
    </message>
</context>
<context>
    <name>PrintJobsScreen</name>
    <message>
        <source>Sending job {job} again…</source>
        <translation>Enviando de nuevo el trabajo {job}…</translation>
    </message>
    <message>
        <source>Printing job {job} again…</source>
        <translation>Imprimiendo de nuevo el trabajo {job}…</translation>
    </message>
    <message>
        <source>Drawing the pages of {title}…</source>
        <translation>Dibujando las páginas de {title}…</translation>
    </message>
    <message>
        <source>Job {job} failed: {reason}</source>
        <translation>El trabajo {job} falló: {reason}</translation>
    </message>
    <message>
        <source>Job {job} printed on {printer}.</source>
        <translation>Trabajo {job} impreso en {printer}.</translation>
    </message>
    <message>
        <source>No print jobs in the last days.</source>
        <translation>No hay trabajos de impresión en los últimos días.</translation>
    </message>
    <message>
        <source>Job {job}: {title}, printed on {printer}.</source>
        <translation>Trabajo {job}: {title}, impreso en {printer}.</translation>
    </message>
    <message>
        <source>Job {job}: {title}, waiting for {printer}.</source>
        <translation>Trabajo {job}: {title}, esperando a {printer}.</translation>
    </message>
    <message>
        <source>Print jobs</source>
        <translation>Trabajos de impresión</translation>
    </message>
    <message>
        <source>&amp;All workstations</source>
        <translation>&amp;Todos los puestos</translation>
    </message>
    <message>
        <source>&amp;Retry (F5)</source>
        <translation>&amp;Reintentar (F5)</translation>
    </message>
    <message>
        <source>Re&amp;print (F6)</source>
        <translation>Re&amp;imprimir (F6)</translation>
    </message>
    <message>
        <source>Pre&amp;view (F3)</source>
        <translation>&amp;Vista previa (F3)</translation>
    </message>
    <message>
        <source>Up/Down: choose a job    F5: retry a failed job    F6: print again here    F3: preview    Esc: back</source>
        <translation>Arriba/Abajo: elegir un trabajo    F5: reintentar uno fallido    F6: imprimir de nuevo aquí    F3: vista previa    Esc: volver</translation>
    </message>
</context>
<context>
    <name>PrintPreviewDialog</name>
    <message>
        <source>Print preview: {title}</source>
        <translation>Vista previa: {title}</translation>
    </message>
    <message>
        <source>{title}: {count} pages, the first {shown} shown</source>
        <translation>{title}: {count} páginas; se muestran las primeras {shown}</translation>
    </message>
    <message numerus="yes">
        <source>{title}: %n page(s)</source>
        <translation>
            <numerusform>{title}: %n página</numerusform>
            <numerusform>{title}: %n páginas</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Print</source>
        <translation>&amp;Imprimir</translation>
    </message>
</context>
<context>
    <name>PrintersScreen</name>
    <message>
        <source>Printers of {workstation}.</source>
        <translation>Impresoras de {workstation}.</translation>
    </message>
    <message>
        <source>Not saved: {reason}</source>
        <translation>No se guardó: {reason}</translation>
    </message>
    <message>
        <source>Saved the printers of {workstation}.</source>
        <translation>Impresoras de {workstation} guardadas.</translation>
    </message>
    <message>
        <source>Not printed: {reason}</source>
        <translation>No se imprimió: {reason}</translation>
    </message>
    <message>
        <source>Test print sent as job {job}; see Print jobs for how it went.</source>
        <translation>Prueba enviada como trabajo {job}; el resultado está en Trabajos de impresión.</translation>
    </message>
    <message>
        <source>Printers</source>
        <translation>Impresoras</translation>
    </message>
    <message>
        <source>&amp;Workstation</source>
        <translation>&amp;Puesto</translation>
    </message>
    <message>
        <source>&amp;Show</source>
        <translation>&amp;Mostrar</translation>
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
    <name>ProfileForm</name>
    <message>
        <source>&amp;Folder</source>
        <translation>&amp;Carpeta</translation>
    </message>
    <message>
        <source>&amp;Address</source>
        <translation>&amp;Dirección</translation>
    </message>
    <message>
        <source>&amp;Printer</source>
        <translation>&amp;Impresora</translation>
    </message>
    <message>
        <source>folder for the PDF files</source>
        <translation>carpeta para los archivos PDF</translation>
    </message>
    <message>
        <source>system printer</source>
        <translation>impresora del sistema</translation>
    </message>
    <message>
        <source>address of the label printer, e.g. zebra-dock-1:9100</source>
        <translation>dirección de la impresora de etiquetas, p. ej. zebra-muelle-1:9100</translation>
    </message>
    <message>
        <source>raw CUPS queue</source>
        <translation>cola CUPS sin procesar (raw)</translation>
    </message>
    <message>
        <source>CUPS queue</source>
        <translation>cola CUPS</translation>
    </message>
    <message>
        <source>Folder for the PDF files</source>
        <translation>Carpeta para los archivos PDF</translation>
    </message>
    <message>
        <source>Labels</source>
        <translation>Etiquetas</translation>
    </message>
    <message>
        <source>Documents (A4 / Letter)</source>
        <translation>Documentos (A4 / Carta)</translation>
    </message>
    <message>
        <source>&amp;Name</source>
        <translation>&amp;Nombre</translation>
    </message>
    <message>
        <source>&amp;Output</source>
        <translation>&amp;Salida</translation>
    </message>
    <message>
        <source>&amp;Size</source>
        <translation>&amp;Tamaño</translation>
    </message>
    <message>
        <source>&amp;Resolution</source>
        <translation>&amp;Resolución</translation>
    </message>
    <message>
        <source>&amp;Darkness</source>
        <translation>&amp;Oscuridad</translation>
    </message>
    <message>
        <source>O&amp;ffset (dots)</source>
        <translation>&amp;Desplazamiento (puntos)</translation>
    </message>
    <message>
        <source>what people call this printer, e.g. Zebra at dock 1</source>
        <translation>cómo se llama esta impresora, p. ej. Zebra del muelle 1</translation>
    </message>
    <message>
        <source>the printer&apos;s own</source>
        <translation>la de la impresora</translation>
    </message>
    <message>
        <source>right </source>
        <translation>derecha </translation>
    </message>
    <message>
        <source>down </source>
        <translation>abajo </translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Examinar…</translation>
    </message>
    <message>
        <source>&amp;Test print: command sheet</source>
        <translation>Im&amp;presión de prueba: hoja de comandos</translation>
    </message>
</context>
<context>
    <name>PutawayScreen</name>
    <message>
        <source>Put away</source>
        <translation>Ubicar</translation>
    </message>
    <message>
        <source>Waiting to be put away    lines: {lines}    units: {units}</source>
        <translation>Esperan ser ubicados    líneas: {lines}    unidades: {units}</translation>
    </message>
    <message>
        <source>Nothing waits to be put away.</source>
        <translation>No hay nada pendiente de ubicar.</translation>
    </message>
    <message>
        <source>Scan an item or a license plate</source>
        <translation>Escanee un artículo o una matrícula</translation>
    </message>
    <message>
        <source>Type or scan how many to put away, then Enter</source>
        <translation>Escriba o escanee cuántos ubicar y pulse Intro</translation>
    </message>
    <message>
        <source>Scan any bin with room</source>
        <translation>Escanee cualquier hueco con espacio</translation>
    </message>
    <message>
        <source>Scan the destination {location}</source>
        <translation>Escanee el destino {location}</translation>
    </message>
    <message>
        <source>Plate {plate}: {units} units on {source}</source>
        <translation>Matrícula {plate}: {units} unidades en {source}</translation>
    </message>
    <message>
        <source>{quantity} × {sku} {name} on {source}</source>
        <translation>{quantity} × {sku} {name} en {source}</translation>
    </message>
    <message>
        <source>✓ Plate {plate}: {units} units → {location}</source>
        <translation>✓ Matrícula {plate}: {units} unidades → {location}</translation>
    </message>
    <message>
        <source>✓ {moved} → {location}</source>
        <translation>✓ {moved} → {location}</translation>
    </message>
    <message>
        <source>{units} still wait on {source}</source>
        <translation>{units} siguen esperando en {source}</translation>
    </message>
    <message>
        <source>reason: {reason}</source>
        <translation>motivo: {reason}</translation>
    </message>
    <message>
        <source>approved by {name}</source>
        <translation>aprobado por {name}</translation>
    </message>
    <message>
        <source>Already put away: {scan}</source>
        <translation>Ya ubicado: {scan}</translation>
    </message>
    <message>
        <source>Not put away: {reason}</source>
        <translation>No se ubicó: {reason}</translation>
    </message>
    <message>
        <source>Put away 1 to {most}: {most} wait on {source}.</source>
        <translation>Ubique de 1 a {most}: esperan {most} en {source}.</translation>
    </message>
    <message>
        <source>{quantity} of {total}: scan the destination</source>
        <translation>{quantity} de {total}: escanee el destino</translation>
    </message>
    <message>
        <source>Scan an item first, then F2 to put away part of it.</source>
        <translation>Escanee primero un artículo y luego F2 para ubicar una parte.</translation>
    </message>
    <message>
        <source>Nothing of yours to undo</source>
        <translation>No hay nada suyo que deshacer</translation>
    </message>
    <message>
        <source>Undone: {moved} from {location} back to {source}</source>
        <translation>Deshecho: {moved} de {location} vuelve a {source}</translation>
    </message>
    <message>
        <source>Quantity cleared: all of it goes</source>
        <translation>Cantidad quitada: se ubica todo</translation>
    </message>
    <message>
        <source>Nothing moved: it stays on {source}</source>
        <translation>No se movió nada: sigue en {source}</translation>
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
        <source>Scan or type the lot of {sku}</source>
        <translation>Escanee o escriba el lote de {sku}</translation>
    </message>
    <message>
        <source>Scan or type the expiry of {sku} (YYYY-MM-DD)</source>
        <translation>Escanee o escriba la caducidad de {sku} (AAAA-MM-DD)</translation>
    </message>
    <message>
        <source>{warning} (SF:CANCEL: to quarantine)</source>
        <translation>{warning} (SF:CANCEL: a cuarentena)</translation>
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
        <source>short shelf life: held in quarantine</source>
        <translation>vida útil corta: retenido en cuarentena</translation>
    </message>
    <message>
        <source>short shelf life accepted</source>
        <translation>vida útil corta aceptada</translation>
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
    <name>ReleaseTab</name>
    <message>
        <source>Channel</source>
        <translation>Canal</translation>
    </message>
    <message>
        <source>Carrier</source>
        <translation>Transportista</translation>
    </message>
    <message>
        <source>Priority at least</source>
        <translation>Prioridad mínima</translation>
    </message>
    <message>
        <source>Ship by until</source>
        <translation>Enviar antes de</translation>
    </message>
    <message>
        <source>Complete orders only</source>
        <translation>Solo pedidos completos</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>Pedido</translation>
    </message>
    <message>
        <source>Ship to</source>
        <translation>Destinatario</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Prioridad</translation>
    </message>
    <message>
        <source>Ship by</source>
        <translation>Enviar antes de</translation>
    </message>
    <message>
        <source>Lines</source>
        <translation>Líneas</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>Unidades</translation>
    </message>
    <message>
        <source>Allocated</source>
        <translation>Reservadas</translation>
    </message>
    <message>
        <source>Backorder</source>
        <translation>Pendientes</translation>
    </message>
    <message>
        <source>Allocate waiting orders (Alt+A)</source>
        <translation>Reservar stock para los pedidos en espera (Alt+A)</translation>
    </message>
    <message>
        <source>Release selected: a wave per order (Alt+S)</source>
        <translation>Liberar la selección: una ola por pedido (Alt+S)</translation>
    </message>
    <message>
        <source>Release selected onto carts (Alt+B)</source>
        <translation>Liberar la selección en carros (Alt+B)</translation>
    </message>
    <message>
        <source>totes per cart</source>
        <translation>cubetas por carro</translation>
    </message>
    <message>
        <source>all</source>
        <translation>todos</translation>
    </message>
    <message numerus="yes">
        <source>%n order(s) wait for stock to be allocated.</source>
        <translation>
            <numerusform>%n pedido espera que se le reserve stock.</numerusform>
            <numerusform>%n pedidos esperan que se les reserve stock.</numerusform>
        </translation>
    </message>
    <message>
        <source>No orders wait for allocation.</source>
        <translation>Ningún pedido espera reserva de stock.</translation>
    </message>
    <message>
        <source>Allocating stock to the waiting orders…</source>
        <translation>Asignando existencias a los pedidos en espera…</translation>
    </message>
    <message numerus="yes">
        <source>%n order(s) allocated</source>
        <translation>
            <numerusform>%n pedido con stock reservado</numerusform>
            <numerusform>%n pedidos con stock reservado</numerusform>
        </translation>
    </message>
    <message>
        <source>units reserved: {units}, on backorder: {backorder}.</source>
        <translation>unidades reservadas: {units}, pendientes: {backorder}.</translation>
    </message>
    <message numerus="yes">
        <source>Releasing %n order(s) and routing their pick tasks…</source>
        <translation>
            <numerusform>Liberando %n pedido y calculando la ruta de sus recogidas…</numerusform>
            <numerusform>Liberando %n pedidos y calculando la ruta de sus recogidas…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Released %n wave(s): {numbers}; lines to pick: {lines}.</source>
        <translation>
            <numerusform>Liberada %n ola: {numbers}; líneas por preparar: {lines}.</numerusform>
            <numerusform>Liberadas %n olas: {numbers}; líneas por preparar: {lines}.</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing to allocate.</source>
        <translation>No hay nada que reservar.</translation>
    </message>
    <message>
        <source>Select the orders to release first (Ctrl+A: all listed).</source>
        <translation>Seleccione primero los pedidos a liberar (Ctrl+A: todos los de la lista).</translation>
    </message>
</context>
<context>
    <name>ReplenishScreen</name>
    <message>
        <source>Replenish</source>
        <translation>Reponer</translation>
    </message>
    <message numerus="yes">
        <source>Open replenishments: %n</source>
        <translation>
            <numerusform>Reposiciones abiertas: %n</numerusform>
            <numerusform>Reposiciones abiertas: %n</numerusform>
        </translation>
    </message>
    <message>
        <source>No face needs replenishing. New tasks appear here.</source>
        <translation>Ninguna ubicación necesita reposición. Las tareas nuevas aparecen aquí.</translation>
    </message>
    <message>
        <source>Bring {units} × {sku} {name} to {face}</source>
        <translation>Llevar {units} × {sku} {name} a {face}</translation>
    </message>
    <message>
        <source>From {location}: {free} free</source>
        <translation>Desde {location}: {free} libres</translation>
    </message>
    <message>
        <source>Taking {units}{lot}</source>
        <translation>Tomando {units}{lot}</translation>
    </message>
    <message>
        <source>Scan the reserve bin {location}</source>
        <translation>Escanee la ubicación de reserva {location}</translation>
    </message>
    <message>
        <source>Scan a reserve bin holding {sku}</source>
        <translation>Escanee una ubicación de reserva con {sku}</translation>
    </message>
    <message>
        <source>Scan {sku} in {location}</source>
        <translation>Escanee {sku} en {location}</translation>
    </message>
    <message>
        <source>Scan the pick face {face}</source>
        <translation>Escanee la ubicación de picking {face}</translation>
    </message>
    <message>
        <source>No face needs replenishing.</source>
        <translation>Ninguna ubicación necesita reposición.</translation>
    </message>
    <message>
        <source>{location}: take {sku}</source>
        <translation>{location}: tome {sku}</translation>
    </message>
    <message>
        <source>Scan or type the lot of {sku}</source>
        <translation>Escanee o escriba el lote de {sku}</translation>
    </message>
    <message>
        <source>How many do you take? 1 to {most}, then Enter</source>
        <translation>¿Cuántas toma? De 1 a {most}, luego Enter</translation>
    </message>
    <message>
        <source>{units} × {sku}: scan the pick face {face}</source>
        <translation>{units} × {sku}: escanee la ubicación de picking {face}</translation>
    </message>
    <message>
        <source>Nothing taken: scan the item again</source>
        <translation>No se tomó nada: escanee el artículo de nuevo</translation>
    </message>
    <message>
        <source>That many cannot be taken here.</source>
        <translation>Aquí no se pueden tomar tantas.</translation>
    </message>
    <message>
        <source>✓ {units} × {sku} {source} → {face}</source>
        <translation>✓ {units} × {sku} {source} → {face}</translation>
    </message>
    <message>
        <source>{units} units for waiting orders</source>
        <translation>{units} unidades para pedidos en espera</translation>
    </message>
    <message>
        <source>Already replenished: {scan}</source>
        <translation>Ya repuesto: {scan}</translation>
    </message>
    <message>
        <source>Scan the bin label: a typed code is not accepted here. {prompt}</source>
        <translation>Escanee la etiqueta de la ubicación: aquí no se acepta un código escrito. {prompt}</translation>
    </message>
    <message>
        <source>No other task</source>
        <translation>No hay otra tarea</translation>
    </message>
    <message>
        <source>Item dropped: scan it again</source>
        <translation>Artículo descartado: escanéelo de nuevo</translation>
    </message>
    <message>
        <source>Bin dropped: scan a reserve bin</source>
        <translation>Ubicación descartada: escanee una ubicación de reserva</translation>
    </message>
</context>
<context>
    <name>ReplenishTasks</name>
    <message>
        <source>Face</source>
        <translation>Ubicación</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Producto</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>Unidades</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Desde</translation>
    </message>
    <message>
        <source>Orders wait</source>
        <translation>Pedidos en espera</translation>
    </message>
</context>
<context>
    <name>ReportModel</name>
    <message>
        <source>Shipped</source>
        <translation>Enviadas</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>Devueltas</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>Tasa</translation>
    </message>
    <message>
        <source>Grade {grade}</source>
        <translation>Grado {grade}</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>En espera</translation>
    </message>
</context>
<context>
    <name>ReturnFindings</name>
    <message>
        <source>Notes</source>
        <translation>Notas</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Listo</translation>
    </message>
    <message>
        <source>Findings of {code}: a number ticks or unticks, {done} when done</source>
        <translation>Hallazgos de {code}: un número marca o desmarca, {done} al terminar</translation>
    </message>
    <message>
        <source>Notes on {code} (now: {notes}): type them, then Enter</source>
        <translation>Notas sobre {code} (ahora: {notes}): escríbalas y pulse Intro</translation>
    </message>
    <message>
        <source>{code}: findings {findings}</source>
        <translation>{code}: hallazgos {findings}</translation>
    </message>
    <message>
        <source>notes: {notes}</source>
        <translation>notas: {notes}</translation>
    </message>
    <message>
        <source>Findings of {code} unchanged</source>
        <translation>Hallazgos de {code} sin cambios</translation>
    </message>
</context>
<context>
    <name>ReturnReportScreen</name>
    <message>
        <source>Channel</source>
        <translation>Canal</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Producto</translation>
    </message>
    <message>
        <source>Customer&apos;s reason</source>
        <translation>Motivo del cliente</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>Mes</translation>
    </message>
    <message>
        <source>Return report</source>
        <translation>Informe de devoluciones</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Por</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Periodo</translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation>Guardar como PDF…</translation>
    </message>
    <message>
        <source>last {days} days</source>
        <translation>últimos {days} días</translation>
    </message>
    <message>
        <source>all time</source>
        <translation>todo</translation>
    </message>
    <message>
        <source>{returned} units returned; graded A {a}, B {b}, C {c}, D {d}</source>
        <translation>{returned} unidades devueltas; calificadas A {a}, B {b}, C {c}, D {d}</translation>
    </message>
    <message>
        <source>Writing the return report…</source>
        <translation>Escribiendo el informe de devoluciones…</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>Guardado en {path}</translation>
    </message>
</context>
<context>
    <name>ReturnTexts</name>
    <message>
        <source>like new</source>
        <translation>como nuevo</translation>
    </message>
    <message>
        <source>open box</source>
        <translation>caja abierta</translation>
    </message>
    <message>
        <source>damaged, repairable</source>
        <translation>dañado, reparable</translation>
    </message>
    <message>
        <source>scrap</source>
        <translation>desecho</translation>
    </message>
    <message>
        <source>Restock</source>
        <translation>Reponer</translation>
    </message>
    <message>
        <source>Quarantine</source>
        <translation>Cuarentena</translation>
    </message>
    <message>
        <source>Refurbish</source>
        <translation>Reacondicionar</translation>
    </message>
    <message>
        <source>Return to vendor</source>
        <translation>Devolver al proveedor</translation>
    </message>
    <message>
        <source>Scrap</source>
        <translation>Desechar</translation>
    </message>
    <message>
        <source>serial not shipped on this order</source>
        <translation>número de serie no enviado en este pedido</translation>
    </message>
    <message>
        <source>lot not shipped on this order</source>
        <translation>lote no enviado en este pedido</translation>
    </message>
    <message>
        <source>returned before</source>
        <translation>ya devuelto antes</translation>
    </message>
    <message>
        <source>serial already in stock</source>
        <translation>número de serie ya en existencias</translation>
    </message>
    <message>
        <source>not on the RMA</source>
        <translation>no está en la RMA</translation>
    </message>
    <message>
        <source>more than announced</source>
        <translation>más de lo anunciado</translation>
    </message>
    <message>
        <source>as the customer described</source>
        <translation>como lo describió el cliente</translation>
    </message>
    <message>
        <source>scratched</source>
        <translation>rayado</translation>
    </message>
    <message>
        <source>dented</source>
        <translation>abollado</translation>
    </message>
    <message>
        <source>missing parts</source>
        <translation>faltan piezas</translation>
    </message>
    <message>
        <source>not working</source>
        <translation>no funciona</translation>
    </message>
    <message>
        <source>used</source>
        <translation>usado</translation>
    </message>
    <message>
        <source>dirty</source>
        <translation>sucio</translation>
    </message>
    <message>
        <source>packaging damaged</source>
        <translation>embalaje dañado</translation>
    </message>
    <message>
        <source>wrong item</source>
        <translation>artículo equivocado</translation>
    </message>
    <message>
        <source>water damage</source>
        <translation>daños por agua</translation>
    </message>
    <message>
        <source>Packaging intact</source>
        <translation>Embalaje intacto</translation>
    </message>
    <message>
        <source>Complete</source>
        <translation>Completo</translation>
    </message>
    <message>
        <source>Working</source>
        <translation>Funciona</translation>
    </message>
    <message>
        <source>Clean</source>
        <translation>Limpio</translation>
    </message>
</context>
<context>
    <name>ReturnUnitsModel</name>
    <message>
        <source>Unit</source>
        <translation>Unidad</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <source>Lot / serial</source>
        <translation>Lote / serie</translation>
    </message>
    <message>
        <source>Grade</source>
        <translation>Grado</translation>
    </message>
    <message>
        <source>Sent to</source>
        <translation>Enviado a</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Revisar</translation>
    </message>
    <message>
        <source>waiting for inspection</source>
        <translation>pendiente de inspección</translation>
    </message>
</context>
<context>
    <name>ReturnsScreen</name>
    <message>
        <source>Returns</source>
        <translation>Devoluciones</translation>
    </message>
    <message>
        <source>Scan the RMA, the order number, the customer&apos;s parcel or an item</source>
        <translation>Escanee la RMA, el número de pedido, el paquete del cliente o un artículo</translation>
    </message>
    <message>
        <source>Or choose an announced return: arrow keys, then Enter</source>
        <translation>O elija una devolución anunciada: flechas y luego Intro</translation>
    </message>
    <message>
        <source>No returns are announced.</source>
        <translation>No hay devoluciones anunciadas.</translation>
    </message>
    <message>
        <source>Up/Down + Enter: open the highlighted RMA    Esc: back</source>
        <translation>Arriba/Abajo + Intro: abrir la RMA resaltada    Esc: volver</translation>
    </message>
    <message>
        <source>Scan an item of {rma}</source>
        <translation>Escanee un artículo de {rma}</translation>
    </message>
    <message>
        <source>Check {code} and grade it</source>
        <translation>Revise {code} y califíquelo</translation>
    </message>
    <message>
        <source>Confirm {code}: Enter, or scan SF:CONFIRM</source>
        <translation>Confirme {code}: Intro, o escanee SF:CONFIRM</translation>
    </message>
    <message>
        <source>Open a return first: scan the RMA, the order or the parcel.</source>
        <translation>Abra primero una devolución: escanee la RMA, el pedido o el paquete.</translation>
    </message>
    <message>
        <source>{code} does nothing here.</source>
        <translation>{code} no hace nada aquí.</translation>
    </message>
    <message>
        <source>Unannounced return: {rma} opened for order {order}. Scan the first item.</source>
        <translation>Devolución sin anunciar: {rma} abierta para el pedido {order}. Escanee el primer artículo.</translation>
    </message>
    <message>
        <source>{rma}, order {order}: scan the first item</source>
        <translation>{rma}, pedido {order}: escanee el primer artículo</translation>
    </message>
    <message>
        <source>No returns are announced. Scan the RMA, the order or the parcel.</source>
        <translation>No hay devoluciones anunciadas. Escanee la RMA, el pedido o el paquete.</translation>
    </message>
    <message>
        <source>{sku}: scan or type its serial / lot number</source>
        <translation>{sku}: escanee o escriba su número de serie / lote</translation>
    </message>
    <message>
        <source>{code}: {sku} {name} received. Check it and grade it.</source>
        <translation>{code}: {sku} {name} recibido. Revíselo y califíquelo.</translation>
    </message>
    <message>
        <source>Already received: {text}</source>
        <translation>Ya recibido: {text}</translation>
    </message>
    <message>
        <source>{sku} {name} received offline: grade it online.</source>
        <translation>{sku} {name} recibido sin conexión: califíquelo en línea.</translation>
    </message>
    <message>
        <source>Check: {flags}</source>
        <translation>Revisar: {flags}</translation>
    </message>
    <message>
        <source>{code} is not waiting for inspection on {rma}.</source>
        <translation>{code} no está pendiente de inspección en {rma}.</translation>
    </message>
    <message>
        <source>{code}: {sku} {name} waits for inspection. Check it and grade it.</source>
        <translation>{code}: {sku} {name} espera inspección. Revíselo y califíquelo.</translation>
    </message>
    <message>
        <source>Scan an item of {rma} first.</source>
        <translation>Escanee primero un artículo de {rma}.</translation>
    </message>
    <message>
        <source>Grade {grade} ({name}) → {disposition} → {destination}: a supervisor must approve. Enter to confirm.</source>
        <translation>Grado {grade} ({name}) → {disposition} → {destination}: un supervisor debe aprobarlo. Intro para confirmar.</translation>
    </message>
    <message>
        <source>Grade {grade} ({name}) → {disposition} → {destination}. Enter to confirm.</source>
        <translation>Grado {grade} ({name}) → {disposition} → {destination}. Intro para confirmar.</translation>
    </message>
    <message>
        <source>{disposition} chosen: now grade the unit</source>
        <translation>{disposition} elegido: ahora califique la unidad</translation>
    </message>
    <message>
        <source>{disposition} instead of the rules&apos; choice: a supervisor must approve on Enter</source>
        <translation>{disposition} en lugar de lo que dicen las reglas: un supervisor debe aprobarlo al pulsar Intro</translation>
    </message>
    <message>
        <source>{disposition} is what the rules say anyway</source>
        <translation>{disposition} es lo que dicen las reglas de todos modos</translation>
    </message>
    <message>
        <source>The checklist has {count} items.</source>
        <translation>La lista de control tiene {count} puntos.</translation>
    </message>
    <message>
        <source>Grade {code} first: 1-4 or A-D, then Enter.</source>
        <translation>Califique primero {code}: 1-4 o A-D y luego Intro.</translation>
    </message>
    <message>
        <source>Not routed: {reason}</source>
        <translation>No enviado: {reason}</translation>
    </message>
    <message>
        <source>{code} grade {grade} → {disposition} → {destination}</source>
        <translation>{code} grado {grade} → {disposition} → {destination}</translation>
    </message>
    <message>
        <source>approved by {name}</source>
        <translation>aprobado por {name}</translation>
    </message>
    <message>
        <source>Already routed: {text}</source>
        <translation>Ya enviado: {text}</translation>
    </message>
    <message>
        <source>Label {code} NOT printed: {reason}</source>
        <translation>Etiqueta {code} NO impresa: {reason}</translation>
    </message>
    <message>
        <source>Label {code} printed: {where}</source>
        <translation>Etiqueta {code} impresa: {where}</translation>
    </message>
    <message>
        <source>No label was printed here yet.</source>
        <translation>Aquí aún no se ha impreso ninguna etiqueta.</translation>
    </message>
    <message>
        <source>Label {code} printed again</source>
        <translation>Etiqueta {code} impresa de nuevo</translation>
    </message>
    <message>
        <source>Nothing of yours to undo on {rma}</source>
        <translation>Nada suyo que deshacer en {rma}</translation>
    </message>
    <message>
        <source>Undone: {code} {sku} is back for inspection</source>
        <translation>Deshecho: {code} {sku} vuelve a inspección</translation>
    </message>
    <message>
        <source>Undone: {code} {sku} taken off the return</source>
        <translation>Deshecho: {code} {sku} retirado de la devolución</translation>
    </message>
    <message>
        <source>{rma} closed: {units} units inspected</source>
        <translation>{rma} cerrada: {units} unidades inspeccionadas</translation>
    </message>
    <message>
        <source>Serial question dropped: scan the item again</source>
        <translation>Pregunta de número de serie descartada: escanee el artículo de nuevo</translation>
    </message>
    <message>
        <source>{code} waits for inspection</source>
        <translation>{code} espera inspección</translation>
    </message>
    <message>
        <source>Left {rma}: everything confirmed is saved</source>
        <translation>Ha salido de {rma}: todo lo confirmado está guardado</translation>
    </message>
    <message>
        <source>No units of {rma} wait for inspection.</source>
        <translation>Ninguna unidad de {rma} espera inspección.</translation>
    </message>
    <message>
        <source>F1-F6: checklist    1-4 / A-D + Enter: grade    Up/Down: waiting units</source>
        <translation>F1-F6: lista de control    1-4 / A-D + Intro: clasificar    Arriba/Abajo: unidades en espera</translation>
    </message>
</context>
<context>
    <name>ReviewLinesModel</name>
    <message>
        <source>Count</source>
        <translation>Recuento</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>Ubicación</translation>
    </message>
    <message>
        <source>Zone</source>
        <translation>Zona</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Producto</translation>
    </message>
    <message>
        <source>Lot</source>
        <translation>Lote</translation>
    </message>
    <message>
        <source>ABC</source>
        <translation>ABC</translation>
    </message>
    <message>
        <source>Expected</source>
        <translation>Esperado</translation>
    </message>
    <message>
        <source>Counted</source>
        <translation>Contado</translation>
    </message>
    <message>
        <source>Variance</source>
        <translation>Diferencia</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Valor</translation>
    </message>
    <message>
        <source>Moved</source>
        <translation>Movido</translation>
    </message>
    <message>
        <source>Counts (who, when)</source>
        <translation>Recuentos (quién, cuándo)</translation>
    </message>
    <message>
        <source>{counted} by {who} ({when})</source>
        <translation>{counted} por {who} ({when})</translation>
    </message>
    <message numerus="yes">
        <source>{net} in %n move(s)</source>
        <translation>
            <numerusform>{net} en %n movimiento</numerusform>
            <numerusform>{net} en %n movimientos</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ReviewPanel</name>
    <message>
        <source>All</source>
        <translation>Todos</translation>
    </message>
    <message numerus="yes">
        <source>%n line(s) wait for a decision</source>
        <translation>
            <numerusform>%n línea espera una decisión</numerusform>
            <numerusform>%n líneas esperan una decisión</numerusform>
        </translation>
    </message>
    <message>
        <source>{shown} of {total} waiting lines shown</source>
        <translation>Se muestran {shown} de {total} líneas pendientes</translation>
    </message>
    <message>
        <source>Select a line to see its counts and the moves since counting began.</source>
        <translation>Seleccione una línea para ver sus recuentos y los movimientos desde que empezó el recuento.</translation>
    </message>
    <message>
        <source>{line}: expected {expected}, counted {counted}, on hand now {now}</source>
        <translation>{line}: esperado {expected}, contado {counted}, existencias ahora {now}</translation>
    </message>
    <message>
        <source>  {number} ({kind}): {counted} counted by {who}, {when}</source>
        <translation>  {number} ({kind}): {counted} contados por {who}, {when}</translation>
    </message>
    <message>
        <source>Moves since counting began:</source>
        <translation>Movimientos desde que empezó el recuento:</translation>
    </message>
    <message>
        <source>  {when}  {quantity}  {reason}  {other}  {who}</source>
        <translation>  {when}  {quantity}  {reason}  {other}  {who}</translation>
    </message>
    <message>
        <source>Approving asks: keep counted quantity ({counted_change}) or keep the difference ({difference_change}).</source>
        <translation>Al aprobar se pregunta: mantener la cantidad contada ({counted_change}) o mantener la diferencia ({difference_change}).</translation>
    </message>
    <message>
        <source>Select the lines to decide first.</source>
        <translation>Seleccione primero las líneas que va a decidir.</translation>
    </message>
    <message>
        <source>These lines were already decided.</source>
        <translation>Estas líneas ya estaban decididas.</translation>
    </message>
    <message numerus="yes">
        <source>Approved %n line(s) ({reason}): stock changed by {units} units.</source>
        <translation>
            <numerusform>Aprobada %n línea ({reason}): el stock cambió en {units} unidades.</numerusform>
            <numerusform>Aprobadas %n líneas ({reason}): el stock cambió en {units} unidades.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Rejected %n line(s) ({reason}): stock stays as recorded.</source>
        <translation>
            <numerusform>Rechazada %n línea ({reason}): el stock queda como está registrado.</numerusform>
            <numerusform>Rechazadas %n líneas ({reason}): el stock queda como está registrado.</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Count</source>
        <translation>&amp;Recuento</translation>
    </message>
    <message>
        <source>&amp;Zone</source>
        <translation>&amp;Zona</translation>
    </message>
    <message>
        <source>C&amp;lass</source>
        <translation>C&amp;lase</translation>
    </message>
    <message>
        <source>Only &amp;beyond tolerance</source>
        <translation>Solo &amp;fuera de tolerancia</translation>
    </message>
    <message>
        <source>Only where stock &amp;moved</source>
        <translation>Solo donde el stock se &amp;movió</translation>
    </message>
    <message>
        <source>&amp;Approve…</source>
        <translation>&amp;Aprobar…</translation>
    </message>
    <message>
        <source>&amp;Reject…</source>
        <translation>Rec&amp;hazar…</translation>
    </message>
</context>
<context>
    <name>ReviewScreen</name>
    <message>
        <source>Review counts</source>
        <translation>Revisar recuentos</translation>
    </message>
    <message>
        <source>Click or Shift/Ctrl+arrows: select lines    Ctrl+A: all shown    Alt+A: approve    Alt+R: reject    Alt+B / Alt+M: filters    F5: reload    Esc: back</source>
        <translation>Clic o Mayús/Ctrl+flechas: seleccionar líneas    Ctrl+A: todas las mostradas    Alt+A: aprobar    Alt+H: rechazar    Alt+F / Alt+M: filtros    F5: recargar    Esc: volver</translation>
    </message>
</context>
<context>
    <name>RmaPage</name>
    <message>
        <source>announced</source>
        <translation>anunciada</translation>
    </message>
    <message>
        <source>unannounced</source>
        <translation>sin anunciar</translation>
    </message>
    <message>
        <source>{received} of {expected} units</source>
        <translation>{received} de {expected} unidades</translation>
    </message>
    <message>
        <source>{received} units</source>
        <translation>{received} unidades</translation>
    </message>
    <message>
        <source>order {order}</source>
        <translation>pedido {order}</translation>
    </message>
    <message>
        <source>{waiting} waiting</source>
        <translation>{waiting} en espera</translation>
    </message>
</context>
<context>
    <name>ScanRulesScreen</name>
    <message>
        <source>Locations: scan the bin label (or say its check digits)</source>
        <translation>Ubicaciones: escanear la etiqueta del hueco (o decir sus dígitos de control)</translation>
    </message>
    <message>
        <source>Items: scan the product&apos;s barcode</source>
        <translation>Artículos: escanear el código de barras del producto</translation>
    </message>
    <message>
        <source>Totes: scan the tote label on a batch cart</source>
        <translation>Cubetas: escanear la etiqueta de la cubeta en el carro de lote</translation>
    </message>
    <message>
        <source>Documents: scan the order, wave or count number</source>
        <translation>Documentos: escanear el número de pedido, oleada o recuento</translation>
    </message>
    <message>
        <source>locations</source>
        <translation>ubicaciones</translation>
    </message>
    <message>
        <source>items</source>
        <translation>artículos</translation>
    </message>
    <message>
        <source>totes</source>
        <translation>cubetas</translation>
    </message>
    <message>
        <source>documents</source>
        <translation>documentos</translation>
    </message>
    <message>
        <source>Scans required</source>
        <translation>Escaneo obligatorio</translation>
    </message>
    <message>
        <source>At a ticked prompt the scan field takes only what the scanner sends: a code typed by hand is refused and journaled. Commands and answers such as quantities, lots or PINs may always be typed.</source>
        <translation>En una solicitud marcada, el campo de escaneo solo acepta lo que envía el escáner: un código tecleado a mano se rechaza y queda registrado. Los comandos y las respuestas como cantidades, lotes o PIN siempre se pueden teclear.</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Guardar</translation>
    </message>
    <message>
        <source>Space: tick / untick    Tab: next    Alt+S: save    Esc: back</source>
        <translation>Espacio: marcar / desmarcar    Tab: siguiente    Alt+G: guardar    Esc: volver</translation>
    </message>
    <message>
        <source>Saved: a scan is required at {kinds}.</source>
        <translation>Guardado: se exige escanear en {kinds}.</translation>
    </message>
    <message>
        <source>Saved: typed codes are accepted at every prompt.</source>
        <translation>Guardado: se aceptan códigos tecleados en todas las solicitudes.</translation>
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
        <source>Diagnostics copied to the clipboard: paste them into your message to support.</source>
        <translation>Diagnóstico copiado al portapapeles: péguelo en su mensaje al soporte.</translation>
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
        <source>&amp;Kiosk</source>
        <translation>&amp;Quiosco</translation>
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
        <source>Full screen, without title bar</source>
        <translation>Pantalla completa, sin barra de título</translation>
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
        <source>Support</source>
        <translation>Soporte</translation>
    </message>
    <message>
        <source>Log files: {folder}</source>
        <translation>Archivos de registro: {folder}</translation>
    </message>
    <message>
        <source>Log files: none (logging to the console only)</source>
        <translation>Archivos de registro: ninguno (solo registro en la consola)</translation>
    </message>
    <message>
        <source>Copy diagnostics (F8)</source>
        <translation>Copiar diagnóstico (F8)</translation>
    </message>
    <message>
        <source>Tab: next field    Ctrl+S: save    Esc: back without saving</source>
        <translation>Tab: campo siguiente    Ctrl+S: guardar    Esc: volver sin guardar</translation>
    </message>
</context>
<context>
    <name>ShortPicks</name>
    <message>
        <source>Scan location {location} first, then report what is missing.</source>
        <translation>Escanee primero la ubicación {location} y luego indique lo que falta.</translation>
    </message>
    <message>
        <source>How many {sku} are at {location}? Type the number found (0 to {most}), then Enter</source>
        <translation>¿Cuántas {sku} hay en {location}? Escriba el número encontrado (0 a {most}) y pulse Intro</translation>
    </message>
    <message>
        <source>{found} of {quantity} {sku} found at {location}. Why?</source>
        <translation>{found} de {quantity} {sku} encontradas en {location}. ¿Por qué?</translation>
    </message>
    <message>
        <source>Short pick cancelled: nothing was written off</source>
        <translation>Picking incompleto cancelado: no se dio nada de baja</translation>
    </message>
    <message>
        <source>Short: {picked} of {quantity} {sku} → tote {slot}, {missing} written off.</source>
        <translation>Incompleto: {picked} de {quantity} {sku} → cubeta {slot}, {missing} dadas de baja.</translation>
    </message>
    <message>
        <source>{units} more reserved in other bins: at the end of the list.</source>
        <translation>{units} más reservadas en otros huecos: al final de la lista.</translation>
    </message>
    <message>
        <source>{units} on backorder.</source>
        <translation>{units} quedan pendientes.</translation>
    </message>
    <message>
        <source>A count of {location} is requested.</source>
        <translation>Se ha pedido un recuento de {location}.</translation>
    </message>
</context>
<context>
    <name>SpotDecision</name>
    <message>
        <source>Nothing of {number} waits for a decision.</source>
        <translation>Nada de {number} espera una decisión.</translation>
    </message>
    <message>
        <source>{line}: expected {expected}, counted {counted} ({variance})</source>
        <translation>{line}: esperado {expected}, contado {counted} ({variance})</translation>
    </message>
    <message numerus="yes">
        <source>and %n more</source>
        <translation>
            <numerusform>y %n más</numerusform>
            <numerusform>y %n más</numerusform>
        </translation>
    </message>
    <message>
        <source>Approve: stock becomes what was counted</source>
        <translation>Aprobar: el stock pasa a ser lo contado</translation>
    </message>
    <message>
        <source>Reject: stock stays as recorded</source>
        <translation>Rechazar: el stock queda como está registrado</translation>
    </message>
    <message>
        <source>{name} decides {number}:</source>
        <translation>{name} decide {number}:</translation>
    </message>
    <message>
        <source>Why approve?</source>
        <translation>¿Por qué aprobar?</translation>
    </message>
    <message>
        <source>Why reject?</source>
        <translation>¿Por qué rechazar?</translation>
    </message>
    <message>
        <source>{line}: {now} now; keep counted {counted_change}, keep the difference {difference_change}</source>
        <translation>{line}: ahora {now}; conservar lo contado {counted_change}, conservar la diferencia {difference_change}</translation>
    </message>
    <message>
        <source>Stock moved while it was counted:</source>
        <translation>El stock se movió durante el recuento:</translation>
    </message>
    <message>
        <source>No supervisor decision was made.</source>
        <translation>No se tomó ninguna decisión de supervisor.</translation>
    </message>
    <message>
        <source>These lines were already decided.</source>
        <translation>Estas líneas ya estaban decididas.</translation>
    </message>
    <message numerus="yes">
        <source>{name} approved %n line(s) of {number} ({reason}): stock changed by {units} units.</source>
        <translation>
            <numerusform>{name} aprobó %n línea de {number} ({reason}): el stock cambió en {units} unidades.</numerusform>
            <numerusform>{name} aprobó %n líneas de {number} ({reason}): el stock cambió en {units} unidades.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{name} rejected %n line(s) of {number} ({reason}): stock stays as recorded.</source>
        <translation>
            <numerusform>{name} rechazó %n línea de {number} ({reason}): el stock queda como está registrado.</numerusform>
            <numerusform>{name} rechazó %n líneas de {number} ({reason}): el stock queda como está registrado.</numerusform>
        </translation>
    </message>
    <message>
        <source>One line at a time</source>
        <translation>Una línea cada vez</translation>
    </message>
    <message>
        <source>Stopped: the lines not decided yet keep waiting.</source>
        <translation>Detenido: las líneas aún sin decidir siguen esperando.</translation>
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
    <name>SuggestionPanel</name>
    <message>
        <source>Also possible: {bins}</source>
        <translation>También posible: {bins}</translation>
    </message>
    <message>
        <source>Not suggested: {why}</source>
        <translation>No sugerido: {why}</translation>
    </message>
    <message>
        <source>Take plate {plate} ({quantity} units) to any bin with room</source>
        <translation>Lleve la matrícula {plate} ({quantity} unidades) a cualquier hueco con espacio</translation>
    </message>
    <message>
        <source>Take plate {plate} ({quantity} units) to {location}</source>
        <translation>Lleve la matrícula {plate} ({quantity} unidades) a {location}</translation>
    </message>
    <message>
        <source>Take {quantity} of {total} × {sku} to any bin with room</source>
        <translation>Lleve {quantity} de {total} × {sku} a cualquier hueco con espacio</translation>
    </message>
    <message>
        <source>Take {quantity} of {total} × {sku} to {location}</source>
        <translation>Lleve {quantity} de {total} × {sku} a {location}</translation>
    </message>
    <message>
        <source>Take {quantity} × {sku} to any bin with room</source>
        <translation>Lleve {quantity} × {sku} a cualquier hueco con espacio</translation>
    </message>
    <message>
        <source>Take {quantity} × {sku} to {location}</source>
        <translation>Lleve {quantity} × {sku} a {location}</translation>
    </message>
    <message>
        <source>{quantity} × {sku} {name}</source>
        <translation>{quantity} × {sku} {name}</translation>
    </message>
    <message>
        <source>lot {lot}</source>
        <translation>lote {lot}</translation>
    </message>
    <message>
        <source>expires {date}</source>
        <translation>caduca el {date}</translation>
    </message>
    <message>
        <source>From {source}: {goods}</source>
        <translation>Desde {source}: {goods}</translation>
    </message>
</context>
<context>
    <name>UserForm</name>
    <message>
        <source>New user</source>
        <translation>Nuevo usuario</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Nombre de usuario</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>Badge</source>
        <translation>Tarjeta</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rol</translation>
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
        <translation>Usuarios</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Nombre de usuario</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>Badge</source>
        <translation>Tarjeta</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rol</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Activo</translation>
    </message>
    <message>
        <source>Locked</source>
        <translation>Bloqueado</translation>
    </message>
    <message>
        <source>New user...</source>
        <translation>Nuevo usuario...</translation>
    </message>
    <message>
        <source>Deactivate / reactivate</source>
        <translation>Desactivar / reactivar</translation>
    </message>
    <message>
        <source>Reset PIN...</source>
        <translation>Restablecer PIN...</translation>
    </message>
    <message>
        <source>Print badge</source>
        <translation>Imprimir tarjeta</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>sí</translation>
    </message>
    <message>
        <source>no</source>
        <translation>no</translation>
    </message>
    <message>
        <source>Choose a user in the list first.</source>
        <translation>Elija primero un usuario de la lista.</translation>
    </message>
    <message>
        <source>User {name} added.</source>
        <translation>Usuario {name} añadido.</translation>
    </message>
    <message>
        <source>{name} is deactivated: the badge is refused.</source>
        <translation>{name} está desactivado: su tarjeta se rechaza.</translation>
    </message>
    <message>
        <source>{name} is active again.</source>
        <translation>{name} vuelve a estar activo.</translation>
    </message>
    <message>
        <source>New PIN set for {name}.</source>
        <translation>Nuevo PIN establecido para {name}.</translation>
    </message>
    <message>
        <source>Badge of {name} sent to the label printer.</source>
        <translation>Tarjeta de {name} enviada a la impresora de etiquetas.</translation>
    </message>
</context>
<context>
    <name>WaitingModel</name>
    <message>
        <source>Location</source>
        <translation>Ubicación</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>Lot</source>
        <translation>Lote</translation>
    </message>
    <message>
        <source>License plate</source>
        <translation>Matrícula</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>Cantidad</translation>
    </message>
</context>
<context>
    <name>WaitingOrdersList</name>
    <message numerus="yes">
        <source>{order}    tote {tote}    %n unit(s)    {carrier}</source>
        <translation>
            <numerusform>{order}    cubeta {tote}    %n unidad    {carrier}</numerusform>
            <numerusform>{order}    cubeta {tote}    %n unidades    {carrier}</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>WavesScreen</name>
    <message>
        <source>Waves and dispatch</source>
        <translation>Olas y expedición</translation>
    </message>
    <message>
        <source>1 Release orders</source>
        <translation>1 Liberar pedidos</translation>
    </message>
    <message>
        <source>2 Waves on the floor</source>
        <translation>2 Olas en el almacén</translation>
    </message>
    <message>
        <source>3 Dispatch</source>
        <translation>3 Expedición</translation>
    </message>
    <message>
        <source>Alt+1/2/3: tabs    Alt+A: allocate    Alt+S / Alt+B: release selected as single / batch waves    Alt+P / Alt+C: pick list PDF / CSV    Alt+D: dispatch    Alt+X: confirmations CSV    F5: reload    Ctrl+A: select all    Esc: back</source>
        <translation>Alt+1/2/3: pestañas    Alt+A: reservar    Alt+S / Alt+B: liberar la selección en olas de un pedido / en carros    Alt+P / Alt+C: lista de preparación PDF / CSV    Alt+D: expedir    Alt+X: confirmaciones CSV    F5: recargar    Ctrl+A: seleccionar todo    Esc: volver</translation>
    </message>
</context>
<context>
    <name>WavesTab</name>
    <message>
        <source>single order</source>
        <translation>pedido único</translation>
    </message>
    <message>
        <source>batch (cart)</source>
        <translation>lote (carro)</translation>
    </message>
    <message>
        <source>released</source>
        <translation>liberada</translation>
    </message>
    <message>
        <source>being picked</source>
        <translation>en preparación</translation>
    </message>
    <message>
        <source>picked</source>
        <translation>preparada</translation>
    </message>
    <message>
        <source>Wave</source>
        <translation>Ola</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>Modo</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>Pedidos</translation>
    </message>
    <message>
        <source>Lines picked</source>
        <translation>Líneas preparadas</translation>
    </message>
    <message>
        <source>Units picked</source>
        <translation>Unidades preparadas</translation>
    </message>
    <message>
        <source>Route (m)</source>
        <translation>Ruta (m)</translation>
    </message>
    <message>
        <source>Totes: orders</source>
        <translation>Cubetas: pedidos</translation>
    </message>
    <message>
        <source>Show picked waves</source>
        <translation>Mostrar olas preparadas</translation>
    </message>
    <message>
        <source>Pick list as PDF (Alt+P)</source>
        <translation>Lista de preparación en PDF (Alt+P)</translation>
    </message>
    <message>
        <source>Pick list as CSV (Alt+C)</source>
        <translation>Lista de preparación en CSV (Alt+C)</translation>
    </message>
    <message>
        <source>{done} of {total}</source>
        <translation>{done} de {total}</translation>
    </message>
    <message>
        <source>Select a wave first.</source>
        <translation>Seleccione primero una ola.</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>Archivos PDF (*.pdf)</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Archivos CSV (*.csv)</translation>
    </message>
    <message>
        <source>Pick list of {wave}</source>
        <translation>Lista de preparación de {wave}</translation>
    </message>
    <message>
        <source>Writing the pick list of {wave}…</source>
        <translation>Escribiendo la lista de preparación de {wave}…</translation>
    </message>
    <message>
        <source>Could not write {path}: {reason}</source>
        <translation>No se pudo escribir {path}: {reason}</translation>
    </message>
    <message>
        <source>Pick list of {wave} saved to {path}</source>
        <translation>Lista de preparación de {wave} guardada en {path}</translation>
    </message>
</context>
<context>
    <name>argparse</name>
    <message>
        <source>positional arguments</source>
        <translation>argumentos posicionales</translation>
    </message>
    <message>
        <source>options</source>
        <translation>opciones</translation>
    </message>
    <message>
        <source>show this help message and exit</source>
        <translation>mostrar esta ayuda y salir</translation>
    </message>
    <message>
        <source>usage: </source>
        <translation>uso: </translation>
    </message>
    <message>
        <source>show program&apos;s version number and exit</source>
        <translation>mostrar la versión del programa y salir</translation>
    </message>
</context>
<context>
    <name>cli</name>
    <message>
        <source>{prog}: error: {message}</source>
        <translation>{prog}: error: {message}</translation>
    </message>
    <message>
        <source>--demo and --database exclude each other</source>
        <translation>--demo y --database se excluyen mutuamente</translation>
    </message>
    <message>
        <source>database error: {reason}</source>
        <translation>error de la base de datos: {reason}</translation>
    </message>
    <message>
        <source>row {row}, {column}: {reason}</source>
        <translation>fila {row}, {column}: {reason}</translation>
    </message>
    <message>
        <source>row {row}: {reason}</source>
        <translation>fila {row}: {reason}</translation>
    </message>
    <message>
        <source>{file}: no such file</source>
        <translation>{file}: no existe el archivo</translation>
    </message>
    <message>
        <source>&apos;{text}&apos; is not a whole number</source>
        <translation>&apos;{text}&apos; no es un número entero</translation>
    </message>
    <message>
        <source>must be between {low} and {high}, not {value}</source>
        <translation>debe estar entre {low} y {high}, no {value}</translation>
    </message>
    <message>
        <source>must be at least {low}, not {value}</source>
        <translation>debe ser al menos {low}, no {value}</translation>
    </message>
    <message>
        <source>PIN for {name}: </source>
        <translation>PIN de {name}: </translation>
    </message>
    <message>
        <source>Created the Stockfloor tables in {database} (schema {schema}).</source>
        <translation>Tablas de Stockfloor creadas en {database} (esquema {schema}).</translation>
    </message>
    <message>
        <source>Upgraded {database} from schema {before} to {after}; backup: {file}.</source>
        <translation>{database} actualizada del esquema {before} al {after}; copia de seguridad: {file}.</translation>
    </message>
    <message>
        <source>Upgraded {database} from schema {before} to {after}.</source>
        <translation>{database} actualizada del esquema {before} al {after}.</translation>
    </message>
    <message>
        <source>database: {database}</source>
        <translation>base de datos: {database}</translation>
    </message>
    <message>
        <source>schema before: {schema}</source>
        <translation>esquema antes: {schema}</translation>
    </message>
    <message>
        <source>already up to date</source>
        <translation>ya está al día</translation>
    </message>
    <message>
        <source>schema after:  {schema}</source>
        <translation>esquema después: {schema}</translation>
    </message>
    <message>
        <source>backup: {file}</source>
        <translation>copia de seguridad: {file}</translation>
    </message>
    <message>
        <source>ledger consistent: {rows} on-hand rows, {moves} moves; document counters agree</source>
        <translation>libro de existencias coherente: filas de existencias: {rows}, movimientos: {moves}; los contadores de los documentos coinciden</translation>
    </message>
    <message>
        <source>{count} document counters disagree with the ledger</source>
        <translation>contadores de documentos que no coinciden con el libro: {count}</translation>
    </message>
    <message>
        <source>, lot {lot}</source>
        <translation>, lote {lot}</translation>
    </message>
    <message>
        <source>, license plate {plate}</source>
        <translation>, matrícula {plate}</translation>
    </message>
    <message>
        <source> (negative)</source>
        <translation> (negativo)</translation>
    </message>
    <message>
        <source>{product} at {location}{extra}: on-hand {on_hand}, ledger {ledger}{negative}</source>
        <translation>{product} en {location}{extra}: existencias {on_hand}, libro {ledger}{negative}</translation>
    </message>
    <message>
        <source>{count} discrepancies between on-hand and the ledger</source>
        <translation>diferencias entre existencias y libro: {count}</translation>
    </message>
    <message>
        <source>file size: {size} MB</source>
        <translation>tamaño del archivo: {size} MB</translation>
    </message>
    <message>
        <source>current</source>
        <translation>al día</translation>
    </message>
    <message>
        <source>needs `stockfloor db upgrade` to {schema}</source>
        <translation>necesita `stockfloor db upgrade` a {schema}</translation>
    </message>
    <message>
        <source>schema: {schema} ({state})</source>
        <translation>esquema: {schema} ({state})</translation>
    </message>
    <message>
        <source>products</source>
        <translation>productos</translation>
    </message>
    <message>
        <source>barcodes</source>
        <translation>códigos de barras</translation>
    </message>
    <message>
        <source>locations</source>
        <translation>ubicaciones</translation>
    </message>
    <message>
        <source>virtual locations</source>
        <translation>ubicaciones virtuales</translation>
    </message>
    <message>
        <source>lots</source>
        <translation>lotes</translation>
    </message>
    <message>
        <source>license plates</source>
        <translation>matrículas de palé</translation>
    </message>
    <message>
        <source>on-hand rows</source>
        <translation>filas de existencias</translation>
    </message>
    <message>
        <source>units on hand</source>
        <translation>unidades en existencia</translation>
    </message>
    <message>
        <source>moves</source>
        <translation>movimientos</translation>
    </message>
    <message>
        <source>open purchase orders</source>
        <translation>pedidos de compra abiertos</translation>
    </message>
    <message>
        <source>active users</source>
        <translation>usuarios activos</translation>
    </message>
    <message>
        <source>Demo warehouse built in {database} in {seconds} s:</source>
        <translation>Almacén de demostración creado en {database} en {seconds} s:</translation>
    </message>
    <message>
        <source>bins</source>
        <translation>huecos</translation>
    </message>
    <message>
        <source>{products} products, {locations} locations ({bins} bins), {lots} lots/serials, {plates} pallets on SSCC license plates</source>
        <translation>productos: {products}, ubicaciones: {locations} (huecos: {bins}), lotes/números de serie: {lots}, palés con matrícula SSCC: {plates}</translation>
    </message>
    <message>
        <source>{moves} opening moves, {units} units on hand, {orders} open purchase orders / ASNs</source>
        <translation>movimientos de apertura: {moves}, unidades en existencia: {units}, pedidos de compra/avisos de envío abiertos: {orders}</translation>
    </message>
    <message>
        <source>{orders} customer orders ({waves} waves released, ready to pick), floor layout and cartons</source>
        <translation>pedidos de clientes: {orders} (oleadas liberadas, listas para preparar: {waves}), plano del almacén y cajas</translation>
    </message>
    <message>
        <source>Users (badge, PIN, role, language):</source>
        <translation>Usuarios (tarjeta, PIN, rol, idioma):</translation>
    </message>
    <message>
        <source>Built the demo warehouse in {file}.</source>
        <translation>Almacén de demostración creado en {file}.</translation>
    </message>
    <message>
        <source>users</source>
        <translation>usuarios</translation>
    </message>
    <message>
        <source>orders</source>
        <translation>pedidos</translation>
    </message>
    <message>
        <source>rules</source>
        <translation>reglas</translation>
    </message>
    <message>
        <source>{file}: rows valid: {rows}; {what}: would create {created}, would update {updated}. Dry run: nothing was written.</source>
        <translation>{file}: filas válidas: {rows}; {what}: se crearían {created} y se actualizarían {updated}. Prueba: no se escribió nada.</translation>
    </message>
    <message>
        <source>{file}: rows imported: {rows}; {what}: created {created}, updated {updated}.</source>
        <translation>{file}: filas importadas: {rows}; {what}: creados {created}, actualizados {updated}.</translation>
    </message>
    <message>
        <source>Orders allocated: {orders}; units reserved: {units}; on backorder: {backorder}.</source>
        <translation>Pedidos asignados: {orders}; unidades reservadas: {units}; pendientes: {backorder}.</translation>
    </message>
    <message>
        <source>{file}: {orders} orders with {lines} lines valid, nothing written (dry run).</source>
        <translation>{file}: válido, no se escribió nada (prueba). Pedidos: {orders}, líneas: {lines}.</translation>
    </message>
    <message>
        <source>{file}: {orders} orders with {lines} lines imported.</source>
        <translation>{file}: importado. Pedidos: {orders}, líneas: {lines}.</translation>
    </message>
    <message>
        <source>{file}: {aisles} aisles, {cross} middle cross aisles, depot at x={x}.</source>
        <translation>{file}: pasillos: {aisles}, pasillos transversales intermedios: {cross}, depósito en x={x}.</translation>
    </message>
    <message>
        <source>{order}: {units} reserved, backorder {backorder}</source>
        <translation>{order}: reservadas {units}, pendientes {backorder}</translation>
    </message>
    <message>
        <source>Units waiting for replenishment: {units} (tasks: {tasks}).</source>
        <translation>Unidades que esperan reposición: {units} (tareas: {tasks}).</translation>
    </message>
    <message>
        <source>no allocated orders match: nothing released</source>
        <translation>ningún pedido asignado coincide: no se liberó nada</translation>
    </message>
    <message>
        <source>{wave}: {picks} picks, {units} units ({orders})</source>
        <translation>{wave}: recogidas {picks}, unidades {units} ({orders})</translation>
    </message>
    <message>
        <source>Waves released: {waves}; lines to pick: {lines}.</source>
        <translation>Oleadas liberadas: {waves}; líneas por preparar: {lines}.</translation>
    </message>
    <message>
        <source>&apos;{text}&apos; is not a wave number like W000012</source>
        <translation>&apos;{text}&apos; no es un número de oleada como W000012</translation>
    </message>
    <message>
        <source>pick list of {wave} written to {file}</source>
        <translation>lista de preparación de {wave} escrita en {file}</translation>
    </message>
    <message>
        <source>{count} parcel items written to {file}</source>
        <translation>{count} artículos de bultos escritos en {file}</translation>
    </message>
    <message>
        <source>{count} shipped parcels written to {file}</source>
        <translation>bultos enviados escritos en {file}: {count}</translation>
    </message>
    <message>
        <source>only locations are printed by range</source>
        <translation>solo las ubicaciones se imprimen por rango</translation>
    </message>
    <message>
        <source>only products are chosen by SKU</source>
        <translation>solo los productos se eligen por SKU</translation>
    </message>
    <message>
        <source>only receiving labels come from an order</source>
        <translation>solo las etiquetas de recepción salen de un pedido</translation>
    </message>
    <message>
        <source>give --order PO</source>
        <translation>indique --order PEDIDO</translation>
    </message>
    <message>
        <source>only location labels have arrows</source>
        <translation>solo las etiquetas de ubicación llevan flechas</translation>
    </message>
    <message>
        <source>Print job {job} is kept as failed: retry it from the Print jobs screen.</source>
        <translation>El trabajo de impresión {job} queda como fallido: reinténtelo desde la pantalla Trabajos de impresión.</translation>
    </message>
    <message>
        <source>{count} labels written to {file}</source>
        <translation>etiquetas escritas en {file}: {count}</translation>
    </message>
    <message>
        <source>document written to {file}</source>
        <translation>documento escrito en {file}</translation>
    </message>
    <message>
        <source>Print job {job}: {count} page sent to {printer}</source>
        <translation>Trabajo de impresión {job} enviado a {printer}: páginas: {count}</translation>
    </message>
    <message>
        <source>Print job {job}: {count} pages sent to {printer}</source>
        <translation>Trabajo de impresión {job} enviado a {printer}: páginas: {count}</translation>
    </message>
    <message>
        <source>Print job {job}: {count} label sent to {printer}</source>
        <translation>Trabajo de impresión {job} enviado a {printer}: etiquetas: {count}</translation>
    </message>
    <message>
        <source>Print job {job}: {count} labels sent to {printer}</source>
        <translation>Trabajo de impresión {job} enviado a {printer}: etiquetas: {count}</translation>
    </message>
    <message>
        <source>printer {name} prints {format}</source>
        <translation>la impresora {name} imprime {format}</translation>
    </message>
    <message>
        <source>no printer profile is named &apos;{name}&apos;, and CUPS cannot be asked: {reason}</source>
        <translation>ningún perfil de impresora se llama &apos;{name}&apos; y no se puede consultar CUPS: {reason}</translation>
    </message>
    <message>
        <source>there is no printer profile or CUPS queue named &apos;{name}&apos;</source>
        <translation>no hay ningún perfil de impresora ni cola de CUPS llamada &apos;{name}&apos;</translation>
    </message>
    <message>
        <source>bad scan: {reason}</source>
        <translation>escaneo no válido: {reason}</translation>
    </message>
    <message>
        <source>database: none at {file} (interpretation only)</source>
        <translation>base de datos: ninguna en {file} (solo interpretación)</translation>
    </message>
    <message>
        <source>database: not known in {database}</source>
        <translation>base de datos: desconocido en {database}</translation>
    </message>
    <message>
        <source>database: no exact match in {database}</source>
        <translation>base de datos: ninguna coincidencia exacta en {database}</translation>
    </message>
    <message>
        <source>{count} tamper findings in moves, audit_log and scan_journal</source>
        <translation>indicios de manipulación en moves, audit_log y scan_journal: {count}</translation>
    </message>
    <message>
        <source>hash chain intact: {rows} rows chained, head {head}</source>
        <translation>cadena de hashes intacta: filas encadenadas: {rows}, cabeza {head}</translation>
    </message>
    <message>
        <source>setup-roles is for PostgreSQL; on SQLite the triggers alone keep the tables append-only.</source>
        <translation>setup-roles es para PostgreSQL; en SQLite los disparadores bastan para que las tablas solo admitan inserciones.</translation>
    </message>
    <message>
        <source>Token for {name} (shown once; keep it where the scheduled job runs):</source>
        <translation>Token de {name} (se muestra una vez; guárdelo donde se ejecuta la tarea programada):</translation>
    </message>
    <message>
        <source>{count} products written to {file}</source>
        <translation>{count} productos escritos en {file}</translation>
    </message>
    <message>
        <source>{count} on-hand rows written to {file}</source>
        <translation>filas de existencias escritas en {file}: {count}</translation>
    </message>
    <message>
        <source>{count} receipt rows of {po} written to {file}</source>
        <translation>{count} filas de recepción de {po} escritas en {file}</translation>
    </message>
    <message>
        <source>{count} journal rows written to {file}</source>
        <translation>filas del diario escritas en {file}: {count}</translation>
    </message>
    <message>
        <source>{file}: {rmas} RMAs with {lines} lines valid, nothing written (dry run)</source>
        <translation>{file}: válido, no se escribió nada (prueba). RMA: {rmas}, líneas: {lines}</translation>
    </message>
    <message>
        <source>{file}: {rmas} RMAs with {lines} lines imported</source>
        <translation>{file}: importado. RMA: {rmas}, líneas: {lines}</translation>
    </message>
    <message>
        <source>, {replaced} replaced</source>
        <translation>, sustituidas: {replaced}</translation>
    </message>
    <message>
        <source>{count} inspected returns written to {file}</source>
        <translation>devoluciones inspeccionadas escritas en {file}: {count}</translation>
    </message>
    <message>
        <source>return report by {group} written to {file}</source>
        <translation>informe de devoluciones por {group} escrito en {file}</translation>
    </message>
    <message>
        <source>argument {argument}: {message}</source>
        <translation>argumento {argument}: {message}</translation>
    </message>
    <message>
        <source>the following arguments are required: {arguments}</source>
        <translation>faltan estos argumentos: {arguments}</translation>
    </message>
    <message>
        <source>invalid choice: {value} (choose from {choices})</source>
        <translation>opción no válida: {value} (elija entre {choices})</translation>
    </message>
    <message>
        <source>unrecognized arguments: {arguments}</source>
        <translation>argumentos no reconocidos: {arguments}</translation>
    </message>
    <message>
        <source>expected one argument</source>
        <translation>se esperaba un valor</translation>
    </message>
    <message>
        <source>expected at least one argument</source>
        <translation>se esperaba al menos un valor</translation>
    </message>
    <message>
        <source>invalid {type} value: {value}</source>
        <translation>valor {type} no válido: {value}</translation>
    </message>
    <message>
        <source>not allowed with argument {argument}</source>
        <translation>no se permite junto con el argumento {argument}</translation>
    </message>
    <message>
        <source>one of the arguments {arguments} is required</source>
        <translation>se necesita uno de los argumentos {arguments}</translation>
    </message>
    <message>
        <source>Products classified: {count} (by {basis}, over {days} days): {classes}</source>
        <translation>Productos clasificados: {count} (por {basis}, en {days} días): {classes}</translation>
    </message>
    <message>
        <source>{day}  counts: {count}</source>
        <translation>{day}  recuentos: {count}</translation>
    </message>
    <message>
        <source>Counts that would be planned: {count} over {days} days; due counts left for the next plan (daily cap): {left}</source>
        <translation>Recuentos que se planificarían: {count} en {days} días; recuentos pendientes para el próximo plan (límite diario): {left}</translation>
    </message>
    <message>
        <source>Counts planned: {count} over {days} days; due counts left for the next plan (daily cap): {left}</source>
        <translation>Recuentos planificados: {count} en {days} días; recuentos pendientes para el próximo plan (límite diario): {left}</translation>
    </message>
    <message>
        <source>{count} figures written to {file}</source>
        <translation>{count} cifras escritas en {file}</translation>
    </message>
    <message>
        <source>{reference}</source>
        <translation>{reference}</translation>
    </message>
    <message>
        <source>order {reference}</source>
        <translation>pedido {reference}</translation>
    </message>
    <message>
        <source>stock {reference}</source>
        <translation>existencias {reference}</translation>
    </message>
    <message>
        <source>{document}, {item}: {counter} {stored}, ledger says {ledger}</source>
        <translation>{document}, {item}: {counter} {stored}, según el libro {ledger}</translation>
    </message>
    <message>
        <source>pick faces</source>
        <translation>ubicaciones de picking</translation>
    </message>
    <message>
        <source>lines: {count}</source>
        <translation>líneas: {count}</translation>
    </message>
    <message>
        <source>new barcodes: {count}</source>
        <translation>códigos de barras nuevos: {count}</translation>
    </message>
    <message>
        <source>raw: {raw}</source>
        <translation>en bruto: {raw}</translation>
    </message>
    <message>
        <source>command: {value}</source>
        <translation>comando: {value}</translation>
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
        <translation>lote: {value}</translation>
    </message>
    <message>
        <source>expiry: {value}</source>
        <translation>caducidad: {value}</translation>
    </message>
    <message>
        <source>best before: {value}</source>
        <translation>consumo preferente: {value}</translation>
    </message>
    <message>
        <source>serial: {value}</source>
        <translation>número de serie: {value}</translation>
    </message>
    <message>
        <source>count: {value}</source>
        <translation>cantidad: {value}</translation>
    </message>
    <message>
        <source>net weight (kg): {value}</source>
        <translation>peso neto (kg): {value}</translation>
    </message>
    <message>
        <source>kind: {kind}</source>
        <translation>tipo: {kind}</translation>
    </message>
    <message>
        <source>symbology identifier: {value}</source>
        <translation>identificador de simbología: {value}</translation>
    </message>
    <message>
        <source>code: {value}</source>
        <translation>código: {value}</translation>
    </message>
    <message>
        <source>problem: {problem}</source>
        <translation>problema: {problem}</translation>
    </message>
    <message>
        <source>product {sku} ({name})</source>
        <translation>producto {sku} ({name})</translation>
    </message>
    <message>
        <source>, {units} units per scan</source>
        <translation>, {units} unidades por escaneo</translation>
    </message>
    <message>
        <source>location {code} ({kind}, blocked), check digits {digits}</source>
        <translation>ubicación {code} ({kind}, bloqueada), dígitos de control {digits}</translation>
    </message>
    <message>
        <source>location {code} ({kind}), check digits {digits}</source>
        <translation>ubicación {code} ({kind}), dígitos de control {digits}</translation>
    </message>
    <message>
        <source>license plate {code}</source>
        <translation>matrícula {code}</translation>
    </message>
    <message>
        <source>{kind} {number} from {supplier} ({status})</source>
        <translation>{kind} {number} de {supplier} ({status})</translation>
    </message>
    <message>
        <source>badge of {name} ({role})</source>
        <translation>tarjeta de {name} ({role})</translation>
    </message>
    <message>
        <source>, lot tracked</source>
        <translation>, con control de lotes</translation>
    </message>
    <message>
        <source>, serial tracked</source>
        <translation>, con control de números de serie</translation>
    </message>
    <message>
        <source>{table} row {row} was edited after it was written</source>
        <translation>{table}, fila {row}: modificada después de escribirse</translation>
    </message>
    <message>
        <source>{table} row {row} was deleted</source>
        <translation>{table}, fila {row}: borrada</translation>
    </message>
    <message>
        <source>{table} row {row} is not in the chain (written outside Stockfloor)</source>
        <translation>{table}, fila {row}: no está en la cadena (escrita fuera de Stockfloor)</translation>
    </message>
    <message>
        <source>the chain link before {table} row {row} was removed</source>
        <translation>se eliminó el eslabón de la cadena anterior a {table}, fila {row}</translation>
    </message>
    <message>
        <source>letters, digits and _ only</source>
        <translation>solo letras, dígitos y _</translation>
    </message>
    <message>
        <source>password for {role}: </source>
        <translation>contraseña para {role}: </translation>
    </message>
    <message>
        <source>role {role}: may read and write the warehouse in schema {schema}, may only append to {tables}.</source>
        <translation>rol {role}: puede leer y escribir el almacén en el esquema {schema}, y solo añadir a {tables}.</translation>
    </message>
    <message>
        <source>Connect Stockfloor as {url}; run `stockfloor db upgrade` as the owner.</source>
        <translation>Conecte Stockfloor como {url}; ejecute `stockfloor db upgrade` como propietario.</translation>
    </message>
    <message>
        <source>{text} is not a date (YYYY-MM-DD)</source>
        <translation>{text} no es una fecha (AAAA-MM-DD)</translation>
    </message>
    <message>
        <source>{file}: rows valid: {rows}; would move {units_in} units in and {units_out} out ({lots} new lots, {plates} new license plates). Dry run: nothing was written.</source>
        <translation>{file}: filas válidas: {rows}; entrarían {units_in} unidades y saldrían {units_out} (lotes nuevos: {lots}, matrículas nuevas: {plates}). Prueba: no se escribió nada.</translation>
    </message>
    <message>
        <source>{file}: rows imported: {rows}; moved {units_in} units in and {units_out} out ({lots} new lots, {plates} new license plates).</source>
        <translation>{file}: filas importadas: {rows}; entraron {units_in} unidades y salieron {units_out} (lotes nuevos: {lots}, matrículas nuevas: {plates}).</translation>
    </message>
</context>
<context>
    <name>cli codes</name>
    <message>
        <source>gs1</source>
        <translation>cadena GS1</translation>
    </message>
    <message>
        <source>gtin</source>
        <translation>GTIN</translation>
    </message>
    <message>
        <source>command</source>
        <translation>comando</translation>
    </message>
    <message>
        <source>text</source>
        <translation>texto</translation>
    </message>
    <message>
        <source>receiving</source>
        <translation>recepción</translation>
    </message>
    <message>
        <source>storage</source>
        <translation>almacenaje</translation>
    </message>
    <message>
        <source>pick_face</source>
        <translation>ubicación de picking</translation>
    </message>
    <message>
        <source>packing</source>
        <translation>embalaje</translation>
    </message>
    <message>
        <source>shipping</source>
        <translation>expedición</translation>
    </message>
    <message>
        <source>quarantine</source>
        <translation>cuarentena</translation>
    </message>
    <message>
        <source>returns</source>
        <translation>devoluciones</translation>
    </message>
    <message>
        <source>cart</source>
        <translation>carro</translation>
    </message>
    <message>
        <source>supplier</source>
        <translation>proveedor</translation>
    </message>
    <message>
        <source>customer</source>
        <translation>cliente</translation>
    </message>
    <message>
        <source>inventory_loss</source>
        <translation>pérdida de inventario</translation>
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
    <name>cli columns</name>
    <message>
        <source>required</source>
        <translation>obligatorio</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>opcional</translation>
    </message>
    <message>
        <source>text</source>
        <translation>texto</translation>
    </message>
    <message>
        <source>integer</source>
        <translation>entero</translation>
    </message>
    <message>
        <source>decimal</source>
        <translation>decimal</translation>
    </message>
    <message>
        <source>date YYYY-MM-DD</source>
        <translation>fecha AAAA-MM-DD</translation>
    </message>
    <message>
        <source>one of {choices}</source>
        <translation>uno de {choices}</translation>
    </message>
    <message>
        <source>text, max {length}</source>
        <translation>texto, máx. {length}</translation>
    </message>
    <message>
        <source>Stock-keeping unit. The key: a SKU already in the database is updated.</source>
        <translation>Referencia (SKU). La clave: un SKU que ya está en la base de datos se actualiza.</translation>
    </message>
    <message>
        <source>Product name as operators see it.</source>
        <translation>Nombre del producto tal como lo ven los operarios.</translation>
    </message>
    <message>
        <source>Unit of measure (each, pack...); quantities are whole units.</source>
        <translation>Unidad de medida (unidad, paquete...); las cantidades son unidades enteras.</translation>
    </message>
    <message>
        <source>Lot or serial numbers captured on receipt.</source>
        <translation>Números de lote o de serie registrados en la recepción.</translation>
    </message>
    <message>
        <source>Lots carry an expiry date (needs tracking lot or serial).</source>
        <translation>Los lotes llevan fecha de caducidad (requiere tracking lot o serial).</translation>
    </message>
    <message>
        <source>Days of shelf life a lot must still have on receipt (0: only expired lots are held).</source>
        <translation>Días de vida útil que un lote debe tener aún en la recepción (0: solo se retienen los lotes caducados).</translation>
    </message>
    <message>
        <source>Free grouping for reports and put-away.</source>
        <translation>Agrupación libre para informes y ubicación.</translation>
    </message>
    <message>
        <source>The unit&apos;s GTIN (check digit verified).</source>
        <translation>El GTIN de la unidad (se verifica el dígito de control).</translation>
    </message>
    <message>
        <source>GTIN of a case, usually a GTIN-14; needs case_qty.</source>
        <translation>GTIN de una caja, normalmente un GTIN-14; requiere case_qty.</translation>
    </message>
    <message>
        <source>Units in one case_gtin case.</source>
        <translation>Unidades en una caja case_gtin.</translation>
    </message>
    <message>
        <source>Weight of one unit in kg.</source>
        <translation>Peso de una unidad en kg.</translation>
    </message>
    <message>
        <source>Length of one unit in cm.</source>
        <translation>Largo de una unidad en cm.</translation>
    </message>
    <message>
        <source>Width of one unit in cm.</source>
        <translation>Ancho de una unidad en cm.</translation>
    </message>
    <message>
        <source>Height of one unit in cm.</source>
        <translation>Alto de una unidad en cm.</translation>
    </message>
    <message>
        <source>Cost of one unit (stock valuation).</source>
        <translation>Coste de una unidad (valoración de existencias).</translation>
    </message>
    <message>
        <source>More codes and the units each stands for, e.g. &apos;INT-77:1;95012345678903:6&apos;. All-digit codes of GTIN length must have a valid check digit.</source>
        <translation>Más códigos y las unidades que representa cada uno, p. ej. &apos;INT-77:1;95012345678903:6&apos;. Los códigos solo de dígitos con longitud de GTIN deben tener un dígito de control válido.</translation>
    </message>
    <message>
        <source>Location code, e.g. A-03-02-1. The key: an existing code is updated.</source>
        <translation>Código de ubicación, p. ej. A-03-02-1. La clave: un código existente se actualiza.</translation>
    </message>
    <message>
        <source>What the location&apos;s label encodes; blank means the code itself.</source>
        <translation>Lo que codifica la etiqueta de la ubicación; en blanco significa el propio código.</translation>
    </message>
    <message>
        <source>What the location is for; supplier, customer and inventory_loss are virtual (they hold no stock).</source>
        <translation>Para qué sirve la ubicación; supplier, customer e inventory_loss son virtuales (no guardan existencias).</translation>
    </message>
    <message>
        <source>Zone name, for put-away rules and reports.</source>
        <translation>Nombre de zona, para reglas de ubicación e informes.</translation>
    </message>
    <message>
        <source>Aisle name, e.g. A.</source>
        <translation>Nombre del pasillo, p. ej. A.</translation>
    </message>
    <message>
        <source>Bay number along the aisle.</source>
        <translation>Número de módulo a lo largo del pasillo.</translation>
    </message>
    <message>
        <source>Shelf level, 1 = floor / pick face.</source>
        <translation>Nivel de estantería, 1 = suelo / frente de picking.</translation>
    </message>
    <message>
        <source>Position within the level.</source>
        <translation>Posición dentro del nivel.</translation>
    </message>
    <message>
        <source>Floor position across the aisles, metres (pick routing).</source>
        <translation>Posición a lo ancho de los pasillos, en metros (rutas de picking).</translation>
    </message>
    <message>
        <source>Floor position along the aisle from the front cross aisle, metres.</source>
        <translation>Posición a lo largo del pasillo desde el pasillo transversal delantero, en metros.</translation>
    </message>
    <message>
        <source>Blocked locations take no stock.</source>
        <translation>Las ubicaciones bloqueadas no admiten existencias.</translation>
    </message>
    <message>
        <source>Log-in name. The key: an existing username is updated.</source>
        <translation>Nombre de inicio de sesión. La clave: un usuario existente se actualiza.</translation>
    </message>
    <message>
        <source>Name shown on screens and in the audit trail.</source>
        <translation>Nombre que se muestra en las pantallas y en el registro de auditoría.</translation>
    </message>
    <message>
        <source>What the user&apos;s badge barcode encodes.</source>
        <translation>Lo que codifica el código de barras de la tarjeta del usuario.</translation>
    </message>
    <message>
        <source>What the user may do.</source>
        <translation>Lo que el usuario puede hacer.</translation>
    </message>
    <message>
        <source>4 to 12 digits. Required for a new user; blank keeps the current PIN.</source>
        <translation>De 4 a 12 dígitos. Obligatorio para un usuario nuevo; en blanco conserva el PIN actual.</translation>
    </message>
    <message>
        <source>Language of the user&apos;s screens: en, es...</source>
        <translation>Idioma de las pantallas del usuario: en, es...</translation>
    </message>
    <message>
        <source>Order number as printed and scanned. An existing order that nothing was received on yet is replaced.</source>
        <translation>Número de pedido tal como se imprime y escanea. Un pedido existente del que aún no se ha recibido nada se sustituye.</translation>
    </message>
    <message>
        <source>po = purchase order, asn = advance shipping notice.</source>
        <translation>po = pedido de compra, asn = aviso de envío anticipado.</translation>
    </message>
    <message>
        <source>Supplier name.</source>
        <translation>Nombre del proveedor.</translation>
    </message>
    <message>
        <source>When the goods are due.</source>
        <translation>Cuándo se espera la mercancía.</translation>
    </message>
    <message>
        <source>Line number within the order.</source>
        <translation>Número de línea dentro del pedido.</translation>
    </message>
    <message>
        <source>Product ordered; must already exist.</source>
        <translation>Producto pedido; debe existir ya.</translation>
    </message>
    <message>
        <source>Units expected.</source>
        <translation>Unidades esperadas.</translation>
    </message>
    <message>
        <source>Location code of the bin. The key: an existing limit is replaced.</source>
        <translation>Código de ubicación del hueco. La clave: un límite existente se sustituye.</translation>
    </message>
    <message>
        <source>Most units the bin holds, all products together; blank = no limit.</source>
        <translation>Máximo de unidades que admite el hueco, todos los productos juntos; en blanco = sin límite.</translation>
    </message>
    <message>
        <source>Most weight in kg (products&apos; weight_kg); blank = no limit.</source>
        <translation>Peso máximo en kg (weight_kg de los productos); en blanco = sin límite.</translation>
    </message>
    <message>
        <source>Most volume in litres (products&apos; length x width x height); blank = no limit.</source>
        <translation>Volumen máximo en litros (length x width x height de los productos); en blanco = sin límite.</translation>
    </message>
    <message>
        <source>May the bin hold several lots of one product? no = never, whatever the rules say.</source>
        <translation>¿Puede el hueco contener varios lotes de un producto? no = nunca, digan lo que digan las reglas.</translation>
    </message>
    <message>
        <source>What the rule is for: a product, a product group or a zone.</source>
        <translation>Para qué es la regla: un producto, un grupo de productos o una zona.</translation>
    </message>
    <message>
        <source>The SKU, product group or zone name. With scope, the key.</source>
        <translation>El SKU, grupo de productos o nombre de zona. Junto con scope, la clave.</translation>
    </message>
    <message>
        <source>Products only: the bin the product always goes to first.</source>
        <translation>Solo productos: el hueco al que el producto va siempre primero.</translation>
    </message>
    <message>
        <source>Products and groups: empty bins are looked for here first.</source>
        <translation>Productos y grupos: los huecos vacíos se buscan aquí primero.</translation>
    </message>
    <message>
        <source>Products and groups: the only zones allowed, separated by &apos;;&apos;; blank = every zone.</source>
        <translation>Productos y grupos: las únicas zonas permitidas, separadas por &apos;;&apos;; en blanco = cualquier zona.</translation>
    </message>
    <message>
        <source>May lots be mixed in a bin? Blank = the next rule decides (product, group, zone; default yes).</source>
        <translation>¿Se pueden mezclar lotes en un hueco? En blanco = decide la regla siguiente (producto, grupo, zona; por defecto sí).</translation>
    </message>
    <message>
        <source>Put a lot only with stock expiring no later? Blank = the next rule decides (default: yes for products with expiry dates).</source>
        <translation>¿Poner un lote solo con existencias que no caduquen después? En blanco = decide la regla siguiente (por defecto: sí para productos con caducidad).</translation>
    </message>
    <message>
        <source>Code of the pick face. The key: an existing face&apos;s levels are replaced.</source>
        <translation>Código del frente de picking. La clave: los niveles de un frente existente se sustituyen.</translation>
    </message>
    <message>
        <source>The product the face holds.</source>
        <translation>El producto que contiene el frente.</translation>
    </message>
    <message>
        <source>Replenish when the face holds fewer units than this.</source>
        <translation>Reponer cuando el frente tenga menos unidades que estas.</translation>
    </message>
    <message>
        <source>Fill the face up to this many units.</source>
        <translation>Llenar el frente hasta tantas unidades.</translation>
    </message>
    <message>
        <source>Replenish in whole multiples of this (a case: 12).</source>
        <translation>Reponer en múltiplos enteros de esto (una caja: 12).</translation>
    </message>
    <message>
        <source>The product&apos;s SKU (import products first).</source>
        <translation>El SKU del producto (importe primero los productos).</translation>
    </message>
    <message>
        <source>Code of the bin the stock is in: a physical location, not blocked when stock is added.</source>
        <translation>Código del hueco donde están las existencias: una ubicación física, no bloqueada si se añaden existencias.</translation>
    </message>
    <message>
        <source>Lot code (lot-tracked products) or serial number (serial-tracked, one unit per row); blank for products without tracking.</source>
        <translation>Código de lote (productos por lote) o número de serie (por serie, una unidad por fila); en blanco para productos sin seguimiento.</translation>
    </message>
    <message>
        <source>Expiry of a new lot (products with expiry dates); an existing lot&apos;s expiry must match.</source>
        <translation>Caducidad de un lote nuevo (productos con caducidad); la de un lote existente debe coincidir.</translation>
    </message>
    <message>
        <source>License plate (LPN or SSCC) the units are on; blank = loose.</source>
        <translation>Matrícula (LPN o SSCC) en la que están las unidades; en blanco = sueltas.</translation>
    </message>
    <message>
        <source>Units to add; negative to take units out (to inventory loss). Not 0.</source>
        <translation>Unidades que se añaden; negativo para retirar unidades (a pérdida de inventario). No 0.</translation>
    </message>
    <message>
        <source>Why: opening_balance comes from the supplier location, the others from or to inventory loss.</source>
        <translation>Por qué: opening_balance viene de la ubicación del proveedor, los demás de o hacia la pérdida de inventario.</translation>
    </message>
    <message>
        <source>What the row describes.</source>
        <translation>Lo que describe la fila.</translation>
    </message>
    <message>
        <source>Aisle: its label, as in the locations&apos; aisle column.</source>
        <translation>Pasillo: su etiqueta, como en la columna aisle de las ubicaciones.</translation>
    </message>
    <message>
        <source>Aisle or depot: position across the aisles.</source>
        <translation>Pasillo o depósito: posición a lo ancho de los pasillos.</translation>
    </message>
    <message>
        <source>Cross aisle: position along the aisles (&gt; 0). Depot: 0 or blank.</source>
        <translation>Pasillo transversal: posición a lo largo de los pasillos (&gt; 0). Depósito: 0 o en blanco.</translation>
    </message>
    <message>
        <source>Aisle: length from the front cross aisle.</source>
        <translation>Pasillo: longitud desde el pasillo transversal delantero.</translation>
    </message>
    <message>
        <source>Sales channel of the original order: Shopify, Amazon...</source>
        <translation>Canal de venta del pedido original: Shopify, Amazon...</translation>
    </message>
    <message>
        <source>The channel&apos;s RMA (return authorisation) number, unique per channel.</source>
        <translation>El número de RMA (autorización de devolución) del canal, único por canal.</translation>
    </message>
    <message>
        <source>The original order&apos;s number in that channel.</source>
        <translation>El número del pedido original en ese canal.</translation>
    </message>
    <message>
        <source>Product being returned.</source>
        <translation>Producto que se devuelve.</translation>
    </message>
    <message>
        <source>Units announced.</source>
        <translation>Unidades anunciadas.</translation>
    </message>
    <message>
        <source>The customer&apos;s reason, as the channel gives it.</source>
        <translation>El motivo del cliente, tal como lo da el canal.</translation>
    </message>
</context>
<context>
    <name>cli counters</name>
    <message>
        <source>received</source>
        <translation>recibido</translation>
    </message>
    <message>
        <source>damaged</source>
        <translation>dañado</translation>
    </message>
    <message>
        <source>picked</source>
        <translation>preparado</translation>
    </message>
    <message>
        <source>packed</source>
        <translation>embalado</translation>
    </message>
    <message>
        <source>pick tasks&apos; picked</source>
        <translation>preparado según las tareas de picking</translation>
    </message>
    <message>
        <source>reserved (allocations + returns held)</source>
        <translation>reservado (asignaciones + devoluciones retenidas)</translation>
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
        <translation>base de datos:
  --database admite la ruta de un archivo SQLite o una URL postgresql://user:password@host/name.
  Sin ella: ${variable}, si no {default}
  --demo abre {demo}
  y antes construye allí el almacén de demostración si falta.

códigos de salida:
  0  hecho
  1  la orden se ejecutó y encontró problemas: filas de importación rechazadas,
     diferencias con el libro de existencias, un escaneo ilegible
  2  la orden no pudo ejecutarse: argumentos incorrectos, base de datos inaccesible o
     escrita por un Stockfloor más nuevo, un archivo ilegible, otros errores
</translation>
    </message>
    <message>
        <source>SQLite file or postgresql:// URL</source>
        <translation>archivo SQLite o URL postgresql://</translation>
    </message>
    <message>
        <source>use the demo database (built on first use)</source>
        <translation>usar la base de datos de demostración (se crea al primer uso)</translation>
    </message>
    <message>
        <source>run as this user (asks for the PIN); or set STOCKFLOOR_TOKEN</source>
        <translation>ejecutar como este usuario (pide el PIN); o definir STOCKFLOOR_TOKEN</translation>
    </message>
    <message>
        <source>messages and printed documents in en, de, es or pl (default: the workstation&apos;s language, else the system&apos;s)</source>
        <translation>mensajes y documentos impresos en en, de, es o pl (por defecto: el idioma del puesto, si no el del sistema)</translation>
    </message>
    <message>
        <source>Warehouse floor client. Without a command it opens the window.</source>
        <translation>Cliente para la nave del almacén. Sin orden abre la ventana.</translation>
    </message>
    <message>
        <source>ABC classes and the cycle-count plan</source>
        <translation>clases ABC y el plan de recuentos cíclicos</translation>
    </message>
    <message>
        <source>classify every product A/B/C from its movement over the policy&apos;s look-back days (by value or by number of moves, with the policy&apos;s class shares)</source>
        <translation>clasificar cada producto en A/B/C por su movimiento en los días de historial de la política (por valor o por número de movimientos, con las proporciones de clase de la política)</translation>
    </message>
    <message>
        <source>plan the product counts the ABC schedule says are due in the policy&apos;s plan days, spread evenly, at most the daily cap a day</source>
        <translation>planificar los recuentos de productos que el calendario ABC da por pendientes en los días de plan de la política, repartidos por igual, como máximo el tope diario por día</translation>
    </message>
    <message>
        <source>the plan&apos;s first day (default today)</source>
        <translation>primer día del plan (por defecto hoy)</translation>
    </message>
    <message>
        <source>show the counts per day; plan nothing</source>
        <translation>mostrar los recuentos por día; no planificar nada</translation>
    </message>
    <message>
        <source>schema upgrade, ledger check, database info</source>
        <translation>actualización del esquema, comprobación del libro, información de la base de datos</translation>
    </message>
    <message>
        <source>bring the schema up to date (SQLite: after a backup)</source>
        <translation>poner el esquema al día (SQLite: tras una copia de seguridad)</translation>
    </message>
    <message>
        <source>compare on-hand with the ledger; exit 1 and list every discrepancy when they differ</source>
        <translation>comparar las existencias con el libro; si difieren, listar cada diferencia y salir con 1</translation>
    </message>
    <message>
        <source>where the database is, its schema revisions and what it holds</source>
        <translation>dónde está la base de datos, sus revisiones de esquema y qué contiene</translation>
    </message>
    <message>
        <source>fill an empty database with a demo warehouse</source>
        <translation>llenar una base de datos vacía con un almacén de demostración</translation>
    </message>
    <message>
        <source>how many products, 1 to {most} (default 300)</source>
        <translation>cuántos productos, de 1 a {most} (por defecto 300)</translation>
    </message>
    <message>
        <source>the same seed builds the same warehouse (default 1)</source>
        <translation>la misma semilla construye el mismo almacén (por defecto 1)</translation>
    </message>
    <message>
        <source>ERASE everything in the database first</source>
        <translation>BORRAR antes todo lo que hay en la base de datos</translation>
    </message>
    <message>
        <source>export stock as CSV</source>
        <translation>exportar las existencias como CSV</translation>
    </message>
    <message>
        <source>every non-zero on-hand row: {columns}</source>
        <translation>cada fila de existencias distinta de cero: {columns}</translation>
    </message>
    <message>
        <source>where to write; &apos;-&apos; writes to standard output</source>
        <translation>dónde escribir; &apos;-&apos; escribe en la salida estándar</translation>
    </message>
    <message>
        <source>only pick faces and storage bins that are not blocked (no quarantine, carts, docks)</source>
        <translation>solo ubicaciones de picking y de almacenaje no bloqueadas (sin cuarentena, carros ni muelles)</translation>
    </message>
    <message>
        <source>one row per product: {columns}</source>
        <translation>una fila por producto: {columns}</translation>
    </message>
    <message>
        <source>the goods receipt of a purchase order: {columns}</source>
        <translation>la recepción de un pedido de compra: {columns}</translation>
    </message>
    <message>
        <source>purchase order or ASN number</source>
        <translation>número de pedido de compra o de ASN</translation>
    </message>
    <message>
        <source>import products, locations, users or purchase orders from CSV</source>
        <translation>importar productos, ubicaciones, usuarios o pedidos de compra desde CSV</translation>
    </message>
    <message>
        <source>columns:</source>
        <translation>columnas:</translation>
    </message>
    <message>
        <source>check every row and report what would change; write nothing</source>
        <translation>comprobar cada fila e informar de lo que cambiaría; no escribir nada</translation>
    </message>
    <message>
        <source>Products and their barcodes (one row per SKU).</source>
        <translation>Productos y sus códigos de barras (una fila por SKU).</translation>
    </message>
    <message>
        <source>Locations: bins, docks, packing and shipping, and the virtual ends of moves.</source>
        <translation>Ubicaciones: huecos, muelles, embalaje y expedición, y los extremos virtuales de los movimientos.</translation>
    </message>
    <message>
        <source>Users with badge, role, PIN and language.</source>
        <translation>Usuarios con tarjeta, rol, PIN e idioma.</translation>
    </message>
    <message>
        <source>Purchase orders and ASNs to receive (one row per line).</source>
        <translation>Pedidos de compra y ASN por recibir (una fila por línea).</translation>
    </message>
    <message>
        <source>Bin capacities for put-away: units, weight, volume, and whether lots may mix.</source>
        <translation>Capacidades de los huecos para la ubicación: unidades, peso, volumen y si se pueden mezclar lotes.</translation>
    </message>
    <message>
        <source>Put-away rules per product, product group or zone: home bin, zones, lots, FEFO.</source>
        <translation>Reglas de ubicación por producto, grupo de productos o zona: hueco fijo, zonas, lotes, FEFO.</translation>
    </message>
    <message>
        <source>Pick faces for replenishment: the product, min / max and the replenishment unit.</source>
        <translation>Ubicaciones de picking para la reposición: el producto, mín. / máx. y la unidad de reposición.</translation>
    </message>
    <message>
        <source>the scan journal</source>
        <translation>el diario de escaneos</translation>
    </message>
    <message>
        <source>write the scan journal as CSV: {columns}</source>
        <translation>escribir el diario de escaneos como CSV: {columns}</translation>
    </message>
    <message>
        <source>only this user (user name or display name); --user is who runs the command</source>
        <translation>solo este usuario (nombre de usuario o nombre visible); --user es quien ejecuta la orden</translation>
    </message>
    <message>
        <source>only this workstation</source>
        <translation>solo este puesto</translation>
    </message>
    <message>
        <source>from this time (ISO 8601; UTC unless a zone is given)</source>
        <translation>desde este momento (ISO 8601; UTC si no se indica zona)</translation>
    </message>
    <message>
        <source>before this time</source>
        <translation>antes de este momento</translation>
    </message>
    <message>
        <source>only this outcome (ok, error, refused, command, answer...)</source>
        <translation>solo este resultado (ok, error, refused, command, answer...)</translation>
    </message>
    <message>
        <source>only scans whose text or message contains this</source>
        <translation>solo escaneos cuyo texto o mensaje contiene esto</translation>
    </message>
    <message>
        <source>customer orders from CSV (one row per line) or JSON</source>
        <translation>pedidos de clientes desde CSV (una fila por línea) o JSON</translation>
    </message>
    <message>
        <source>CSV columns (JSON: the same names, ship_to_* inside &quot;ship_to&quot;, lines as [{&quot;sku&quot;, &quot;quantity&quot;}]):</source>
        <translation>columnas CSV (JSON: los mismos nombres, ship_to_* dentro de &quot;ship_to&quot;, líneas como [{&quot;sku&quot;, &quot;quantity&quot;}]):</translation>
    </message>
    <message>
        <source>FILE.csv or FILE.json</source>
        <translation>FILE.csv o FILE.json</translation>
    </message>
    <message>
        <source>check every order; write nothing</source>
        <translation>comprobar cada pedido; no escribir nada</translation>
    </message>
    <message>
        <source>the floor layout for pick routes (replaces the stored one)</source>
        <translation>el plano de la nave para las rutas de picking (sustituye al guardado)</translation>
    </message>
    <message>
        <source>allocate customer orders</source>
        <translation>asignar pedidos de clientes</translation>
    </message>
    <message>
        <source>reserve stock for every open or partly allocated order</source>
        <translation>reservar existencias para cada pedido abierto o asignado en parte</translation>
    </message>
    <message>
        <source>release allocated orders to the floor</source>
        <translation>liberar los pedidos asignados a la nave</translation>
    </message>
    <message>
        <source>release the releasable orders (filters narrow them)</source>
        <translation>liberar los pedidos liberables (los filtros los acotan)</translation>
    </message>
    <message>
        <source>single: a wave per order; batch: orders share carts, a tote each</source>
        <translation>single: una oleada por pedido; batch: los pedidos comparten carros, una caja cada uno</translation>
    </message>
    <message>
        <source>leave out orders with a backorder</source>
        <translation>dejar fuera los pedidos con pendientes</translation>
    </message>
    <message>
        <source>only this order number (repeat for more)</source>
        <translation>solo este número de pedido (repetir para más)</translation>
    </message>
    <message>
        <source>a wave&apos;s pick list</source>
        <translation>la lista de picking de una oleada</translation>
    </message>
    <message>
        <source>the pick list in walking order as CSV or PDF</source>
        <translation>la lista de picking en orden de recorrido como CSV o PDF</translation>
    </message>
    <message>
        <source>wave number (W000012) or id</source>
        <translation>número de oleada (W000012) o id</translation>
    </message>
    <message>
        <source>default picklist-WAVE.csv|pdf; &apos;-&apos; = stdout</source>
        <translation>por defecto picklist-WAVE.csv|pdf; &apos;-&apos; = salida estándar</translation>
    </message>
    <message>
        <source>shipment confirmations</source>
        <translation>confirmaciones de envío</translation>
    </message>
    <message>
        <source>one CSV row per shipped parcel: {columns}</source>
        <translation>una fila CSV por paquete enviado: {columns}</translation>
    </message>
    <message>
        <source>&apos;-&apos; writes to standard output</source>
        <translation>&apos;-&apos; escribe en la salida estándar</translation>
    </message>
    <message>
        <source>one row per item in each parcel instead: {columns}</source>
        <translation>en su lugar, una fila por artículo de cada paquete: {columns}</translation>
    </message>
    <message>
        <source>print labels and documents</source>
        <translation>imprimir etiquetas y documentos</translation>
    </message>
    <message>
        <source>labels: {kinds}</source>
        <translation>etiquetas: {kinds}</translation>
    </message>
    <message>
        <source>location codes, SKUs, license plate codes or badge codes</source>
        <translation>códigos de ubicación, SKU, códigos de matrícula o de tarjeta</translation>
    </message>
    <message>
        <source>locations: every location from FIRST to LAST</source>
        <translation>ubicaciones: todas de FIRST a LAST</translation>
    </message>
    <message>
        <source>products: these SKUs</source>
        <translation>productos: estos SKU</translation>
    </message>
    <message>
        <source>receiving: the purchase order or ASN</source>
        <translation>recepción: el pedido de compra o el ASN</translation>
    </message>
    <message>
        <source>receiving: a label per receipt scan (case) or per unit</source>
        <translation>recepción: una etiqueta por escaneo de recepción (caja) o por unidad</translation>
    </message>
    <message>
        <source>locations: an arrow pointing at the bin</source>
        <translation>ubicaciones: una flecha que señala el hueco</translation>
    </message>
    <message>
        <source>label size or sheet</source>
        <translation>tamaño de etiqueta u hoja</translation>
    </message>
    <message>
        <source>with -o: PDF (default; .zpl files: ZPL) or ZPL for thermal printers</source>
        <translation>con -o: PDF (por defecto; archivos .zpl: ZPL) o ZPL para impresoras térmicas</translation>
    </message>
    <message>
        <source>each label N times</source>
        <translation>cada etiqueta N veces</translation>
    </message>
    <message>
        <source>receiving-report PO | putaway-list</source>
        <translation>receiving-report PEDIDO | putaway-list</translation>
    </message>
    <message>
        <source>what a receipt brought in</source>
        <translation>lo que entró con una recepción</translation>
    </message>
    <message>
        <source>what waits to be put away, with the suggested bins</source>
        <translation>lo que espera ubicación, con los huecos propuestos</translation>
    </message>
    <message>
        <source>only what waits on this location</source>
        <translation>solo lo que espera en esta ubicación</translation>
    </message>
    <message>
        <source>paper (default: A4 or the profile&apos;s)</source>
        <translation>papel (por defecto: A4 o el del perfil)</translation>
    </message>
    <message>
        <source>write the PDF or ZPL here</source>
        <translation>escribir aquí el PDF o el ZPL</translation>
    </message>
    <message>
        <source>a printer profile (name or WORKSTATION/labels) or a CUPS queue</source>
        <translation>un perfil de impresora (nombre o PUESTO/labels) o una cola de CUPS</translation>
    </message>
    <message>
        <source>key figures for supervisors</source>
        <translation>cifras clave para supervisores</translation>
    </message>
    <message>
        <source>KPIs per day, week or month (README: KPI definitions)</source>
        <translation>KPI por día, semana o mes (README: definiciones de KPI)</translation>
    </message>
    <message>
        <source>One row per figure: {columns}. A ratio with nothing to divide by has an empty value (null in JSON).</source>
        <translation>Una fila por cifra: {columns}. Una proporción sin nada por lo que dividir tiene un valor vacío (null en JSON).</translation>
    </message>
    <message>
        <source>first day (default: 27 days before --to)</source>
        <translation>primer día (por defecto: 27 días antes de --to)</translation>
    </message>
    <message>
        <source>last day (default: today)</source>
        <translation>último día (por defecto: hoy)</translation>
    </message>
    <message>
        <source>only this sales channel&apos;s orders, returns and lines</source>
        <translation>solo los pedidos, devoluciones y líneas de este canal de venta</translation>
    </message>
    <message>
        <source>where to write; &apos;-&apos; (default) is stdout</source>
        <translation>dónde escribir; &apos;-&apos; (por defecto) es la salida estándar</translation>
    </message>
    <message>
        <source>check every RMA; write nothing</source>
        <translation>comprobar cada RMA; no escribir nada</translation>
    </message>
    <message>
        <source>only units inspected on or after this day</source>
        <translation>solo unidades inspeccionadas en este día o después</translation>
    </message>
    <message>
        <source>only units inspected before this day</source>
        <translation>solo unidades inspeccionadas antes de este día</translation>
    </message>
    <message>
        <source>FILE.pdf, or FILE.csv / &apos;-&apos; for the rows as CSV</source>
        <translation>FILE.pdf, o FILE.csv / &apos;-&apos; para las filas como CSV</translation>
    </message>
    <message>
        <source>returns the sales channels announced (CSV or JSON)</source>
        <translation>devoluciones anunciadas por los canales de venta (CSV o JSON)</translation>
    </message>
    <message>
        <source>CSV columns (JSON: a list of {channel, rma_number, order_number, lines: [{sku, quantity, reason}]}):</source>
        <translation>columnas CSV (JSON: una lista de {channel, rma_number, order_number, lines: [{sku, quantity, reason}]}):</translation>
    </message>
    <message>
        <source>inspected returns with grade, disposition and refund: {columns}</source>
        <translation>devoluciones inspeccionadas con grado, destino y reembolso: {columns}</translation>
    </message>
    <message>
        <source>return rate and grades by channel, product, reason or month</source>
        <translation>tasa de devolución y grados por canal, producto, motivo o mes</translation>
    </message>
    <message>
        <source>RMAs, inspection results, return report</source>
        <translation>RMA, resultados de inspección, informe de devoluciones</translation>
    </message>
    <message>
        <source>import RMAs from CSV or JSON</source>
        <translation>importar RMA desde CSV o JSON</translation>
    </message>
    <message>
        <source>CSV columns:</source>
        <translation>columnas CSV:</translation>
    </message>
    <message>
        <source>inspection results as CSV</source>
        <translation>resultados de inspección como CSV</translation>
    </message>
    <message>
        <source>the return report</source>
        <translation>el informe de devoluciones</translation>
    </message>
    <message>
        <source>explain what a scanned string means</source>
        <translation>explicar qué significa un texto escaneado</translation>
    </message>
    <message>
        <source>Explain a scan: symbology, GS1 fields, check digits, commands; and what it is in the database when there is one. Type the GS separator between GS1 fields as &lt;GS&gt; or \x1d, e.g. &apos;]C10109501101530003&apos; &apos;10LOT7&lt;GS&gt;17271231&apos;. Exit 1 when the scan is unreadable.</source>
        <translation>Explicar un escaneo: simbología, campos GS1, dígitos de control, comandos; y qué es en la base de datos, si la hay. Escriba el separador GS entre campos GS1 como &lt;GS&gt; o \x1d, p. ej. &apos;]C10109501101530003&apos; &apos;10LOT7&lt;GS&gt;17271231&apos;. Sale con 1 cuando el escaneo es ilegible.</translation>
    </message>
    <message>
        <source>the scanned text</source>
        <translation>el texto escaneado</translation>
    </message>
    <message>
        <source>opening stock and adjustments, moved through the ledger (admin)</source>
        <translation>existencias iniciales y ajustes, movidos a través del libro (administrador)</translation>
    </message>
    <message>
        <source>check every row and report what would move; write nothing</source>
        <translation>comprobar cada fila e informar de lo que se movería; no escribir nada</translation>
    </message>
    <message>
        <source>PostgreSQL: create the login role the app should connect as (no UPDATE/DELETE on moves, audit_log, scan_journal, chain_links); run once as the database owner</source>
        <translation>PostgreSQL: crear el rol de inicio de sesión con el que debe conectarse la aplicación (sin UPDATE/DELETE en moves, audit_log, scan_journal, chain_links); ejecutar una vez como propietario de la base de datos</translation>
    </message>
    <message>
        <source>name of the role (default stockfloor_app)</source>
        <translation>nombre del rol (por defecto stockfloor_app)</translation>
    </message>
    <message>
        <source>its password (asked when omitted)</source>
        <translation>su contraseña (se pide si se omite)</translation>
    </message>
    <message>
        <source>accounts: tokens for scheduled jobs</source>
        <translation>cuentas: tokens para tareas programadas</translation>
    </message>
    <message>
        <source>print a new token for NAME (admin only; the previous token stops working). Scheduled jobs set STOCKFLOOR_TOKEN to it and run as NAME.</source>
        <translation>imprimir un token nuevo para NAME (solo administradores; el anterior deja de valer). Las tareas programadas ponen STOCKFLOOR_TOKEN a ese valor y se ejecutan como NAME.</translation>
    </message>
    <message>
        <source>user name the token acts as</source>
        <translation>nombre del usuario en cuyo nombre actúa el token</translation>
    </message>
</context>
<context>
    <name>cli reasons</name>
    <message>
        <source>byte 0x{byte} at character {position} is not UTF-8 text (save the file as &apos;CSV UTF-8&apos;)</source>
        <translation>el byte 0x{byte} en el carácter {position} no es texto UTF-8 (guarde el archivo como «CSV UTF-8»)</translation>
    </message>
    <message>
        <source>the file is empty: a header row is required</source>
        <translation>el archivo está vacío: hace falta una fila de encabezado</translation>
    </message>
    <message>
        <source>cannot be read as CSV: {error}</source>
        <translation>no se puede leer como CSV: {error}</translation>
    </message>
    <message>
        <source>the file has a header but no rows</source>
        <translation>el archivo tiene encabezado pero ninguna fila</translation>
    </message>
    <message>
        <source>required column is missing</source>
        <translation>falta una columna obligatoria</translation>
    </message>
    <message>
        <source>unknown column (known: {columns})</source>
        <translation>columna desconocida (conocidas: {columns})</translation>
    </message>
    <message>
        <source>column appears twice</source>
        <translation>la columna aparece dos veces</translation>
    </message>
    <message>
        <source>value in a column without a header</source>
        <translation>valor en una columna sin encabezado</translation>
    </message>
    <message>
        <source>required, but empty</source>
        <translation>obligatorio, pero vacío</translation>
    </message>
    <message>
        <source>contains a control character (0x{code})</source>
        <translation>contiene un carácter de control (0x{code})</translation>
    </message>
    <message>
        <source>longer than {length} characters</source>
        <translation>más de {length} caracteres</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not a whole number</source>
        <translation>«{value}» no es un número entero</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not a number (decimals take a dot)</source>
        <translation>«{value}» no es un número (los decimales llevan punto)</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not a number the database can hold</source>
        <translation>«{value}» no es un número que la base de datos pueda guardar</translation>
    </message>
    <message>
        <source>must be at least {minimum}, got {value}</source>
        <translation>debe ser al menos {minimum}, es {value}</translation>
    </message>
    <message>
        <source>must be between {low} and {high}, got {value}</source>
        <translation>debe estar entre {low} y {high}, es {value}</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not yes or no</source>
        <translation>«{value}» no es yes ni no</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not a date as YYYY-MM-DD</source>
        <translation>«{value}» no es una fecha AAAA-MM-DD</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not one of {choices}</source>
        <translation>«{value}» no es ninguno de {choices}</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not a GTIN (8, 12, 13 or 14 digits)</source>
        <translation>«{value}» no es un GTIN (8, 12, 13 o 14 dígitos)</translation>
    </message>
    <message>
        <source>check digit of {code} should be {expected}, not {found}</source>
        <translation>el dígito de control de {code} debería ser {expected}, no {found}</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not a barcode (1-64 characters, no spaces)</source>
        <translation>«{value}» no es un código de barras (1-64 caracteres, sin espacios)</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not a barcode (digits are 0-9)</source>
        <translation>«{value}» no es un código de barras (los dígitos son 0-9)</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; after {code}: is not a whole number</source>
        <translation>«{value}» tras {code}: no es un número entero</translation>
    </message>
    <message>
        <source>{code}: a pack holds at most {limit} units</source>
        <translation>{code}: un paquete contiene como máximo {limit} unidades</translation>
    </message>
    <message>
        <source>{code}: a pack holds at least 1 unit</source>
        <translation>{code}: un paquete contiene al menos 1 unidad</translation>
    </message>
    <message>
        <source>{value} is already on row {row}</source>
        <translation>{value} ya está en la fila {row}</translation>
    </message>
    <message>
        <source>this SKU is already on row {row}</source>
        <translation>este SKU ya está en la fila {row}</translation>
    </message>
    <message>
        <source>this line number is already on row {row}</source>
        <translation>este número de línea ya está en la fila {row}</translation>
    </message>
    <message>
        <source>a rule for this target is already on row {row}</source>
        <translation>ya hay una regla para este destino en la fila {row}</translation>
    </message>
    <message>
        <source>this SKU, location, lot and license plate is already on row {row}</source>
        <translation>esta combinación de SKU, ubicación, lote y matrícula ya está en la fila {row}</translation>
    </message>
    <message>
        <source>not valid JSON: {error} (column {column})</source>
        <translation>JSON no válido: {error} (columna {column})</translation>
    </message>
    <message>
        <source>not valid JSON: {error}</source>
        <translation>JSON no válido: {error}</translation>
    </message>
    <message>
        <source>nested deeper than {depth} levels</source>
        <translation>anidado a más de {depth} niveles</translation>
    </message>
    <message>
        <source>expected a list of {what}</source>
        <translation>se esperaba una lista de {what}</translation>
    </message>
    <message>
        <source>unknown field</source>
        <translation>campo desconocido</translation>
    </message>
    <message>
        <source>must be {kind}</source>
        <translation>se esperaba: {kind}</translation>
    </message>
    <message>
        <source>required with case_gtin</source>
        <translation>obligatorio con case_gtin</translation>
    </message>
    <message>
        <source>case_qty is given, but no case_gtin</source>
        <translation>se indica case_qty, pero no case_gtin</translation>
    </message>
    <message>
        <source>barcode {code} is already on row {row}</source>
        <translation>el código de barras {code} ya está en la fila {row}</translation>
    </message>
    <message>
        <source>barcode {code} is already on this row</source>
        <translation>el código de barras {code} ya está en esta fila</translation>
    </message>
    <message>
        <source>barcode {code} belongs to {sku}</source>
        <translation>el código de barras {code} pertenece a {sku}</translation>
    </message>
    <message>
        <source>expiry is kept per lot: set tracking to lot or serial</source>
        <translation>la caducidad se lleva por lote: ponga tracking en lot o serial</translation>
    </message>
    <message>
        <source>{sku} has stock: {field} cannot change from {old} to {new}</source>
        <translation>{sku} tiene existencias: {field} no puede pasar de {old} a {new}</translation>
    </message>
    <message>
        <source>{value} is already used on row {row}</source>
        <translation>{value} ya se usa en la fila {row}</translation>
    </message>
    <message>
        <source>{value} is already used by location {location}</source>
        <translation>{value} ya lo usa la ubicación {location}</translation>
    </message>
    <message>
        <source>{location} has stock history: it cannot change from {old} to {new}</source>
        <translation>{location} tiene historial de existencias: no puede pasar de {old} a {new}</translation>
    </message>
    <message>
        <source>a PIN is 4 to 12 digits</source>
        <translation>un PIN tiene de 4 a 12 dígitos</translation>
    </message>
    <message>
        <source>required for a new user</source>
        <translation>obligatorio para un usuario nuevo</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not a language code like en or es</source>
        <translation>«{value}» no es un código de idioma como en o es</translation>
    </message>
    <message>
        <source>{badge} is the badge of {user}</source>
        <translation>{badge} es la tarjeta de {user}</translation>
    </message>
    <message>
        <source>no product {sku} (import products first)</source>
        <translation>no existe el producto {sku} (importe primero los productos)</translation>
    </message>
    <message>
        <source>no location {location} (import locations first)</source>
        <translation>no existe la ubicación {location} (importe primero las ubicaciones)</translation>
    </message>
    <message>
        <source>no location {location}</source>
        <translation>no existe la ubicación {location}</translation>
    </message>
    <message>
        <source>{number} is {status} and cannot be replaced</source>
        <translation>{number} está {status} y no se puede sustituir</translation>
    </message>
    <message>
        <source>{number} is open and cannot be replaced</source>
        <translation>{number} está abierto y no se puede sustituir</translation>
    </message>
    <message>
        <source>{number} is partially received and cannot be replaced</source>
        <translation>{number} está recibido en parte y no se puede sustituir</translation>
    </message>
    <message>
        <source>{number} is received and cannot be replaced</source>
        <translation>{number} está recibido y no se puede sustituir</translation>
    </message>
    <message>
        <source>{number} is closed and cannot be replaced</source>
        <translation>{number} está cerrado y no se puede sustituir</translation>
    </message>
    <message>
        <source>{number} says {first} on row {row}, {here} here</source>
        <translation>{number} indica {first} en la fila {row} y {here} aquí</translation>
    </message>
    <message>
        <source>{location} is a {kind} location, not a storage bin or pick face</source>
        <translation>{location} es una ubicación de tipo {kind}, no un hueco de almacén ni un frente de picking</translation>
    </message>
    <message>
        <source>{location} is not a storage bin or pick face</source>
        <translation>{location} no es un hueco de almacén ni un frente de picking</translation>
    </message>
    <message>
        <source>{location} is a {kind} location, not a pick face</source>
        <translation>{location} es una ubicación de tipo {kind}, no un frente de picking</translation>
    </message>
    <message>
        <source>{location} is a virtual {kind} location: it holds no stock</source>
        <translation>{location} es una ubicación virtual de tipo {kind}: no guarda existencias</translation>
    </message>
    <message>
        <source>{location} is blocked: it takes no stock</source>
        <translation>{location} está bloqueada: no admite existencias</translation>
    </message>
    <message>
        <source>must not be 0</source>
        <translation>no puede ser 0</translation>
    </message>
    <message>
        <source>{sku} is not lot or serial tracked: leave it blank</source>
        <translation>{sku} no se controla por lote ni por número de serie: déjelo en blanco</translation>
    </message>
    <message>
        <source>{sku} is {tracking} tracked: a {what} is required</source>
        <translation>{sku} se controla por {tracking}: hace falta {what}</translation>
    </message>
    <message>
        <source>{sku} is lot tracked: a lot is required</source>
        <translation>{sku} se controla por lote: hace falta un lote</translation>
    </message>
    <message>
        <source>{sku} is serial tracked: a serial number is required</source>
        <translation>{sku} se controla por número de serie: hace falta un número de serie</translation>
    </message>
    <message>
        <source>{sku} is serial tracked: one unit per row (1 or -1)</source>
        <translation>{sku} se controla por número de serie: una unidad por fila (1 o -1)</translation>
    </message>
    <message>
        <source>an expiry belongs to a lot: give the lot too</source>
        <translation>una caducidad pertenece a un lote: indique también el lote</translation>
    </message>
    <message>
        <source>lot {lot} of {sku} expires on {expiry}, not {given}</source>
        <translation>el lote {lot} de {sku} caduca el {expiry}, no el {given}</translation>
    </message>
    <message>
        <source>{sku} has expiry dates: a new lot needs one</source>
        <translation>{sku} tiene fechas de caducidad: un lote nuevo necesita una</translation>
    </message>
    <message>
        <source>{plate} holds stock in another location</source>
        <translation>{plate} tiene existencias en otra ubicación</translation>
    </message>
    <message>
        <source>serial {serial} of {sku} is already in stock</source>
        <translation>el número de serie {serial} de {sku} ya está en existencias</translation>
    </message>
    <message>
        <source>{location} has {free} free units of {sku} there (on hand {on_hand}, reserved {reserved}); cannot take {quantity}</source>
        <translation>{location} tiene {free} unidades libres de {sku} (en existencia {on_hand}, reservadas {reserved}); no se pueden retirar {quantity}</translation>
    </message>
    <message>
        <source>only a product has a home location</source>
        <translation>solo un producto tiene ubicación fija</translation>
    </message>
    <message>
        <source>a zone rule cannot prefer a zone</source>
        <translation>una regla de zona no puede preferir una zona</translation>
    </message>
    <message>
        <source>a zone rule cannot allow zones</source>
        <translation>una regla de zona no puede permitir zonas</translation>
    </message>
    <message>
        <source>&apos;{zone}&apos; is not among the allowed zones</source>
        <translation>«{zone}» no está entre las zonas permitidas</translation>
    </message>
    <message>
        <source>cannot be negative</source>
        <translation>no puede ser negativo</translation>
    </message>
    <message>
        <source>must be more than min ({minimum})</source>
        <translation>debe ser mayor que min ({minimum})</translation>
    </message>
    <message>
        <source>must be at least 1</source>
        <translation>debe ser al menos 1</translation>
    </message>
    <message>
        <source>one unit ({unit}) does not fit below max ({maximum})</source>
        <translation>una unidad ({unit}) no cabe por debajo de max ({maximum})</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not a two-letter country code</source>
        <translation>«{value}» no es un código de país de dos letras</translation>
    </message>
    <message>
        <source>differs from row {row} of order {order}</source>
        <translation>difiere de la fila {row} del pedido {order}</translation>
    </message>
    <message>
        <source>{sku} is already on row {row} of order {order}</source>
        <translation>{sku} ya está en la fila {row} del pedido {order}</translation>
    </message>
    <message>
        <source>{channel} order {order} is already order {first} of this file</source>
        <translation>el pedido {order} de {channel} ya es el pedido {first} de este archivo</translation>
    </message>
    <message>
        <source>an order must be an object</source>
        <translation>un pedido debe ser un objeto</translation>
    </message>
    <message>
        <source>required: an object with name, address1, city, postcode, country</source>
        <translation>obligatorio: un objeto con name, address1, city, postcode, country</translation>
    </message>
    <message>
        <source>required: a list of {sku, quantity}</source>
        <translation>obligatorio: una lista de {sku, quantity}</translation>
    </message>
    <message>
        <source>a line must be an object with sku and quantity</source>
        <translation>una línea debe ser un objeto con sku y quantity</translation>
    </message>
    <message>
        <source>unknown SKU {sku}</source>
        <translation>SKU desconocido {sku}</translation>
    </message>
    <message>
        <source>{channel} order {order} already exists</source>
        <translation>el pedido {order} de {channel} ya existe</translation>
    </message>
    <message>
        <source>RMA {rma} says order {order} on row {row}</source>
        <translation>la RMA {rma} indica el pedido {order} en la fila {row}</translation>
    </message>
    <message>
        <source>{sku} is already on row {row} of RMA {rma}</source>
        <translation>{sku} ya está en la fila {row} de la RMA {rma}</translation>
    </message>
    <message>
        <source>{channel} RMA {rma} is already RMA {first} of this file</source>
        <translation>la RMA {rma} de {channel} ya es la RMA {first} de este archivo</translation>
    </message>
    <message>
        <source>an RMA must be an object</source>
        <translation>una RMA debe ser un objeto</translation>
    </message>
    <message>
        <source>required: a list of {sku, quantity, reason}</source>
        <translation>obligatorio: una lista de {sku, quantity, reason}</translation>
    </message>
    <message>
        <source>a line must be an object with sku, quantity and reason</source>
        <translation>una línea debe ser un objeto con sku, quantity y reason</translation>
    </message>
    <message>
        <source>no {channel} order {order}</source>
        <translation>no existe el pedido {order} de {channel}</translation>
    </message>
    <message>
        <source>{channel} RMA {rma} already exists and units of it have arrived</source>
        <translation>la RMA {rma} de {channel} ya existe y han llegado unidades de ella</translation>
    </message>
    <message>
        <source>{sku} was not shipped on {channel} order {order}</source>
        <translation>{sku} no se envió en el pedido {order} de {channel}</translation>
    </message>
    <message>
        <source>{quantity} x {sku} announced, only {left} of the {shipped} shipped can still come back</source>
        <translation>{quantity} x {sku} anunciados, de los {shipped} enviados solo pueden volver {left}</translation>
    </message>
    <message>
        <source>required when kind is {kind}</source>
        <translation>obligatorio cuando kind es {kind}</translation>
    </message>
    <message>
        <source>the depot must be on the front cross aisle (y = 0)</source>
        <translation>el depósito debe estar en el pasillo transversal delantero (y = 0)</translation>
    </message>
    <message>
        <source>a middle cross aisle lies beyond the front (y &gt; 0)</source>
        <translation>un pasillo transversal intermedio queda detrás del delantero (y &gt; 0)</translation>
    </message>
    <message>
        <source>the layout needs at least one aisle row</source>
        <translation>el plano necesita al menos una fila de pasillo</translation>
    </message>
    <message>
        <source>only one depot row</source>
        <translation>solo una fila de depósito</translation>
    </message>
    <message>
        <source>beyond the aisles&apos; length {length}</source>
        <translation>más allá de la longitud de los pasillos {length}</translation>
    </message>
    <message>
        <source>a layout needs at least one aisle</source>
        <translation>un plano necesita al menos un pasillo</translation>
    </message>
    <message>
        <source>every coordinate must be a finite number</source>
        <translation>cada coordenada debe ser un número finito</translation>
    </message>
    <message>
        <source>aisle x coordinates must be strictly increasing ({first}, {second})</source>
        <translation>las coordenadas x de los pasillos deben ser estrictamente crecientes ({first}, {second})</translation>
    </message>
    <message>
        <source>aisle length must be positive</source>
        <translation>la longitud del pasillo debe ser positiva</translation>
    </message>
    <message>
        <source>middle cross aisles must increase strictly inside (0, {length})</source>
        <translation>los pasillos transversales intermedios deben crecer estrictamente dentro de (0, {length})</translation>
    </message>
    <message>
        <source>column {number}</source>
        <translation>columna {number}</translation>
    </message>
</context>
<context>
    <name>deviation reasons</name>
    <message>
        <source>Suggested bin is full</source>
        <translation>El hueco sugerido está lleno</translation>
    </message>
    <message>
        <source>Suggested bin is blocked physically</source>
        <translation>El hueco sugerido está bloqueado físicamente</translation>
    </message>
    <message>
        <source>Better location</source>
        <translation>Mejor ubicación</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Otro</translation>
    </message>
</context>
<context>
    <name>error words</name>
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
        <translation>GTIN del contenido</translation>
    </message>
    <message>
        <source>lot</source>
        <translation>lote</translation>
    </message>
    <message>
        <source>production date</source>
        <translation>fecha de producción</translation>
    </message>
    <message>
        <source>due date</source>
        <translation>fecha de vencimiento</translation>
    </message>
    <message>
        <source>packaging date</source>
        <translation>fecha de envasado</translation>
    </message>
    <message>
        <source>best before date</source>
        <translation>fecha de consumo preferente</translation>
    </message>
    <message>
        <source>sell by date</source>
        <translation>fecha límite de venta</translation>
    </message>
    <message>
        <source>expiry date</source>
        <translation>fecha de caducidad</translation>
    </message>
    <message>
        <source>serial number</source>
        <translation>número de serie</translation>
    </message>
    <message>
        <source>count</source>
        <translation>cantidad</translation>
    </message>
    <message>
        <source>net weight</source>
        <translation>peso neto</translation>
    </message>
    <message>
        <source>its fields do not follow the GS1 rules</source>
        <translation>sus campos no siguen las reglas GS1</translation>
    </message>
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
    <message>
        <source>This step</source>
        <translation>Este paso</translation>
    </message>
    <message>
        <source>This document</source>
        <translation>Este documento</translation>
    </message>
    <message>
        <source>This pick task</source>
        <translation>Esta tarea de preparación</translation>
    </message>
    <message>
        <source>A product not on the document</source>
        <translation>Un producto que no está en el documento</translation>
    </message>
    <message>
        <source>Receiving more than expected</source>
        <translation>Recibir más de lo esperado</translation>
    </message>
    <message>
        <source>Another bin than the suggested one</source>
        <translation>Otra ubicación distinta de la sugerida</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <source>The scan is {length} characters long, a barcode here holds at most {limit}: scan one barcode at a time.</source>
        <translation>La lectura tiene {length} caracteres y un código aquí tiene como máximo {limit}: escanee un código cada vez.</translation>
    </message>
    <message>
        <source>&apos;{raw}&apos; contains {char}, which is not a barcode digit: scan the barcode itself or type it with the digits 0-9.</source>
        <translation>«{raw}» contiene {char}, que no es un dígito de código de barras: escanee el código o escríbalo con los dígitos 0-9.</translation>
    </message>
    <message>
        <source>The {field} {value} is not a date: check the label, or enter the date by hand.</source>
        <translation>La {field} {value} no es una fecha: revise la etiqueta o introduzca la fecha a mano.</translation>
    </message>
    <message>
        <source>The {field} in &apos;{raw}&apos; cannot be read (&apos;{value}&apos;): scan another label, or type the code.</source>
        <translation>El campo {field} de «{raw}» no se puede leer («{value}»): escanee otra etiqueta o escriba el código.</translation>
    </message>
    <message>
        <source>&apos;{raw}&apos; has no known GS1 field at &apos;{value}&apos;: scan another label, or type the code.</source>
        <translation>«{raw}» no tiene ningún campo GS1 conocido en «{value}»: escanee otra etiqueta o escriba el código.</translation>
    </message>
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
        <source>{sku} lot {lot} expires {expiry}.</source>
        <translation>{sku} lote {lot} caduca el {expiry}.</translation>
    </message>
    <message>
        <source>{sku} lot {lot} expired on {expiry}.</source>
        <translation>{sku} lote {lot} caducó el {expiry}.</translation>
    </message>
    <message>
        <source>{sku} lot {lot} expires {expiry}: {days} days left, at least {minimum} required.</source>
        <translation>{sku} lote {lot} caduca el {expiry}: quedan {days} días, se exigen al menos {minimum}.</translation>
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
        <source>The database {where} needs Stockfloor {required} or newer; this workstation runs {running}. Update Stockfloor on this workstation.</source>
        <translation>La base de datos {where} necesita Stockfloor {required} o posterior; este puesto ejecuta {running}. Actualice Stockfloor en este puesto.</translation>
    </message>
    <message>
        <source>Badge or PIN not recognised.</source>
        <translation>Tarjeta o PIN no reconocidos.</translation>
    </message>
    <message>
        <source>Type the PIN of badge {badge}.</source>
        <translation>Escriba el PIN de la tarjeta {badge}.</translation>
    </message>
    <message>
        <source>Too many wrong PINs: {name} is locked until {until}.</source>
        <translation>Demasiados PIN erróneos: {name} está bloqueado hasta las {until}.</translation>
    </message>
    <message>
        <source>Badge {badge} belongs to a deactivated account.</source>
        <translation>La tarjeta {badge} pertenece a una cuenta desactivada.</translation>
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
    <message>
        <source>Nothing to print: {what}.</source>
        <translation>Nada que imprimir: {what}.</translation>
    </message>
    <message>
        <source>{count} labels in one job is too many; the most is {most}. Print a smaller selection.</source>
        <translation>{count} etiquetas en un trabajo son demasiadas; el máximo es {most}. Imprima una selección más pequeña.</translation>
    </message>
    <message>
        <source>Print job {job} is from {date}: only jobs of the last {days} days can be printed again.</source>
        <translation>El trabajo de impresión {job} es del {date}: solo se pueden volver a imprimir los trabajos de los últimos {days} días.</translation>
    </message>
    <message>
        <source>Print job {job} was sent to the printer already: reprint it instead.</source>
        <translation>El trabajo de impresión {job} ya se envió a la impresora: reimprímalo.</translation>
    </message>
    <message>
        <source>Grade &apos;{grade}&apos; does not exist: use {grades}.</source>
        <translation>El grado &apos;{grade}&apos; no existe: use {grades}.</translation>
    </message>
    <message>
        <source>This disposition rule cannot be used: {reason}.</source>
        <translation>Esta regla de destino no se puede usar: {reason}.</translation>
    </message>
    <message>
        <source>{sku} was not shipped on order {order}: it cannot be returned on it.</source>
        <translation>{sku} no se envió en el pedido {order}: no se puede devolver con él.</translation>
    </message>
    <message>
        <source>{sku}: {shipped} shipped on order {order}, {returned} already returned. This one is more than was shipped.</source>
        <translation>{sku}: {shipped} enviadas en el pedido {order}, {returned} ya devueltas. Esta es más de lo que se envió.</translation>
    </message>
    <message>
        <source>No shipped order matches {code}: scan the RMA, the order number or the customer&apos;s parcel.</source>
        <translation>Ningún pedido enviado coincide con {code}: escanee la RMA, el número de pedido o el paquete del cliente.</translation>
    </message>
    <message>
        <source>{code} matches several orders ({orders}): scan the RMA or the order number.</source>
        <translation>{code} coincide con varios pedidos ({orders}): escanee la RMA o el número de pedido.</translation>
    </message>
    <message>
        <source>{rma} has {count} unit(s) waiting for inspection: inspect them before closing.</source>
        <translation>{rma} tiene {count} unidad(es) pendientes de inspección: inspecciónelas antes de cerrar.</translation>
    </message>
    <message>
        <source>Scrapping {sku} (value {value}) is over {limit}. A supervisor must approve.</source>
        <translation>Desechar {sku} (valor {value}) supera {limit}. Un supervisor debe aprobarlo.</translation>
    </message>
    <message>
        <source>Returning {sku} to the vendor (value {value}) is over {limit}. A supervisor must approve.</source>
        <translation>Devolver {sku} al proveedor (valor {value}) supera {limit}. Un supervisor debe aprobarlo.</translation>
    </message>
    <message>
        <source>{sku}: the rules say {suggested}, not {chosen}. A supervisor must approve.</source>
        <translation>{sku}: las reglas dicen {suggested}, no {chosen}. Un supervisor debe aprobarlo.</translation>
    </message>
    <message>
        <source>There is no database at {path}. `stockfloor db upgrade` creates an empty one, `stockfloor demo` a demo warehouse.</source>
        <translation>No hay ninguna base de datos en {path}. `stockfloor db upgrade` crea una vacía, `stockfloor demo` un almacén de demostración.</translation>
    </message>
    <message>
        <source>The input ended before the {prompt} was typed. Run the command at a terminal, or pipe the answer in; scheduled jobs use STOCKFLOOR_TOKEN=&lt;token&gt; instead of a PIN (`stockfloor user token NAME`).</source>
        <translation>La entrada terminó antes de escribir {prompt}. Ejecute la orden en un terminal o envíe la respuesta por una tubería; las tareas programadas usan STOCKFLOOR_TOKEN=&lt;token&gt; en lugar de un PIN (`stockfloor user token NAME`).</translation>
    </message>
    <message>
        <source>Commands that change data run as a named user: --user NAME (asks for the PIN), or STOCKFLOOR_TOKEN=&lt;token&gt; for scheduled jobs (`stockfloor user token NAME`).</source>
        <translation>Los comandos que cambian datos se ejecutan como un usuario: --user NOMBRE (pide el PIN) o STOCKFLOOR_TOKEN=&lt;token&gt; para tareas programadas (`stockfloor user token NOMBRE`).</translation>
    </message>
    <message>
        <source>The window cannot open: {reason}</source>
        <translation>No se puede abrir la ventana: {reason}</translation>
    </message>
    <message>
        <source>{location} holds no free {sku} to replenish from: scan a reserve bin that does.</source>
        <translation>{location} no tiene {sku} libre para reponer: escanee una ubicación de reserva que lo tenga.</translation>
    </message>
    <message>
        <source>{scanned} is not {expected}: take {expected}.</source>
        <translation>{scanned} no es {expected}: tome {expected}.</translation>
    </message>
    <message>
        <source>{scanned} is not the pick face of {sku}: take it to {face}.</source>
        <translation>{scanned} no es la ubicación de picking de {sku}: llévelo a {face}.</translation>
    </message>
    <message>
        <source>Replenishment {task} is {state}: nothing to do.</source>
        <translation>La reposición {task} está {state}: nada que hacer.</translation>
    </message>
    <message>
        <source>{location} is a {kind} location: min / max belong to pick faces.</source>
        <translation>{location} es una ubicación de tipo {kind}: mín / máx son de ubicaciones de picking.</translation>
    </message>
    <message>
        <source>&apos;{code}&apos; is not on the local copy of {document}: scan it again when the database is back.</source>
        <translation>&apos;{code}&apos; no está en la copia local de {document}: escanéelo de nuevo cuando vuelva la base de datos.</translation>
    </message>
    <message>
        <source>{what} waits until the database is back: it cannot be done offline.</source>
        <translation>{what} espera a que vuelva la base de datos: no se puede hacer sin conexión.</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Something went wrong and was written to the log. Please tell a supervisor.</source>
        <translation>Algo salió mal y quedó anotado en el registro. Avise a un supervisor.</translation>
    </message>
    <message>
        <source>Building the demo warehouse. This takes a few seconds the first time.</source>
        <translation>Construyendo el almacén de demostración. La primera vez tarda unos segundos.</translation>
    </message>
</context>
<context>
    <name>printing</name>
    <message>
        <source>Printing {title} on {printer}</source>
        <translation>Imprimiendo {title} en {printer}</translation>
    </message>
    <message>
        <source>Drawing the pages of {title}…</source>
        <translation>Dibujando las páginas de {title}…</translation>
    </message>
    <message>
        <source>Not printed: {reason} Retry it from Print jobs.</source>
        <translation>No impreso: {reason} Reinténtelo desde Trabajos de impresión.</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Cuándo</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Qué</translation>
    </message>
    <message>
        <source>Labels / pages</source>
        <translation>Etiquetas / páginas</translation>
    </message>
    <message>
        <source>Printer</source>
        <translation>Impresora</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Tries</source>
        <translation>Intentos</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Por</translation>
    </message>
    <message>
        <source> (again)</source>
        <translation> (de nuevo)</translation>
    </message>
    <message>
        <source>Location labels</source>
        <translation>Etiquetas de ubicación</translation>
    </message>
    <message>
        <source>Product labels</source>
        <translation>Etiquetas de producto</translation>
    </message>
    <message>
        <source>License plate labels</source>
        <translation>Etiquetas de matrícula</translation>
    </message>
    <message>
        <source>Receiving labels</source>
        <translation>Etiquetas de recepción</translation>
    </message>
    <message>
        <source>Badges</source>
        <translation>Tarjetas</translation>
    </message>
    <message>
        <source>Command sheet</source>
        <translation>Hoja de comandos</translation>
    </message>
    <message>
        <source>Parcel labels</source>
        <translation>Etiquetas de bulto</translation>
    </message>
    <message>
        <source>Routing label</source>
        <translation>Etiqueta de destino</translation>
    </message>
    <message>
        <source>Receiving report</source>
        <translation>Informe de recepción</translation>
    </message>
    <message>
        <source>Put-away list</source>
        <translation>Lista de ubicación</translation>
    </message>
    <message>
        <source>Packing slip</source>
        <translation>Albarán</translation>
    </message>
    <message>
        <source>PDF files in a folder</source>
        <translation>Archivos PDF en una carpeta</translation>
    </message>
    <message>
        <source>System printer</source>
        <translation>Impresora del sistema</translation>
    </message>
    <message>
        <source>Label printer on the network (ZPL, port 9100)</source>
        <translation>Impresora de etiquetas en la red (ZPL, puerto 9100)</translation>
    </message>
    <message>
        <source>Label printer through a raw CUPS queue (ZPL)</source>
        <translation>Impresora de etiquetas por una cola CUPS raw (ZPL)</translation>
    </message>
    <message>
        <source>CUPS queue (PDF)</source>
        <translation>Cola CUPS (PDF)</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>En espera</translation>
    </message>
    <message>
        <source>Printed</source>
        <translation>Impreso</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fallido</translation>
    </message>
    <message>
        <source>2 x 1 in label</source>
        <translation>Etiqueta de 2 x 1 pulg.</translation>
    </message>
    <message>
        <source>4 x 3 in label</source>
        <translation>Etiqueta de 4 x 3 pulg.</translation>
    </message>
    <message>
        <source>4 x 6 in label</source>
        <translation>Etiqueta de 4 x 6 pulg.</translation>
    </message>
    <message>
        <source>A4 sheet, 3 x 8 labels</source>
        <translation>Hoja A4, 3 x 8 etiquetas</translation>
    </message>
    <message>
        <source>Letter sheet, 3 x 10 labels</source>
        <translation>Hoja Carta, 3 x 10 etiquetas</translation>
    </message>
    <message>
        <source>A4 page</source>
        <translation>Página A4</translation>
    </message>
    <message>
        <source>Letter page</source>
        <translation>Página Carta</translation>
    </message>
    <message>
        <source>Printer {printer} does not answer: it is switched off or not listening.</source>
        <translation>La impresora {printer} no responde: está apagada o no escucha.</translation>
    </message>
    <message>
        <source>Printer {printer} did not answer in time.</source>
        <translation>La impresora {printer} no respondió a tiempo.</translation>
    </message>
    <message>
        <source>The printer address {printer} is unknown.</source>
        <translation>La dirección de impresora {printer} es desconocida.</translation>
    </message>
    <message>
        <source>Printer {printer} cannot be reached over the network.</source>
        <translation>No se llega a la impresora {printer} por la red.</translation>
    </message>
    <message>
        <source>There is no print queue called {printer}.</source>
        <translation>No hay ninguna cola de impresión llamada {printer}.</translation>
    </message>
    <message>
        <source>The print service (CUPS) of this workstation is not running.</source>
        <translation>El servicio de impresión (CUPS) de este puesto no está en marcha.</translation>
    </message>
    <message>
        <source>Print queue {printer} is not accepting jobs.</source>
        <translation>La cola de impresión {printer} no acepta trabajos.</translation>
    </message>
    <message>
        <source>This workstation may not print to {printer}.</source>
        <translation>Este puesto no tiene permiso para imprimir en {printer}.</translation>
    </message>
    <message>
        <source>The print command (lp) is not installed on this workstation.</source>
        <translation>El comando de impresión (lp) no está instalado en este puesto.</translation>
    </message>
    <message>
        <source>The file {printer} cannot be written.</source>
        <translation>No se puede escribir el archivo {printer}.</translation>
    </message>
    <message>
        <source>System printer {printer} cannot print.</source>
        <translation>La impresora del sistema {printer} no puede imprimir.</translation>
    </message>
    <message>
        <source>The labels cannot be drawn at this size: {reason}</source>
        <translation>Las etiquetas no caben en este tamaño: {reason}</translation>
    </message>
    <message>
        <source>What this job printed is no longer there: {reason}</source>
        <translation>Lo que imprimía este trabajo ya no existe: {reason}</translation>
    </message>
    <message>
        <source>Printing failed: {reason}</source>
        <translation>La impresión falló: {reason}</translation>
    </message>
    <message>
        <source>Confirm</source>
        <translation>Confirmar</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Deshacer</translation>
    </message>
    <message>
        <source>Print</source>
        <translation>Imprimir</translation>
    </message>
    <message>
        <source>Empty</source>
        <translation>Vacío</translation>
    </message>
    <message>
        <source>Damaged</source>
        <translation>Dañado</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>Cerrar sesión</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>Cantidad</translation>
    </message>
    <message>
        <source>Grade A</source>
        <translation>Grado A</translation>
    </message>
    <message>
        <source>Grade B</source>
        <translation>Grado B</translation>
    </message>
    <message>
        <source>Grade C</source>
        <translation>Grado C</translation>
    </message>
    <message>
        <source>Grade D</source>
        <translation>Grado D</translation>
    </message>
    <message>
        <source>Commands - {workstation}</source>
        <translation>Comandos - {workstation}</translation>
    </message>
</context>
<context>
    <name>putaway reasons</name>
    <message>
        <source>{location} is the home location of {sku}.</source>
        <translation>{location} es la ubicación fija de {sku}.</translation>
    </message>
    <message>
        <source>{location} already holds lot {lot} of {sku}.</source>
        <translation>{location} ya contiene el lote {lot} de {sku}.</translation>
    </message>
    <message>
        <source>{location} already holds {sku}.</source>
        <translation>{location} ya contiene {sku}.</translation>
    </message>
    <message>
        <source>{location} holds {sku} expiring {bin_expiry}, no later than this lot ({expiry}).</source>
        <translation>{location} contiene {sku} que caduca el {bin_expiry}, no después que este lote ({expiry}).</translation>
    </message>
    <message>
        <source>{location} is the nearest empty bin in zone {zone}.</source>
        <translation>{location} es el hueco vacío más cercano de la zona {zone}.</translation>
    </message>
    <message>
        <source>{location} is the nearest empty bin.</source>
        <translation>{location} es el hueco vacío más cercano.</translation>
    </message>
    <message>
        <source>{location} is the nearest bin with room for {quantity} x {sku}.</source>
        <translation>{location} es el hueco más cercano con espacio para {quantity} x {sku}.</translation>
    </message>
    <message>
        <source>No bin can take {quantity} x {sku}: scan any bin that has room.</source>
        <translation>Ningún hueco admite {quantity} x {sku}: escanee cualquier hueco que tenga espacio.</translation>
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
    <name>short pick reasons</name>
    <message>
        <source>Bin empty</source>
        <translation>Hueco vacío</translation>
    </message>
    <message>
        <source>Fewer in the bin than expected</source>
        <translation>Hay menos en el hueco de lo esperado</translation>
    </message>
    <message>
        <source>Damaged, cannot be sent</source>
        <translation>Dañado, no se puede enviar</translation>
    </message>
    <message>
        <source>Another product in the bin</source>
        <translation>Otro producto en el hueco</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Otro</translation>
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
        <source>Scan journal</source>
        <translation>Diario de escaneos</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Ajustes</translation>
    </message>
    <message>
        <source>Printers</source>
        <translation>Impresoras</translation>
    </message>
    <message>
        <source>Print jobs</source>
        <translation>Trabajos de impresión</translation>
    </message>
    <message>
        <source>Plan counts</source>
        <translation>Planificar recuentos</translation>
    </message>
    <message>
        <source>Return report</source>
        <translation>Informe de devoluciones</translation>
    </message>
    <message>
        <source>Waves and dispatch</source>
        <translation>Olas y expedición</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>Usuarios</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>Registro de auditoría</translation>
    </message>
    <message>
        <source>Scans required</source>
        <translation>Escaneo obligatorio</translation>
    </message>
    <message>
        <source>Replenish</source>
        <translation>Reponer</translation>
    </message>
    <message>
        <source>Count policy</source>
        <translation>Política de recuento</translation>
    </message>
    <message>
        <source>Pick faces</source>
        <translation>Ubicaciones de picking</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>Panel</translation>
    </message>
    <message>
        <source>Offline scans</source>
        <translation>Escaneos sin conexión</translation>
    </message>
</context>
</TS>

#!/bin/sh
# Start CUPS and create, for tests/printing/test_cups.py (run as root, e.g. in CI):
#   StockfloorPDF  cups-pdf queue writing every job as a PDF into OUTPUT_DIR
#   StockfloorZPL  raw queue forwarding bytes to socket://127.0.0.1:RAW_PORT (default 9109),
#                  where the test listens like a Zebra printer would
#
#   apt-get install -y cups cups-client printer-driver-cups-pdf
#   sh tests/printing/setup_cups.sh /tmp/cups-pdf-out 9109
#   STOCKFLOOR_TEST_CUPS_QUEUE=StockfloorPDF STOCKFLOOR_TEST_CUPS_OUT=/tmp/cups-pdf-out \
#   STOCKFLOOR_TEST_CUPS_RAW_QUEUE=StockfloorZPL STOCKFLOOR_TEST_CUPS_RAW_PORT=9109 \
#       pytest tests/printing
#
# Idempotent: re-running re-points the queue at the new folder.
set -eu

OUT="${1:?usage: setup_cups.sh OUTPUT_DIR [RAW_PORT]}"
RAW_PORT="${2:-9109}"
QUEUE="${STOCKFLOOR_CUPS_QUEUE_NAME:-StockfloorPDF}"
RAW_QUEUE="${STOCKFLOOR_CUPS_RAW_QUEUE_NAME:-StockfloorZPL}"
CONF=/etc/cups/cups-pdf.conf
PPD=lsb/usr/cups-pdf/CUPS-PDF_opt.ppd

[ "$(id -u)" = 0 ] || { echo "setup_cups.sh: must run as root" >&2; exit 1; }
for tool in cupsd lpadmin lpstat; do
    command -v "$tool" >/dev/null || { echo "setup_cups.sh: $tool missing (apt-get install cups cups-client printer-driver-cups-pdf)" >&2; exit 1; }
done
[ -f "$CONF" ] || { echo "setup_cups.sh: $CONF missing (apt-get install printer-driver-cups-pdf)" >&2; exit 1; }

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
# cups-pdf writes as the submitting user, or as 'nobody' for unknown users.
chmod 0777 "$OUT"

# Every job, from any user, straight into $OUT (no per-user ${HOME}/PDF folders).
sed -i -e '/^[#[:space:]]*Out[[:space:]]/d' -e '/^[#[:space:]]*AnonDirName[[:space:]]/d' "$CONF"
printf 'Out %s\nAnonDirName %s\n' "$OUT" "$OUT" >> "$CONF"

# Start the scheduler unless it already runs (no systemd in containers).
if ! lpstat -r 2>/dev/null | grep -q "is running"; then
    cupsd
fi
i=0
until lpstat -r 2>/dev/null | grep -q "is running"; do
    i=$((i + 1))
    [ "$i" -le 50 ] || { echo "setup_cups.sh: cupsd did not start" >&2; exit 1; }
    sleep 0.2
done

# lpadmin warns that drivers and raw queues are deprecated; both still work in CUPS 2.4,
# so show its output only when it fails.
add_queue() {
    if ! msg=$(lpadmin "$@" 2>&1); then echo "$msg" >&2; exit 1; fi
}
add_queue -p "$QUEUE" -E -v cups-pdf:/ -m "$PPD"
add_queue -p "$RAW_QUEUE" -E -v "socket://127.0.0.1:$RAW_PORT" -m raw
lpstat -p "$QUEUE" -p "$RAW_QUEUE"
echo "queue $QUEUE writes PDFs to $OUT; queue $RAW_QUEUE sends raw bytes to 127.0.0.1:$RAW_PORT"

"""The offline outbox: floor scans kept on this workstation while the shared database cannot
be reached, and sent later, in order, with their original idempotency keys.

- ``store``: the durable local file (SQLite, fsync'd before the operator hears "ok");
- ``copies``: local copies of an open document taken while online, and the checks a scan
  passes against them while offline;
- ``replay``: sends the waiting scans through ``retry.run_scan``; a scan the server refuses
  goes to the "needs attention" list with its reason.
"""

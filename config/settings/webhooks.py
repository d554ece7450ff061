# Seconds an accepted webhook event may wait in `received` before the sweep
# queues it again (the broker was down when it arrived).
WEBHOOK_SWEEP_AFTER_SECONDS = 60
# Seconds after which a `processing` event is taken to belong to a dead worker.
WEBHOOK_STALE_PROCESSING_SECONDS = 600
# Events queued per sweep run; the next run continues with the rest.
WEBHOOK_SWEEP_BATCH = 500
# Seconds between sweep runs under Celery beat.
WEBHOOK_SWEEP_INTERVAL_SECONDS = 60

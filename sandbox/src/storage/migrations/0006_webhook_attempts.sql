-- A webhook attempt is logged before it is sent, `in_flight` until its answer (or why there
-- was none) is written over it, and its delivery counts it at once. A line still in flight
-- when the sandbox starts again was cut by a stop or a crash: it becomes a failed attempt
-- with the error "interrupted", and the delivery's next attempt takes the next number.
-- Lists and counts leave lines in flight out.
ALTER TABLE webhook_delivery_logs ADD COLUMN in_flight INTEGER NOT NULL DEFAULT 0;

-- The group commit stores a batch of sends in one statement (db/queries/message-sends.ts). It reads
-- memberships and earlier sends from the statement's snapshot; if another transaction changed them
-- before the statement took its locks (a member left, a copy of a send committed), the statement calls
-- this to abort itself with serialization_failure, which the sender retries.
CREATE FUNCTION chat_abort_if_raced(raced boolean) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
  IF raced THEN
    RAISE EXCEPTION 'a send batch raced a concurrent change' USING ERRCODE = 'serialization_failure';
  END IF;
  RETURN true;
END
$$;

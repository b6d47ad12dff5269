-- The app's send transaction (db/queries/messages.ts insertMessageWithNextSeq), one message per
-- transaction: bump the conversation's seq (row lock), insert the message under it (unique on
-- sender + client id), move the sender's read position, commit.
-- Variables (pgbench -D): nonce (the run's id prefix as a decimal integer), cbase/ubase (first conversation/user number), pairs.
\set p random(0, :pairs - 1)
\set side random(0, 1)
\set conv :cbase + :p
\set sender :ubase + 2 * :p + :side
BEGIN;
UPDATE conversations SET last_seq = last_seq + 1, last_message_at = clock_timestamp()
  WHERE id = (lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-9000-' || lpad(:conv::text, 12, '0'))::uuid
  RETURNING last_seq AS seq \gset
INSERT INTO messages (conversation_id, seq, id, sender_id, client_msg_id, kind, body, mentions, meta, created_at, recalled_at, edited_at, mod_version)
  VALUES ((lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-9000-' || lpad(:conv::text, 12, '0'))::uuid, :seq, gen_random_uuid(),
          (lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-8000-' || lpad(:sender::text, 12, '0'))::uuid,
          gen_random_uuid()::text, 'text', 'A pgbench message body of about the length the load generators send: lorem ipsum.',
          NULL, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT)
  ON CONFLICT (sender_id, client_msg_id) DO NOTHING
  RETURNING *;
UPDATE conversation_members SET last_read_seq = greatest(last_read_seq, :seq::bigint), last_delivered_seq = greatest(last_delivered_seq, :seq::bigint)
  WHERE user_id = (lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-8000-' || lpad(:sender::text, 12, '0'))::uuid
    AND conversation_id = (lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-9000-' || lpad(:conv::text, 12, '0'))::uuid
    AND left_seq IS NULL
  RETURNING user_id;
COMMIT;

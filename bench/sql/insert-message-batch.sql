-- The storage limit with batching (group commit): the same three statements per message as
-- insert-message.sql, for 10 messages in one transaction. Each client owns its own slice of the pairs
-- (perclient of them), so concurrent batches never wait on each other's row locks.
-- Variables (pgbench -D): nonce, cbase, ubase, perclient.
\set p0 :client_id * :perclient + random(0, :perclient - 1)
\set side0 random(0, 1)
\set conv0 :cbase + :p0
\set sender0 :ubase + 2 * :p0 + :side0
\set p1 :client_id * :perclient + random(0, :perclient - 1)
\set side1 random(0, 1)
\set conv1 :cbase + :p1
\set sender1 :ubase + 2 * :p1 + :side1
\set p2 :client_id * :perclient + random(0, :perclient - 1)
\set side2 random(0, 1)
\set conv2 :cbase + :p2
\set sender2 :ubase + 2 * :p2 + :side2
\set p3 :client_id * :perclient + random(0, :perclient - 1)
\set side3 random(0, 1)
\set conv3 :cbase + :p3
\set sender3 :ubase + 2 * :p3 + :side3
\set p4 :client_id * :perclient + random(0, :perclient - 1)
\set side4 random(0, 1)
\set conv4 :cbase + :p4
\set sender4 :ubase + 2 * :p4 + :side4
\set p5 :client_id * :perclient + random(0, :perclient - 1)
\set side5 random(0, 1)
\set conv5 :cbase + :p5
\set sender5 :ubase + 2 * :p5 + :side5
\set p6 :client_id * :perclient + random(0, :perclient - 1)
\set side6 random(0, 1)
\set conv6 :cbase + :p6
\set sender6 :ubase + 2 * :p6 + :side6
\set p7 :client_id * :perclient + random(0, :perclient - 1)
\set side7 random(0, 1)
\set conv7 :cbase + :p7
\set sender7 :ubase + 2 * :p7 + :side7
\set p8 :client_id * :perclient + random(0, :perclient - 1)
\set side8 random(0, 1)
\set conv8 :cbase + :p8
\set sender8 :ubase + 2 * :p8 + :side8
\set p9 :client_id * :perclient + random(0, :perclient - 1)
\set side9 random(0, 1)
\set conv9 :cbase + :p9
\set sender9 :ubase + 2 * :p9 + :side9
BEGIN;
UPDATE conversations SET last_seq = last_seq + 1, last_message_at = clock_timestamp()
  WHERE id = (lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-9000-' || lpad(:conv0::text, 12, '0'))::uuid
  RETURNING last_seq AS seq0 \gset
INSERT INTO messages (conversation_id, seq, id, sender_id, client_msg_id, kind, body, mentions, meta, created_at, recalled_at, edited_at, mod_version)
  VALUES ((lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-9000-' || lpad(:conv0::text, 12, '0'))::uuid, :seq0, gen_random_uuid(),
          (lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-8000-' || lpad(:sender0::text, 12, '0'))::uuid,
          gen_random_uuid()::text, 'text', 'A pgbench message body of about the length the load generators send: lorem ipsum.',
          NULL, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT)
  ON CONFLICT (sender_id, client_msg_id) DO NOTHING
  RETURNING *;
UPDATE conversation_members SET last_read_seq = greatest(last_read_seq, :seq0::bigint), last_delivered_seq = greatest(last_delivered_seq, :seq0::bigint)
  WHERE user_id = (lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-8000-' || lpad(:sender0::text, 12, '0'))::uuid
    AND conversation_id = (lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-9000-' || lpad(:conv0::text, 12, '0'))::uuid
    AND left_seq IS NULL
  RETURNING user_id;
UPDATE conversations SET last_seq = last_seq + 1, last_message_at = clock_timestamp()
  WHERE id = (lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-9000-' || lpad(:conv1::text, 12, '0'))::uuid
  RETURNING last_seq AS seq1 \gset
INSERT INTO messages (conversation_id, seq, id, sender_id, client_msg_id, kind, body, mentions, meta, created_at, recalled_at, edited_at, mod_version)
  VALUES ((lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-9000-' || lpad(:conv1::text, 12, '0'))::uuid, :seq1, gen_random_uuid(),
          (lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-8000-' || lpad(:sender1::text, 12, '0'))::uuid,
          gen_random_uuid()::text, 'text', 'A pgbench message body of about the length the load generators send: lorem ipsum.',
          NULL, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT)
  ON CONFLICT (sender_id, client_msg_id) DO NOTHING
  RETURNING *;
UPDATE conversation_members SET last_read_seq = greatest(last_read_seq, :seq1::bigint), last_delivered_seq = greatest(last_delivered_seq, :seq1::bigint)
  WHERE user_id = (lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-8000-' || lpad(:sender1::text, 12, '0'))::uuid
    AND conversation_id = (lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-9000-' || lpad(:conv1::text, 12, '0'))::uuid
    AND left_seq IS NULL
  RETURNING user_id;
UPDATE conversations SET last_seq = last_seq + 1, last_message_at = clock_timestamp()
  WHERE id = (lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-9000-' || lpad(:conv2::text, 12, '0'))::uuid
  RETURNING last_seq AS seq2 \gset
INSERT INTO messages (conversation_id, seq, id, sender_id, client_msg_id, kind, body, mentions, meta, created_at, recalled_at, edited_at, mod_version)
  VALUES ((lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-9000-' || lpad(:conv2::text, 12, '0'))::uuid, :seq2, gen_random_uuid(),
          (lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-8000-' || lpad(:sender2::text, 12, '0'))::uuid,
          gen_random_uuid()::text, 'text', 'A pgbench message body of about the length the load generators send: lorem ipsum.',
          NULL, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT)
  ON CONFLICT (sender_id, client_msg_id) DO NOTHING
  RETURNING *;
UPDATE conversation_members SET last_read_seq = greatest(last_read_seq, :seq2::bigint), last_delivered_seq = greatest(last_delivered_seq, :seq2::bigint)
  WHERE user_id = (lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-8000-' || lpad(:sender2::text, 12, '0'))::uuid
    AND conversation_id = (lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-9000-' || lpad(:conv2::text, 12, '0'))::uuid
    AND left_seq IS NULL
  RETURNING user_id;
UPDATE conversations SET last_seq = last_seq + 1, last_message_at = clock_timestamp()
  WHERE id = (lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-9000-' || lpad(:conv3::text, 12, '0'))::uuid
  RETURNING last_seq AS seq3 \gset
INSERT INTO messages (conversation_id, seq, id, sender_id, client_msg_id, kind, body, mentions, meta, created_at, recalled_at, edited_at, mod_version)
  VALUES ((lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-9000-' || lpad(:conv3::text, 12, '0'))::uuid, :seq3, gen_random_uuid(),
          (lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-8000-' || lpad(:sender3::text, 12, '0'))::uuid,
          gen_random_uuid()::text, 'text', 'A pgbench message body of about the length the load generators send: lorem ipsum.',
          NULL, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT)
  ON CONFLICT (sender_id, client_msg_id) DO NOTHING
  RETURNING *;
UPDATE conversation_members SET last_read_seq = greatest(last_read_seq, :seq3::bigint), last_delivered_seq = greatest(last_delivered_seq, :seq3::bigint)
  WHERE user_id = (lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-8000-' || lpad(:sender3::text, 12, '0'))::uuid
    AND conversation_id = (lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-9000-' || lpad(:conv3::text, 12, '0'))::uuid
    AND left_seq IS NULL
  RETURNING user_id;
UPDATE conversations SET last_seq = last_seq + 1, last_message_at = clock_timestamp()
  WHERE id = (lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-9000-' || lpad(:conv4::text, 12, '0'))::uuid
  RETURNING last_seq AS seq4 \gset
INSERT INTO messages (conversation_id, seq, id, sender_id, client_msg_id, kind, body, mentions, meta, created_at, recalled_at, edited_at, mod_version)
  VALUES ((lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-9000-' || lpad(:conv4::text, 12, '0'))::uuid, :seq4, gen_random_uuid(),
          (lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-8000-' || lpad(:sender4::text, 12, '0'))::uuid,
          gen_random_uuid()::text, 'text', 'A pgbench message body of about the length the load generators send: lorem ipsum.',
          NULL, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT)
  ON CONFLICT (sender_id, client_msg_id) DO NOTHING
  RETURNING *;
UPDATE conversation_members SET last_read_seq = greatest(last_read_seq, :seq4::bigint), last_delivered_seq = greatest(last_delivered_seq, :seq4::bigint)
  WHERE user_id = (lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-8000-' || lpad(:sender4::text, 12, '0'))::uuid
    AND conversation_id = (lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-9000-' || lpad(:conv4::text, 12, '0'))::uuid
    AND left_seq IS NULL
  RETURNING user_id;
UPDATE conversations SET last_seq = last_seq + 1, last_message_at = clock_timestamp()
  WHERE id = (lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-9000-' || lpad(:conv5::text, 12, '0'))::uuid
  RETURNING last_seq AS seq5 \gset
INSERT INTO messages (conversation_id, seq, id, sender_id, client_msg_id, kind, body, mentions, meta, created_at, recalled_at, edited_at, mod_version)
  VALUES ((lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-9000-' || lpad(:conv5::text, 12, '0'))::uuid, :seq5, gen_random_uuid(),
          (lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-8000-' || lpad(:sender5::text, 12, '0'))::uuid,
          gen_random_uuid()::text, 'text', 'A pgbench message body of about the length the load generators send: lorem ipsum.',
          NULL, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT)
  ON CONFLICT (sender_id, client_msg_id) DO NOTHING
  RETURNING *;
UPDATE conversation_members SET last_read_seq = greatest(last_read_seq, :seq5::bigint), last_delivered_seq = greatest(last_delivered_seq, :seq5::bigint)
  WHERE user_id = (lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-8000-' || lpad(:sender5::text, 12, '0'))::uuid
    AND conversation_id = (lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-9000-' || lpad(:conv5::text, 12, '0'))::uuid
    AND left_seq IS NULL
  RETURNING user_id;
UPDATE conversations SET last_seq = last_seq + 1, last_message_at = clock_timestamp()
  WHERE id = (lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-9000-' || lpad(:conv6::text, 12, '0'))::uuid
  RETURNING last_seq AS seq6 \gset
INSERT INTO messages (conversation_id, seq, id, sender_id, client_msg_id, kind, body, mentions, meta, created_at, recalled_at, edited_at, mod_version)
  VALUES ((lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-9000-' || lpad(:conv6::text, 12, '0'))::uuid, :seq6, gen_random_uuid(),
          (lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-8000-' || lpad(:sender6::text, 12, '0'))::uuid,
          gen_random_uuid()::text, 'text', 'A pgbench message body of about the length the load generators send: lorem ipsum.',
          NULL, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT)
  ON CONFLICT (sender_id, client_msg_id) DO NOTHING
  RETURNING *;
UPDATE conversation_members SET last_read_seq = greatest(last_read_seq, :seq6::bigint), last_delivered_seq = greatest(last_delivered_seq, :seq6::bigint)
  WHERE user_id = (lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-8000-' || lpad(:sender6::text, 12, '0'))::uuid
    AND conversation_id = (lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-9000-' || lpad(:conv6::text, 12, '0'))::uuid
    AND left_seq IS NULL
  RETURNING user_id;
UPDATE conversations SET last_seq = last_seq + 1, last_message_at = clock_timestamp()
  WHERE id = (lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-9000-' || lpad(:conv7::text, 12, '0'))::uuid
  RETURNING last_seq AS seq7 \gset
INSERT INTO messages (conversation_id, seq, id, sender_id, client_msg_id, kind, body, mentions, meta, created_at, recalled_at, edited_at, mod_version)
  VALUES ((lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-9000-' || lpad(:conv7::text, 12, '0'))::uuid, :seq7, gen_random_uuid(),
          (lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-8000-' || lpad(:sender7::text, 12, '0'))::uuid,
          gen_random_uuid()::text, 'text', 'A pgbench message body of about the length the load generators send: lorem ipsum.',
          NULL, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT)
  ON CONFLICT (sender_id, client_msg_id) DO NOTHING
  RETURNING *;
UPDATE conversation_members SET last_read_seq = greatest(last_read_seq, :seq7::bigint), last_delivered_seq = greatest(last_delivered_seq, :seq7::bigint)
  WHERE user_id = (lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-8000-' || lpad(:sender7::text, 12, '0'))::uuid
    AND conversation_id = (lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-9000-' || lpad(:conv7::text, 12, '0'))::uuid
    AND left_seq IS NULL
  RETURNING user_id;
UPDATE conversations SET last_seq = last_seq + 1, last_message_at = clock_timestamp()
  WHERE id = (lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-9000-' || lpad(:conv8::text, 12, '0'))::uuid
  RETURNING last_seq AS seq8 \gset
INSERT INTO messages (conversation_id, seq, id, sender_id, client_msg_id, kind, body, mentions, meta, created_at, recalled_at, edited_at, mod_version)
  VALUES ((lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-9000-' || lpad(:conv8::text, 12, '0'))::uuid, :seq8, gen_random_uuid(),
          (lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-8000-' || lpad(:sender8::text, 12, '0'))::uuid,
          gen_random_uuid()::text, 'text', 'A pgbench message body of about the length the load generators send: lorem ipsum.',
          NULL, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT)
  ON CONFLICT (sender_id, client_msg_id) DO NOTHING
  RETURNING *;
UPDATE conversation_members SET last_read_seq = greatest(last_read_seq, :seq8::bigint), last_delivered_seq = greatest(last_delivered_seq, :seq8::bigint)
  WHERE user_id = (lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-8000-' || lpad(:sender8::text, 12, '0'))::uuid
    AND conversation_id = (lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-9000-' || lpad(:conv8::text, 12, '0'))::uuid
    AND left_seq IS NULL
  RETURNING user_id;
UPDATE conversations SET last_seq = last_seq + 1, last_message_at = clock_timestamp()
  WHERE id = (lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-9000-' || lpad(:conv9::text, 12, '0'))::uuid
  RETURNING last_seq AS seq9 \gset
INSERT INTO messages (conversation_id, seq, id, sender_id, client_msg_id, kind, body, mentions, meta, created_at, recalled_at, edited_at, mod_version)
  VALUES ((lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-9000-' || lpad(:conv9::text, 12, '0'))::uuid, :seq9, gen_random_uuid(),
          (lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-8000-' || lpad(:sender9::text, 12, '0'))::uuid,
          gen_random_uuid()::text, 'text', 'A pgbench message body of about the length the load generators send: lorem ipsum.',
          NULL, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT)
  ON CONFLICT (sender_id, client_msg_id) DO NOTHING
  RETURNING *;
UPDATE conversation_members SET last_read_seq = greatest(last_read_seq, :seq9::bigint), last_delivered_seq = greatest(last_delivered_seq, :seq9::bigint)
  WHERE user_id = (lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-8000-' || lpad(:sender9::text, 12, '0'))::uuid
    AND conversation_id = (lpad(to_hex(:nonce::bigint), 8, '0') || '-0000-4000-9000-' || lpad(:conv9::text, 12, '0'))::uuid
    AND left_seq IS NULL
  RETURNING user_id;
COMMIT;

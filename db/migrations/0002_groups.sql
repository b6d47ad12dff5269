ALTER TABLE "conversation_members" ADD COLUMN "left_seq" bigint;--> statement-breakpoint
ALTER TABLE "conversation_members" ADD COLUMN "mention_seq" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "member_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "mentions" uuid[];--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "meta" jsonb;--> statement-breakpoint
UPDATE "conversations" SET "member_count" = (SELECT count(*) FROM "conversation_members" m WHERE m."conversation_id" = "conversations"."id");

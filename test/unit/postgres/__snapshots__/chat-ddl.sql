CREATE TABLE "users" (
  "id" bigint NOT NULL,
  "auth0_id" text NOT NULL,
  "email" text NOT NULL,
  "name" text NOT NULL,
  "picture" text NOT NULL,
  "bio" varchar(200),
  "is_active" boolean NOT NULL,
  "created_at" timestamptz NOT NULL,
  CONSTRAINT "users_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "users_auth0_id_key" UNIQUE ("auth0_id"),
  CONSTRAINT "users_email_key" UNIQUE ("email"),
  CONSTRAINT "users_bio_check" CHECK (char_length(bio) <= 200)
);

CREATE TABLE "reactions" (
  "id" bigint NOT NULL,
  "code" text NOT NULL,
  "emoji" text NOT NULL,
  CONSTRAINT "reactions_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "reactions_code_key" UNIQUE ("code")
);

CREATE TABLE "channels" (
  "id" bigint NOT NULL,
  "name" text NOT NULL,
  "description" text,
  "owner_id" bigint NOT NULL,
  "is_private" boolean NOT NULL,
  "is_dm" boolean NOT NULL,
  "join_code" text,
  "created_at" timestamptz NOT NULL,
  CONSTRAINT "channels_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "channels_name_key" UNIQUE ("name"),
  CONSTRAINT "channels_join_code_key" UNIQUE ("join_code"),
  CONSTRAINT "channels_is_dm_is_private_description_join_code_check" CHECK (NOT is_dm OR (is_private AND description IS NULL AND join_code IS NULL))
);

CREATE TABLE "user_channels" (
  "user_id" bigint NOT NULL,
  "channel_id" bigint NOT NULL,
  "joined_at" timestamptz NOT NULL,
  CONSTRAINT "user_channels_pkey" PRIMARY KEY ("user_id", "channel_id")
);

CREATE TABLE "messages" (
  "id" bigint NOT NULL,
  "channel_id" bigint NOT NULL,
  "user_id" bigint NOT NULL,
  "parent_id" bigint,
  "content" text NOT NULL,
  "created_at" timestamptz NOT NULL,
  "updated_at" timestamptz NOT NULL,
  CONSTRAINT "messages_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "messages_created_at_updated_at_check" CHECK (created_at <= updated_at)
);

CREATE TABLE "message_reactions" (
  "message_id" bigint NOT NULL,
  "reaction_id" bigint NOT NULL,
  "user_id" bigint NOT NULL,
  "created_at" timestamptz NOT NULL,
  CONSTRAINT "message_reactions_pkey" PRIMARY KEY ("message_id", "user_id", "reaction_id")
);

ALTER TABLE "channels" ADD CONSTRAINT "channels_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users"("id");

ALTER TABLE "user_channels" ADD CONSTRAINT "user_channels_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id");

ALTER TABLE "user_channels" ADD CONSTRAINT "user_channels_channel_id_fkey" FOREIGN KEY ("channel_id") REFERENCES "channels"("id");

ALTER TABLE "messages" ADD CONSTRAINT "messages_channel_id_fkey" FOREIGN KEY ("channel_id") REFERENCES "channels"("id");

ALTER TABLE "messages" ADD CONSTRAINT "messages_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id");

ALTER TABLE "messages" ADD CONSTRAINT "messages_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "messages"("id");

ALTER TABLE "message_reactions" ADD CONSTRAINT "message_reactions_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "messages"("id");

ALTER TABLE "message_reactions" ADD CONSTRAINT "message_reactions_reaction_id_fkey" FOREIGN KEY ("reaction_id") REFERENCES "reactions"("id");

ALTER TABLE "message_reactions" ADD CONSTRAINT "message_reactions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id");

CREATE INDEX "channels_owner_id_idx" ON "channels" ("owner_id");

CREATE INDEX "user_channels_channel_id_idx" ON "user_channels" ("channel_id");

CREATE INDEX "messages_channel_id_idx" ON "messages" ("channel_id");

CREATE INDEX "messages_user_id_idx" ON "messages" ("user_id");

CREATE INDEX "messages_parent_id_idx" ON "messages" ("parent_id");

CREATE INDEX "message_reactions_reaction_id_idx" ON "message_reactions" ("reaction_id");

CREATE INDEX "message_reactions_user_id_idx" ON "message_reactions" ("user_id");

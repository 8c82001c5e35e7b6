import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    this.schema.raw('CREATE EXTENSION IF NOT EXISTS pg_trgm')

    // A customer-facing channel (a Telegram bot, a WhatsApp number, the API channel).
    this.schema.createTable('channels', (table) => {
      table.increments('id')
      table.integer('team_id').notNullable().references('teams.id').onDelete('RESTRICT')
      table.string('platform', 32).notNullable()
      table.string('name', 100).notNullable()
      // Encrypted JSON (APP_KEY): tokens and secrets never sit in plain text.
      table.text('config_encrypted').notNullable()
      table.boolean('enabled').notNullable().defaultTo(true)
      table.string('status', 32).notNullable().defaultTo('stopped')
      table.text('status_detail').nullable()
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.index(['team_id'])
    })

    // An operators' workspace (a Slack channel, a Telegram forum group).
    this.schema.createTable('operator_workspaces', (table) => {
      table.increments('id')
      table.integer('team_id').notNullable().references('teams.id').onDelete('RESTRICT')
      table.string('platform', 32).notNullable()
      table.string('name', 100).notNullable()
      table.text('config_encrypted').notNullable()
      table.boolean('enabled').notNullable().defaultTo(true)
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.index(['team_id'])
    })

    this.schema.createTable('contacts', (table) => {
      table.increments('id')
      table.integer('team_id').notNullable().references('teams.id').onDelete('CASCADE')
      table.string('name', 200).nullable()
      table.string('email', 254).nullable()
      table.string('phone', 40).nullable()
      table.string('locale', 16).nullable()
      table.jsonb('attributes').notNullable().defaultTo('{}')
      // Set when a platform says the person can no longer be reached (blocked the bot).
      table.timestamp('unreachable_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.index(['team_id', 'id'])
    })
    this.schema.raw('CREATE INDEX contacts_name_trgm ON contacts USING gin (name gin_trgm_ops)')

    /*
    | One platform user is one contact per team. DESIGN.md sketches UNIQUE
    | (platform, external id); scoping it by team lets two companies on one
    | install serve the same person without sharing the record.
    */
    this.schema.createTable('contact_identities', (table) => {
      table.increments('id')
      table.integer('team_id').notNullable().references('teams.id').onDelete('CASCADE')
      table.integer('contact_id').notNullable().references('contacts.id').onDelete('CASCADE')
      table.string('platform', 32).notNullable()
      table.string('external_id', 255).notNullable()
      table.string('username', 200).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.unique(['team_id', 'platform', 'external_id'])
      table.index(['contact_id'])
    })

    this.schema.createTable('conversations', (table) => {
      table.increments('id')
      table.integer('team_id').notNullable().references('teams.id').onDelete('CASCADE')
      table.integer('channel_id').nullable().references('channels.id').onDelete('SET NULL')
      table.integer('contact_id').notNullable().references('contacts.id').onDelete('CASCADE')
      table.string('subject', 300).nullable()
      table
        .enum('status', ['open', 'pending', 'snoozed', 'resolved'], {
          useNative: true,
          enumName: 'conversation_status',
        })
        .notNullable()
        .defaultTo('open')
      // Who speaks (DESIGN.md "Ownership").
      table
        .enum('owner', ['bot', 'queued', 'human'], {
          useNative: true,
          enumName: 'conversation_owner',
        })
        .notNullable()
        .defaultTo('bot')
      table.integer('assignee_id').nullable().references('users.id').onDelete('SET NULL')
      table
        .enum('priority', ['low', 'normal', 'high', 'urgent'], {
          useNative: true,
          enumName: 'conversation_priority',
        })
        .notNullable()
        .defaultTo('normal')
      table.specificType('tags', 'text[]').notNullable().defaultTo('{}')
      table.text('handoff_reason').nullable()
      table.timestamp('snoozed_until', { useTz: true }).nullable()
      table.timestamp('resolved_at', { useTz: true }).nullable()
      table.timestamp('last_message_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.timestamp('last_customer_message_at', { useTz: true }).nullable()
      table.timestamp('last_operator_message_at', { useTz: true }).nullable()
      table.integer('message_count').notNullable().defaultTo(0)
      // Words of the contact's name and of every message, kept by the triggers below.
      table
        .specificType('search_vector', 'tsvector')
        .notNullable()
        .defaultTo(this.raw("''::tsvector"))
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(this.now())
    })
    // Lists page through a team's conversations newest-activity first; filters narrow it.
    this.schema.raw(
      'CREATE INDEX conversations_team_activity ON conversations (team_id, last_message_at DESC, id DESC)'
    )
    this.schema.raw(
      'CREATE INDEX conversations_team_status_activity ON conversations (team_id, status, last_message_at DESC, id DESC)'
    )
    this.schema.raw(
      'CREATE INDEX conversations_activity ON conversations (last_message_at DESC, id DESC)'
    )
    this.schema.raw(
      'CREATE INDEX conversations_assignee ON conversations (assignee_id, last_message_at DESC, id DESC) WHERE assignee_id IS NOT NULL'
    )
    this.schema.raw(
      'CREATE INDEX conversations_unassigned ON conversations (status, last_message_at DESC, id DESC) WHERE assignee_id IS NULL'
    )
    this.schema.raw(
      'CREATE INDEX conversations_owner ON conversations (owner, last_message_at DESC, id DESC)'
    )
    // Lets a status filter count and page without scanning, search included.
    this.schema.raw(
      'CREATE INDEX conversations_status ON conversations (status, last_message_at DESC, id DESC)'
    )
    this.schema.raw('CREATE INDEX conversations_created ON conversations (created_at, id)')
    this.schema.raw(
      'CREATE INDEX conversations_team_created ON conversations (team_id, created_at, id)'
    )
    this.schema.raw('CREATE INDEX conversations_search ON conversations USING gin (search_vector)')
    this.schema.raw(
      'CREATE INDEX conversations_channel ON conversations (channel_id, last_message_at DESC)'
    )
    this.schema.raw('CREATE INDEX conversations_contact ON conversations (contact_id)')
    this.schema.raw('CREATE INDEX conversations_tags ON conversations USING gin (tags)')
    // At most one unresolved conversation per contact and channel: ingest reuses it.
    this.schema.raw(
      "CREATE UNIQUE INDEX conversations_one_open ON conversations (channel_id, contact_id) WHERE status <> 'resolved' AND channel_id IS NOT NULL"
    )

    this.schema.createTable('messages', (table) => {
      table.bigIncrements('id')
      table
        .integer('conversation_id')
        .notNullable()
        .references('conversations.id')
        .onDelete('CASCADE')
      table.integer('channel_id').nullable().references('channels.id').onDelete('SET NULL')
      table
        .enum('direction', ['inbound', 'outbound', 'internal'], {
          useNative: true,
          enumName: 'message_direction',
        })
        .notNullable()
      table
        .enum('author_kind', ['contact', 'bot', 'operator', 'system'], {
          useNative: true,
          enumName: 'message_author_kind',
        })
        .notNullable()
      table.integer('author_user_id').nullable().references('users.id').onDelete('SET NULL')
      // text, image, document, audio, voice, video, sticker, location, contact, note, event
      table.string('kind', 32).notNullable().defaultTo('text')
      table.text('body').nullable()
      table.jsonb('attachments').notNullable().defaultTo('[]')
      table.jsonb('metadata').notNullable().defaultTo('{}')
      // The platform's id for this message; unique per channel so a redelivery is a no-op.
      table.string('external_id', 255).nullable()
      table.bigInteger('reply_to_id').nullable().references('messages.id').onDelete('SET NULL')
      table
        .enum('delivery_status', ['received', 'pending', 'sent', 'failed'], {
          useNative: true,
          enumName: 'message_delivery_status',
        })
        .nullable()
      table.text('failure_reason').nullable()
      table.integer('attempts').notNullable().defaultTo(0)
      table.timestamp('edited_at', { useTz: true }).nullable()
      table.timestamp('deleted_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(this.now())
    })
    this.schema.raw('CREATE INDEX messages_conversation ON messages (conversation_id, id)')
    this.schema.raw(
      'CREATE UNIQUE INDEX messages_external_unique ON messages (channel_id, external_id) WHERE external_id IS NOT NULL'
    )
    this.schema.raw(
      "CREATE INDEX messages_failed ON messages (id) WHERE delivery_status = 'failed'"
    )

    /*
    | Search. A conversation's search_vector holds the words of its contact's
    | name and of its messages (positions stripped: search needs membership,
    | not ranking). A message appends its words when written; renaming a
    | contact rebuilds the documents of its conversations.
    */
    this.schema.raw(`
      CREATE FUNCTION conversation_search_document(conv_id integer) RETURNS tsvector
      LANGUAGE sql STABLE AS $$
        SELECT strip(to_tsvector('simple', coalesce(ct.name, '')))
          || coalesce((SELECT strip(to_tsvector('simple', string_agg(m.body, ' ')))
                       FROM messages m WHERE m.conversation_id = c.id AND m.body IS NOT NULL), ''::tsvector)
        FROM conversations c JOIN contacts ct ON ct.id = c.contact_id
        WHERE c.id = conv_id
      $$`)
    this.schema.raw(`
      CREATE FUNCTION conversations_search_init() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        NEW.search_vector := strip(to_tsvector('simple',
          coalesce((SELECT name FROM contacts WHERE id = NEW.contact_id), '')));
        RETURN NEW;
      END $$`)
    this.schema.raw(`
      CREATE TRIGGER conversations_search_init BEFORE INSERT ON conversations
      FOR EACH ROW EXECUTE FUNCTION conversations_search_init()`)
    // Bounded, so that no message ever fails to be stored because its conversation is huge.
    this.schema.raw(`
      CREATE FUNCTION messages_search_append() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.body IS NOT NULL AND NEW.body <> '' THEN
          UPDATE conversations
          SET search_vector = search_vector || strip(to_tsvector('simple', NEW.body))
          WHERE id = NEW.conversation_id AND pg_column_size(search_vector) < 512000;
        END IF;
        RETURN NULL;
      END $$`)
    this.schema.raw(`
      CREATE TRIGGER messages_search_append AFTER INSERT OR UPDATE OF body ON messages
      FOR EACH ROW EXECUTE FUNCTION messages_search_append()`)
    this.schema.raw(`
      CREATE FUNCTION contacts_search_rename() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE conversations SET search_vector = conversation_search_document(id)
        WHERE contact_id = NEW.id;
        RETURN NULL;
      END $$`)
    this.schema.raw(`
      CREATE TRIGGER contacts_search_rename AFTER UPDATE OF name ON contacts
      FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
      EXECUTE FUNCTION contacts_search_rename()`)

    // The inbound ledger: one row per platform event, whatever it carried.
    this.schema.createTable('inbound_events', (table) => {
      table.bigIncrements('id')
      table.string('source_type', 16).notNullable() // channel | workspace
      table.integer('source_id').notNullable()
      table.string('external_id', 255).notNullable()
      table.string('kind', 64).notNullable()
      table.jsonb('payload').notNullable()
      table.timestamp('received_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.timestamp('processed_at', { useTz: true }).nullable()
      table.unique(['source_type', 'source_id', 'external_id'])
      table.index(['received_at'])
    })

    this.schema.createTable('operator_threads', (table) => {
      table.increments('id')
      table
        .integer('conversation_id')
        .notNullable()
        .references('conversations.id')
        .onDelete('CASCADE')
      table
        .integer('workspace_id')
        .notNullable()
        .references('operator_workspaces.id')
        .onDelete('CASCADE')
      table.string('external_thread_id', 255).notNullable()
      table.string('card_external_id', 255).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.unique(['conversation_id', 'workspace_id'])
      table.unique(['workspace_id', 'external_thread_id'])
    })

    // The catalogue of a team's tags; conversations carry the names in conversations.tags.
    this.schema.createTable('tags', (table) => {
      table.increments('id')
      table.integer('team_id').notNullable().references('teams.id').onDelete('CASCADE')
      table.string('name', 50).notNullable()
      table.string('color', 16).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.unique(['team_id', 'name'])
    })

    this.schema.createTable('audit_logs', (table) => {
      table.bigIncrements('id')
      table.integer('actor_id').nullable().references('users.id').onDelete('SET NULL')
      table.string('action', 64).notNullable()
      table.string('subject_type', 32).nullable()
      table.string('subject_id', 64).nullable()
      table.string('ip', 64).nullable()
      table.string('user_agent', 400).nullable()
      table.jsonb('data').notNullable().defaultTo('{}')
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
    })
    this.schema.raw('CREATE INDEX audit_logs_created ON audit_logs (created_at DESC, id DESC)')
    this.schema.raw('CREATE INDEX audit_logs_action ON audit_logs (action, created_at DESC)')
    this.schema.raw('CREATE INDEX audit_logs_actor ON audit_logs (actor_id, created_at DESC)')

    this.schema.createTable('usage_events', (table) => {
      table.bigIncrements('id')
      table.integer('team_id').nullable().references('teams.id').onDelete('SET NULL')
      table
        .integer('conversation_id')
        .nullable()
        .references('conversations.id')
        .onDelete('SET NULL')
      table.string('kind', 64).notNullable()
      table.bigInteger('quantity').notNullable().defaultTo(1)
      table.jsonb('data').notNullable().defaultTo('{}')
      table.timestamp('occurred_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.index(['team_id', 'occurred_at'])
    })
  }

  async down() {
    this.schema.raw('DROP FUNCTION IF EXISTS contacts_search_rename() CASCADE')
    this.schema.raw('DROP FUNCTION IF EXISTS messages_search_append() CASCADE')
    this.schema.raw('DROP FUNCTION IF EXISTS conversations_search_init() CASCADE')
    for (const t of [
      'usage_events',
      'audit_logs',
      'tags',
      'operator_threads',
      'inbound_events',
      'messages',
      'conversations',
      'contact_identities',
      'contacts',
      'operator_workspaces',
      'channels',
    ]) {
      this.schema.dropTableIfExists(t)
    }
    for (const type of [
      'message_delivery_status',
      'message_author_kind',
      'message_direction',
      'conversation_priority',
      'conversation_owner',
      'conversation_status',
    ]) {
      this.schema.raw(`DROP TYPE IF EXISTS ${type}`)
    }
    this.schema.raw('DROP FUNCTION IF EXISTS conversation_search_document(integer)')
  }
}

import { BaseSchema } from '@adonisjs/lucid/schema'

/*
| Automation: a team's rules, the log that explains each evaluation, and
| the rows that make time durable (waits of `delay` actions, schedule
| ticks, cooldowns). Status changes, hand-offs and contact tags become
| rule events through triggers, so every path that changes them (API,
| operator command, timer, rule) is seen, in the transaction that changed
| them; `switchboard.rule_chain` carries which rules caused the change.
*/
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('teams', (table) => {
      // Bumped by every change to the team's rules: engines cache by it.
      table.integer('rules_version').notNullable().defaultTo(0)
      // Set once the built-in rules were written; deleting one keeps it deleted.
      table.timestamp('rules_seeded_at', { useTz: true }).nullable()
      // Signs the team's rule webhooks (Standard Webhooks), encrypted with APP_KEY.
      table.text('rules_secret_encrypted').nullable()
    })
    this.schema.alterTable('contacts', (table) => {
      table.specificType('tags', 'text[]').notNullable().defaultTo('{}')
    })

    this.schema.createTable('rules', (table) => {
      table.increments('id')
      table.integer('team_id').notNullable().references('teams.id').onDelete('CASCADE')
      table.string('name', 200).notNullable()
      table.boolean('enabled').notNullable().defaultTo(true)
      // Lower runs first.
      table.integer('priority').notNullable().defaultTo(100)
      table.jsonb('trigger').notNullable()
      table.jsonb('conditions').notNullable().defaultTo('{"all": []}')
      table.jsonb('actions').notNullable().defaultTo('[]')
      table.boolean('stop_processing').notNullable().defaultTo(false)
      table.integer('cooldown_seconds').notNullable().defaultTo(0)
      // Which built-in behaviour this rule is (welcome, assistant, ...); null for the team's own.
      table.string('builtin', 40).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.unique(['team_id', 'builtin'])
      table.index(['team_id', 'priority', 'id'])
    })
    this.schema.raw(`
      CREATE FUNCTION rules_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE teams SET rules_version = rules_version + 1
          WHERE id = COALESCE(NEW.team_id, OLD.team_id);
        IF TG_OP = 'UPDATE' AND NEW.team_id <> OLD.team_id THEN
          UPDATE teams SET rules_version = rules_version + 1 WHERE id = OLD.team_id;
        END IF;
        RETURN NULL;
      END $$`)
    this.schema.raw(`
      CREATE TRIGGER rules_version AFTER INSERT OR UPDATE OR DELETE ON rules
        FOR EACH ROW EXECUTE FUNCTION rules_bump_version()`)

    this.schema.createTable('rule_executions', (table) => {
      table.bigIncrements('id')
      table.integer('rule_id').notNullable().references('rules.id').onDelete('CASCADE')
      table.integer('team_id').notNullable().references('teams.id').onDelete('CASCADE')
      table
        .integer('conversation_id')
        .nullable()
        .references('conversations.id')
        .onDelete('SET NULL')
      // The event this evaluation answered; a job run twice finds its row and does nothing.
      table.string('event_key', 200).notNullable()
      table.jsonb('event').notNullable()
      // fired | cooldown | loop_prevented | waiting | failed (misses go to rule_evaluations)
      table.string('outcome', 24).notNullable()
      table.text('reason').nullable()
      table.jsonb('conditions').notNullable().defaultTo('[]')
      table.jsonb('actions').notNullable().defaultTo('[]')
      table.float('duration_ms').notNullable().defaultTo(0)
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
      // Event first: a job run again finds what it already did for its event in one probe.
      table.unique(['event_key', 'rule_id'])
      table.index(['rule_id', 'id'])
      table.index(['created_at'])
    })

    /*
    | Evaluations whose conditions did not hold, one row per event: a team
    | with a thousand rules answers "why didn't it fire?" for each of them
    | without a thousand rows per message. `facts` holds what the failing
    | conditions saw (once per field), `misses` the conditions each rule
    | reached: {"<ruleId>": [["all.0", true], ["all.1", false]]}.
    */
    this.schema.createTable('rule_evaluations', (table) => {
      table.bigIncrements('id')
      table.integer('team_id').notNullable().references('teams.id').onDelete('CASCADE')
      table
        .integer('conversation_id')
        .nullable()
        .references('conversations.id')
        .onDelete('SET NULL')
      table.string('event_key', 200).notNullable()
      table.string('event_type', 40).notNullable()
      table.jsonb('event').notNullable()
      table.specificType('rule_ids', 'integer[]').notNullable()
      table.jsonb('facts').notNullable()
      // JSON text, parsed only when someone reads the log: written on every event, read rarely.
      table.text('misses').notNullable()
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.unique(['team_id', 'event_key'])
      table.index(['team_id', 'event_type', 'id'])
      table.index(['created_at'])
    })

    this.schema.createTable('rule_cooldowns', (table) => {
      table.integer('rule_id').notNullable().references('rules.id').onDelete('CASCADE')
      table
        .integer('conversation_id')
        .notNullable()
        .references('conversations.id')
        .onDelete('CASCADE')
      table.timestamp('fired_at', { useTz: true }).notNullable()
      table.primary(['rule_id', 'conversation_id'])
    })

    // Round-robin assignment remembers whom each rule picked last.
    this.schema.createTable('rule_assignments', (table) => {
      table.integer('rule_id').primary().references('rules.id').onDelete('CASCADE')
      table.integer('last_user_id').nullable()
    })

    this.schema.createTable('rule_events', (table) => {
      table.bigIncrements('id')
      table.integer('team_id').notNullable().references('teams.id').onDelete('CASCADE')
      table.integer('conversation_id').nullable().references('conversations.id').onDelete('CASCADE')
      table.string('type', 40).notNullable()
      table.jsonb('data').notNullable().defaultTo('{}')
      // The rules whose actions caused this event, oldest first (loop protection).
      table.specificType('chain', 'integer[]').notNullable().defaultTo('{}')
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.timestamp('processed_at', { useTz: true }).nullable()
    })
    this.schema.raw(
      'CREATE INDEX rule_events_pending ON rule_events (id) WHERE processed_at IS NULL'
    )

    this.schema.createTable('rule_waits', (table) => {
      table.bigIncrements('id')
      table.integer('rule_id').notNullable().references('rules.id').onDelete('CASCADE')
      table.integer('team_id').notNullable().references('teams.id').onDelete('CASCADE')
      table.integer('conversation_id').nullable().references('conversations.id').onDelete('CASCADE')
      table.jsonb('event').notNullable()
      // The action to run first when the wait is over.
      table.integer('next_action').notNullable()
      table.specificType('chain', 'integer[]').notNullable().defaultTo('{}')
      table.timestamp('due_at', { useTz: true }).notNullable()
      // pending | done | cancelled
      table.string('status', 16).notNullable().defaultTo('pending')
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
    })
    this.schema.raw("CREATE INDEX rule_waits_due ON rule_waits (due_at) WHERE status = 'pending'")

    // One row per schedule tick that fired: two schedulers cannot fire it twice.
    this.schema.createTable('rule_schedule_ticks', (table) => {
      table.integer('rule_id').notNullable().references('rules.id').onDelete('CASCADE')
      table.timestamp('tick_at', { useTz: true }).notNullable()
      table.primary(['rule_id', 'tick_at'])
    })

    // The daily rollup of usage_events: one row per team, day and kind, rewritten until the day ends.
    this.schema.createTable('usage_daily', (table) => {
      table.integer('team_id').notNullable().references('teams.id').onDelete('CASCADE')
      table.date('day').notNullable()
      table.string('kind', 64).notNullable()
      table.bigInteger('events').notNullable()
      table.bigInteger('quantity').notNullable()
      table.bigInteger('prompt_tokens').notNullable().defaultTo(0)
      table.bigInteger('completion_tokens').notNullable().defaultTo(0)
      table.primary(['team_id', 'day', 'kind'])
    })

    this.schema.raw(`
      CREATE FUNCTION rule_chain() RETURNS integer[] LANGUAGE sql STABLE AS $$
        SELECT COALESCE(NULLIF(current_setting('switchboard.rule_chain', true), ''), '{}')::integer[]
      $$`)
    // Only events some enabled rule of the team listens for are written: most changes cost nothing.
    this.schema.raw(`
      CREATE FUNCTION team_listens(team integer, event_type text) RETURNS boolean LANGUAGE sql STABLE AS $$
        SELECT EXISTS (SELECT 1 FROM rules WHERE team_id = team AND enabled AND trigger->>'type' = event_type)
      $$`)
    this.schema.raw(`
      CREATE FUNCTION conversations_rule_events() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.status IS DISTINCT FROM OLD.status
           AND team_listens(NEW.team_id, 'conversation.status_changed') THEN
          INSERT INTO rule_events (team_id, conversation_id, type, data, chain)
          VALUES (NEW.team_id, NEW.id, 'conversation.status_changed',
                  jsonb_build_object('from', OLD.status, 'to', NEW.status), rule_chain());
          PERFORM pg_notify('rule_events', '');
        END IF;
        IF NEW.owner = 'queued' AND OLD.owner = 'bot' AND team_listens(NEW.team_id, 'escalation') THEN
          INSERT INTO rule_events (team_id, conversation_id, type, data, chain)
          VALUES (NEW.team_id, NEW.id, 'escalation', jsonb_build_object(
                  'source', COALESCE(NULLIF(current_setting('switchboard.handoff_source', true), ''), 'rule'),
                  'reason', NEW.handoff_reason), rule_chain());
          PERFORM pg_notify('rule_events', '');
        END IF;
        RETURN NULL;
      END $$`)
    this.schema.raw(`
      CREATE TRIGGER conversations_rule_events AFTER UPDATE OF status, owner ON conversations
        FOR EACH ROW EXECUTE FUNCTION conversations_rule_events()`)
    this.schema.raw(`
      CREATE FUNCTION contacts_rule_events() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        added text;
        latest integer;
      BEGIN
        IF NOT team_listens(NEW.team_id, 'contact.status') THEN
          RETURN NULL;
        END IF;
        SELECT id INTO latest FROM conversations WHERE contact_id = NEW.id
          ORDER BY last_message_at DESC, id DESC LIMIT 1;
        FOR added IN SELECT unnest(NEW.tags) EXCEPT SELECT unnest(OLD.tags) LOOP
          INSERT INTO rule_events (team_id, conversation_id, type, data, chain)
          VALUES (NEW.team_id, latest, 'contact.status',
                  jsonb_build_object('status', 'tagged', 'tag', added, 'contactId', NEW.id), rule_chain());
          PERFORM pg_notify('rule_events', '');
        END LOOP;
        RETURN NULL;
      END $$`)
    this.schema.raw(`
      CREATE TRIGGER contacts_rule_events AFTER UPDATE OF tags ON contacts
        FOR EACH ROW EXECUTE FUNCTION contacts_rule_events()`)
  }

  async down() {
    this.schema.raw('DROP TRIGGER IF EXISTS contacts_rule_events ON contacts')
    this.schema.raw('DROP FUNCTION IF EXISTS contacts_rule_events()')
    this.schema.raw('DROP TRIGGER IF EXISTS conversations_rule_events ON conversations')
    this.schema.raw('DROP FUNCTION IF EXISTS conversations_rule_events()')
    this.schema.raw('DROP FUNCTION IF EXISTS rule_chain()')
    this.schema.raw('DROP FUNCTION IF EXISTS team_listens(integer, text)')
    this.schema.dropTable('usage_daily')
    this.schema.dropTable('rule_schedule_ticks')
    this.schema.dropTable('rule_waits')
    this.schema.dropTable('rule_events')
    this.schema.dropTable('rule_assignments')
    this.schema.dropTable('rule_cooldowns')
    this.schema.dropTable('rule_evaluations')
    this.schema.dropTable('rule_executions')
    this.schema.raw('DROP TRIGGER IF EXISTS rules_version ON rules')
    this.schema.dropTable('rules')
    this.schema.raw('DROP FUNCTION IF EXISTS rules_bump_version()')
    this.schema.alterTable('contacts', (table) => table.dropColumn('tags'))
    this.schema.alterTable('teams', (table) => {
      table.dropColumn('rules_version')
      table.dropColumn('rules_seeded_at')
      table.dropColumn('rules_secret_encrypted')
    })
  }
}

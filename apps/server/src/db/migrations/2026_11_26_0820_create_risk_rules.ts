import type { Kysely } from 'kysely'
import { idColumn, idType, jsonType } from './helpers.ts'

/**
 * Safe routing: risk rules with the tickets each one matched, a log of queue assignments (for
 * round-robin), VIP contacts and organization tiers, and the indexes the risk checks and the rotation
 * queue read on every message. Default rules are seeded so a fresh install flags risky tickets.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('risk_rules')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('config', jsonType(db), (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('risk_rule_matches')
    .addColumn('rule_id', 'integer', (c) => c.notNull().references('risk_rules.id').onDelete('cascade'))
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('matched_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('risk_rule_matches_pk', ['rule_id', 'ticket_id'])
    .execute()
  await db.schema.createIndex('risk_rule_matches_by_rule').on('risk_rule_matches').columns(['rule_id', 'matched_at', 'ticket_id']).execute()
  await db.schema.createIndex('risk_rule_matches_by_ticket').on('risk_rule_matches').columns(['ticket_id']).execute()

  await db.schema
    .createTable('queue_assignments')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('assigned_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('queue_assignments_by_user').on('queue_assignments').columns(['user_id', 'assigned_at']).execute()

  await db.schema
    .alterTable('contacts')
    .addColumn('vip', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema.alterTable('organizations').addColumn('tier', 'text').execute()

  // Repeat-contact counts per requester in a time window, and the queue's oldest-first scan of unassigned tickets.
  await db.schema.createIndex('messages_by_author_contact').on('messages').columns(['author_contact_id', 'created_at']).execute()
  await db.schema.createIndex('tickets_requester_created').on('tickets').columns(['requester_id', 'created_at']).execute()
  await db.schema.createIndex('tickets_queue').on('tickets').columns(['assignee_id', 'status', 'created_at', 'id']).execute()

  const t = Date.now()
  const rules: { name: string; type: string; level: string; config: Record<string, unknown> }[] = [
    {
      name: 'Legal, security and chargebacks',
      type: 'keywords',
      level: 'high',
      config: {
        words: ['legal', 'lawyer', 'attorney', 'lawsuit', 'GDPR', 'data protection', 'security', 'hacked', 'breach', 'fraud', 'chargeback'],
      },
    },
    {
      name: 'Money and outages',
      type: 'keywords',
      level: 'medium',
      config: { words: ['billing', 'invoice', 'refund', 'overcharged', 'double charged', 'cancel my subscription', 'outage'] },
    },
    { name: 'VIP customers', type: 'vip', level: 'medium', config: { tiers: ['enterprise', 'vip'] } },
    {
      name: 'Angry or frustrated',
      type: 'anger',
      level: 'medium',
      config: {
        words: [
          'angry',
          'furious',
          'outraged',
          'unacceptable',
          'ridiculous',
          'disgusting',
          'terrible',
          'worst',
          'useless',
          'pathetic',
          'scam',
          'fed up',
          'sick of',
          'last time',
          'never again',
          'complaint',
          'incompetent',
        ],
        capsRatio: 0.6,
        punctuationRun: 3,
        minSignals: 1,
      },
    },
    { name: 'Writes again and again', type: 'repeat_contact', level: 'medium', config: { tickets: 3, messages: 5, hours: 24 } },
    { name: 'No first response in 24 hours', type: 'sla_breach', level: 'medium', config: { hours: 24 } },
    { name: 'Urgent priority', type: 'priority', level: 'high', config: { priorities: ['urgent'] } },
    { name: 'High priority', type: 'priority', level: 'medium', config: { priorities: ['high'] } },
    { name: 'Not in English', type: 'language', level: 'medium', config: { defaultLanguage: 'en' } },
  ]
  await db
    .insertInto('risk_rules')
    .values(
      rules.map((r, i) => ({
        name: r.name,
        type: r.type,
        level: r.level,
        enabled: 1,
        position: i + 1,
        config: JSON.stringify(r.config),
        created_at: t,
        updated_at: t,
      })),
    )
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const i of ['tickets_queue', 'tickets_requester_created', 'messages_by_author_contact']) await db.schema.dropIndex(i).execute()
  await db.schema.alterTable('organizations').dropColumn('tier').execute()
  await db.schema.alterTable('contacts').dropColumn('vip').execute()
  for (const t of ['queue_assignments', 'risk_rule_matches', 'risk_rules']) await db.schema.dropTable(t).execute()
}

import type { Kysely } from 'kysely'

/** Where a run happened: `help_center`, `widget` (the chat widget) or `agent` (scripts and test runs), for analytics. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('decision_tree_runs')
    .addColumn('channel', 'text', (c) => c.notNull().defaultTo('help_center'))
    .execute()
  await db.updateTable('decision_tree_runs').set({ channel: 'agent' }).where('token', 'is', null).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('decision_tree_runs').dropColumn('channel').execute()
}

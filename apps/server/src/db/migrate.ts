import { type Kysely, type Migration, Migrator } from 'kysely'
import * as m0600 from './migrations/2026_11_26_0600_create_people.ts'
import * as m0610 from './migrations/2026_11_26_0610_create_contacts_and_inboxes.ts'
import * as m0620 from './migrations/2026_11_26_0620_create_tickets.ts'
import * as m0630 from './migrations/2026_11_26_0630_create_views_notifications_fields.ts'
import * as m0640 from './migrations/2026_11_26_0640_create_search_index.ts'
import * as m0700 from './migrations/2026_11_26_0700_create_jobs.ts'
import * as m0710 from './migrations/2026_11_26_0710_create_email_channel.ts'
import * as m0720 from './migrations/2026_11_26_0720_create_imap_state.ts'
import * as m0730 from './migrations/2026_11_26_0730_index_contact_identities_by_contact.ts'
import * as m0740 from './migrations/2026_11_26_0740_prefix_index_ticket_search.ts'
import * as m0800 from './migrations/2026_11_26_0800_create_participation.ts'
// issue 5 migration imports
import * as m0810 from './migrations/2026_11_26_0810_create_rotations.ts'
import * as m0820 from './migrations/2026_11_26_0820_create_risk_rules.ts'
import * as m0860 from './migrations/2026_11_26_0860_create_courses.ts'
import * as m0840 from './migrations/2026_11_26_0840_create_consults.ts'
import * as m0830 from './migrations/2026_11_26_0830_create_review_policies.ts'
import * as m0850 from './migrations/2026_11_26_0850_create_ride_alongs.ts'
// issue 6 surveys migration imports
import * as m0910 from './migrations/2026_11_26_0910_create_csat_requests.ts'
import * as m0915 from './migrations/2026_11_26_0915_create_surveys.ts'
// issue 6 reports migration imports
import * as m0900 from './migrations/2026_11_26_0900_create_report_queue.ts'
import * as m0904 from './migrations/2026_11_26_0904_add_message_author_snapshot.ts'
import * as m0901 from './migrations/2026_11_26_0901_create_report_facts.ts'
import * as m0902 from './migrations/2026_11_26_0902_create_report_rollups.ts'
import * as m0903 from './migrations/2026_11_26_0903_index_reply_reviews_by_message.ts'
// issue 6 voc migration imports
import * as m0930 from './migrations/2026_11_26_0930_create_voc_items.ts'
import * as m0931 from './migrations/2026_11_26_0931_create_voc_suggestions.ts'
import * as m0932 from './migrations/2026_11_26_0932_create_voc_notifications.ts'
// issue 10 macros migration imports
import * as m1100 from './migrations/2026_11_26_1100_create_macros.ts'
// issue 7 chat migration imports
import * as m1000 from './migrations/2026_11_26_1000_create_chat.ts'
// issue 8 background jobs migration imports
import * as m1200 from './migrations/2026_11_26_1200_index_dead_jobs.ts'
// issue 8 leases migration imports
import * as m1210 from './migrations/2026_11_26_1210_create_leases.ts'
import * as m1410 from './migrations/2026_11_26_1410_index_unassigned_tickets.ts'
// issue 10 webhooks migration imports
import * as m1300 from './migrations/2026_11_26_1300_create_webhooks.ts'
// issue 10 security migration imports
// issue 10 automations migration imports
import * as m1500 from './migrations/2026_11_26_1500_create_automations.ts'
// issue 10 sla migration imports
import * as m1510 from './migrations/2026_11_26_1510_create_sla.ts'
// issue 10 notifications migration imports
import * as m1520 from './migrations/2026_11_26_1520_create_notification_preferences.ts'
// issue 10 import migration imports
import * as m1530 from './migrations/2026_11_26_1530_create_imports.ts'
// issue 10 export migration imports
import * as m1540 from './migrations/2026_11_26_1540_add_audit_request_details.ts'
import * as m1541 from './migrations/2026_11_26_1541_make_audit_log_append_only.ts'
import * as m1542 from './migrations/2026_11_26_1542_create_exports.ts'
import * as m1543 from './migrations/2026_11_26_1543_index_erasure_lookups.ts'
import * as m1544 from './migrations/2026_11_26_1544_index_audit_log_text.ts'
// issue 10 sso migration imports
// issue 9 kb migration imports
import * as m2340 from './migrations/2026_11_26_2340_create_kb_article_files.ts'
import * as m1600 from './migrations/2026_11_26_1600_create_knowledge_base.ts'
// issue 9 decision-trees migration imports
import * as m2341 from './migrations/2026_11_26_2341_add_decision_tree_run_channel.ts'
import * as m1700 from './migrations/2026_11_26_1700_create_decision_trees.ts'
import * as m1550 from './migrations/2026_11_26_1550_add_sso_and_token_scopes.ts'
import * as m1400 from './migrations/2026_11_26_1400_add_two_factor_and_session_details.ts'
// issue 9 community migration imports
import * as m0130c from './migrations/2026_11_27_0130_community_review_fixes.ts'
import * as m0400 from './migrations/2026_11_27_0400_inbound_email_recovery.ts'
import * as m0500 from './migrations/2026_11_27_0500_index_unanswered_tickets.ts'
import * as m0600w from './migrations/2026_11_27_0600_windowed_ticket_search.ts'
import * as m1600b from './migrations/2026_11_27_1600_blob_content_in_row.ts'
import * as m0100lz from './migrations/2026_11_28_0100_lz4_for_large_columns.ts'
import * as m0020c from './migrations/2026_11_27_0020_community_search_edits_counts.ts'
import * as m2350 from './migrations/2026_11_26_2350_create_community.ts'

const migrations: Record<string, Migration> = {
  '2026_11_26_0600_create_people': m0600,
  '2026_11_26_0610_create_contacts_and_inboxes': m0610,
  '2026_11_26_0620_create_tickets': m0620,
  '2026_11_26_0630_create_views_notifications_fields': m0630,
  '2026_11_26_0640_create_search_index': m0640,
  '2026_11_26_0700_create_jobs': m0700,
  '2026_11_26_0710_create_email_channel': m0710,
  '2026_11_26_0720_create_imap_state': m0720,
  '2026_11_26_0730_index_contact_identities_by_contact': m0730,
  '2026_11_26_0740_prefix_index_ticket_search': m0740,
  '2026_11_26_0800_create_participation': m0800,
  // issue 5 migrations
  '2026_11_26_0810_create_rotations': m0810,
  '2026_11_26_0820_create_risk_rules': m0820,
  '2026_11_26_0860_create_courses': m0860,
  '2026_11_26_0840_create_consults': m0840,
  '2026_11_26_0830_create_review_policies': m0830,
  '2026_11_26_0850_create_ride_alongs': m0850,
  // issue 6 surveys migrations
  '2026_11_26_0910_create_csat_requests': m0910,
  '2026_11_26_0915_create_surveys': m0915,
  // issue 6 reports migrations
  '2026_11_26_0900_create_report_queue': m0900,
  '2026_11_26_0901_create_report_facts': m0901,
  '2026_11_26_0902_create_report_rollups': m0902,
  '2026_11_26_0903_index_reply_reviews_by_message': m0903,
  '2026_11_26_0904_add_message_author_snapshot': m0904,
  // issue 6 voc migrations
  '2026_11_26_0930_create_voc_items': m0930,
  '2026_11_26_0931_create_voc_suggestions': m0931,
  '2026_11_26_0932_create_voc_notifications': m0932,
  // issue 10 macros migrations
  '2026_11_26_1100_create_macros': m1100,
  // issue 7 chat migrations
  '2026_11_26_1000_create_chat': m1000,
  // issue 8 background jobs migrations
  '2026_11_26_1200_index_dead_jobs': m1200,
  // issue 8 leases migrations
  '2026_11_26_1210_create_leases': m1210,
  '2026_11_26_1410_index_unassigned_tickets': m1410,
  // issue 10 webhooks migrations
  '2026_11_26_1300_create_webhooks': m1300,
  // issue 10 security migrations
  // issue 10 automations migrations
  '2026_11_26_1500_create_automations': m1500,
  // issue 10 sla migrations
  '2026_11_26_1510_create_sla': m1510,
  // issue 10 notifications migrations
  '2026_11_26_1520_create_notification_preferences': m1520,
  // issue 10 import migrations
  '2026_11_26_1530_create_imports': m1530,
  // issue 10 export migrations
  '2026_11_26_1540_add_audit_request_details': m1540,
  '2026_11_26_1541_make_audit_log_append_only': m1541,
  '2026_11_26_1542_create_exports': m1542,
  '2026_11_26_1543_index_erasure_lookups': m1543,
  '2026_11_26_1544_index_audit_log_text': m1544,
  // issue 10 sso migrations
  // issue 9 kb migrations
  '2026_11_26_2340_create_kb_article_files': m2340,
  '2026_11_26_1600_create_knowledge_base': m1600,
  // issue 9 decision-trees migrations
  '2026_11_26_2341_add_decision_tree_run_channel': m2341,
  '2026_11_26_1700_create_decision_trees': m1700,
  // issue 9 community migrations
  '2026_11_27_0130_community_review_fixes': m0130c,
  '2026_11_27_0400_inbound_email_recovery': m0400,
  '2026_11_27_0500_index_unanswered_tickets': m0500,
  '2026_11_27_0600_windowed_ticket_search': m0600w,
  '2026_11_27_1600_blob_content_in_row': m1600b,
  '2026_11_28_0100_lz4_for_large_columns': m0100lz,
  '2026_11_27_0020_community_search_edits_counts': m0020c,
  '2026_11_26_2350_create_community': m2350,
  '2026_11_26_1550_add_sso_and_token_scopes': m1550,
  '2026_11_26_1400_add_two_factor_and_session_details': m1400,
}

/** Brings the schema up to date; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } })
  const { error, results } = await migrator.migrateToLatest()
  const failed = results?.find((r) => r.status === 'Error')
  if (error) throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${error instanceof Error ? error.message : String(error)}`)
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}

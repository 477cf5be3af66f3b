export * from './admin.ts'
export * from './common.ts'
export * from './participation.ts'
export * from './risk.ts'
export * from './consults.ts'
export * from './courses.ts'
export * from './tone.ts'
export * from './rotations.ts'
export * from './ride-alongs.ts'
export * from './reviews.ts'
export * from './people.ts'
export * from './realtime.ts'
export * from './tickets.ts'
// issue 6 surveys contract
export * from './surveys.ts'
// issue 6 reports contract
export * from './reports.ts'
export * from './reports-live.ts'
// issue 6 voc contract
export * from './voc.ts'
// issue 10 macros contract
export * from './macros.ts'
// issue 7 chat contract
export * from './chat.ts'
export * from './chat-widget.ts'
// issue 8 background jobs contract
export * from './background-jobs.ts'
// issue 10 webhooks contract
export * from './webhooks.ts'
// issue 10 security contract
// issue 10 automations contract
export * from './automations.ts'
// issue 10 sla contract
export * from './sla.ts'
// issue 10 notifications contract
export * from './notifications.ts'
// issue 10 import contract
export * from './imports.ts'
// issue 10 export contract
export * from './exports.ts'
// issue 10 sso contract
// issue 9 kb contract
export * from './kb.ts'
// issue 9 decision-trees contract
export * from './decision-trees.ts'
// issue 9 community contract
export * from './community.ts'
export * from './sso.ts'
export * from './security.ts'

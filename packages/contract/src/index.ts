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
// issue 6 reports contract
// issue 6 voc contract

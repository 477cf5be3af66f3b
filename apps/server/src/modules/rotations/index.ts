/** Rotations and tours of duty: programs, shifts, attendance, swaps, reminders and all-hands windows. */
export { generateShiftsJob } from './jobs/generate-shifts.ts'
export { remindShiftJob } from './jobs/remind-shift.ts'
export { ROTATIONS_ROOM } from './rotations.events.ts'
export { rotationsRoutes } from './rotations.routes.ts'
export { seedRotationsDemo } from './rotations.demo.ts'

import { describe, expect, it } from 'vitest'
import { type Facts, matches, requiredStatuses, validateConditions } from './automations.conditions.ts'
import { automationEventsOf } from './automations.listener.ts'

const HOUR = 3_600_000
const facts = (over: Partial<Facts['ticket']> = {}, rest: Partial<Facts> = {}): Facts => ({
  ticket: {
    id: 1,
    status: 'open',
    priority: 'normal',
    inboxId: 1,
    channel: 'email',
    teamId: null,
    assigneeId: null,
    tags: ['billing'],
    subject: 'Refund please',
    custom: { plan: 'Pro' },
    createdAt: 0,
    updatedAt: 10 * HOUR,
    solvedAt: null,
    ...over,
  },
  requester: { name: 'Casey', email: 'casey@Example.com', vip: true },
  organization: { name: 'Example Inc', tier: 'gold' },
  message: { id: 5, body: 'Where is my money?', from: 'casey@example.com', fromCustomer: true, isFirst: true },
  sla: null,
  csat: null,
  now: 50 * HOUR,
  ...rest,
})

describe('automation conditions', () => {
  it('evaluates all/any trees over ticket, requester, organization, message and time fields', () => {
    expect(matches({ all: [] }, facts())).toBe(true)
    expect(matches({ any: [] }, facts())).toBe(false)
    expect(
      matches(
        {
          all: [
            { field: 'ticket.subject', op: 'contains', value: 'REFUND' },
            { field: 'requester.domain', op: 'is', value: 'example.com' },
            { field: 'requester.vip', op: 'is', value: true },
            { field: 'organization.tier', op: 'is', value: 'Gold' },
            { field: 'ticket.tags', op: 'includes', value: ['vip', 'billing'] },
            { field: 'ticket.custom.plan', op: 'is', value: 'pro' },
            { field: 'time.hoursSinceUpdated', op: 'gte', value: 40 },
            {
              any: [
                { field: 'ticket.priority', op: 'in', value: ['high', 'urgent'] },
                { field: 'message.isFirst', op: 'is', value: true },
              ],
            },
          ],
        },
        facts(),
      ),
    ).toBe(true)
    expect(matches({ all: [{ field: 'ticket.assignee', op: 'is_not_set' }] }, facts())).toBe(true)
    expect(matches({ all: [{ field: 'ticket.assignee', op: 'is', value: 3 }] }, facts({ assigneeId: 3 }))).toBe(true)
    expect(matches({ all: [{ field: 'time.hoursSinceSolved', op: 'gte', value: 1 }] }, facts())).toBe(false)
    // Fields the event does not have never match (time rules have no message).
    expect(matches({ all: [{ field: 'message.body', op: 'not_contains', value: 'x' }] }, facts({}, { message: null }))).toBe(false)
  })

  it('names each bad condition by its path', () => {
    const problems = validateConditions(
      {
        all: [
          { field: 'ticket.status', op: 'is', value: 'open' },
          { field: 'ticket.status', op: 'contains', value: 'op' },
          { field: 'ticket.tags', op: 'includes', value: [] },
          {
            any: [
              { field: 'requester.vip', op: 'is', value: 'yes' },
              { field: '__proto__', op: 'is', value: 1 },
            ],
          },
          { field: 'message.body', op: 'contains', value: 'x' },
        ],
      },
      'time',
    )
    expect(problems.map((p) => p.path)).toEqual([
      'conditions.all[1]',
      'conditions.all[2]',
      'conditions.all[3].any[0]',
      'conditions.all[3].any[1]',
      'conditions.all[4]',
    ])
    expect(requiredStatuses({ all: [{ field: 'ticket.status', op: 'in', value: ['pending', 'on_hold'] }] })).toEqual(['pending', 'on_hold'])
    expect(requiredStatuses({ any: [{ field: 'ticket.status', op: 'is', value: 'pending' }] })).toBeNull()
  })

  it('turns a transaction’s domain events into one automation event per ticket and trigger, keeping the origin chain', () => {
    const ticket = { id: 7, teamId: null }
    const wanted = new Set(['ticket.created', 'ticket.updated', 'message.created', 'csat.rated'])
    const created = automationEventsOf(
      [
        { name: 'ticket.created', ticket, payload: {} },
        { name: 'ticket.updated', ticket, payload: {} },
      ],
      wanted,
    )
    expect(created.map((e) => e.trigger)).toEqual(['ticket.created'])
    const updated = automationEventsOf(
      [
        { name: 'ticket.updated', ticket, payload: { automationChain: [3] } },
        { name: 'message.created', ticket, payload: { messageId: 9, automationChain: [4] } },
        { name: 'ticket.updated', ticket, payload: {} },
      ],
      wanted,
    )
    expect(updated.map((e) => [e.trigger, e.messageId, e.chain])).toEqual([
      ['message.created', 9, [3, 4]],
      ['ticket.updated', undefined, [3, 4]],
    ])
  })
})

import type { AppliedMacroDto, CreateMacroInput, MacroDto, MacroList, MacroPlaceholder, MacroPreviewDto, TicketDto, UpdateMacroInput } from '@allhands/contract'
import { useQuery } from '@tanstack/react-query'
import { request } from '../../lib/api.ts'
import { keys, queryClient } from '../../lib/queries.ts'

export const macrosApi = {
  list: (q?: string) => request<MacroList>('GET', '/macros', undefined, { q }),
  get: (id: number) => request<MacroDto>('GET', `/macros/${id}`),
  create: (input: CreateMacroInput) => request<MacroDto>('POST', '/macros', input),
  update: (id: number, input: UpdateMacroInput) => request<MacroDto>('PATCH', `/macros/${id}`, input),
  remove: (id: number) => request<{ ok: boolean }>('DELETE', `/macros/${id}`),
  preview: (id: number, ticketId: number) => request<MacroPreviewDto>('POST', `/macros/${id}/preview`, { ticketId }),
  apply: (ticketId: number, macroId: number) => request<AppliedMacroDto>('POST', `/tickets/${ticketId}/macros/${macroId}/apply`),
}

export const macroKeys = { all: ['macros'] as const }

/** Every macro the signed-in person may use (a workspace has hundreds at most): the picker filters them locally. */
export const macrosQuery = { queryKey: macroKeys.all, queryFn: async () => (await macrosApi.list()).items, staleTime: 30_000 }
export const useMacros = () => useQuery(macrosQuery)

/** Local copy of the contract's placeholder list: importing the value would pull the schema library into the bundle. */
export const PLACEHOLDERS: { key: MacroPlaceholder; label: string }[] = [
  { key: 'ticket.requester.firstName', label: "Requester's first name" },
  { key: 'ticket.requester.name', label: "Requester's name" },
  { key: 'ticket.requester.email', label: "Requester's email" },
  { key: 'ticket.id', label: 'Ticket number' },
  { key: 'ticket.subject', label: 'Ticket subject' },
  { key: 'agent.firstName', label: 'Your first name' },
  { key: 'agent.name', label: 'Your name' },
  { key: 'agent.email', label: 'Your email' },
  { key: 'workspace.name', label: 'Workspace name' },
]

/** Macros whose name has every word of the query (case-insensitive), in the server's order (most used first). */
export function filterMacros(macros: MacroDto[], query: string): MacroDto[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean)
  return macros.filter((m) => words.every((w) => m.name.toLowerCase().includes(w)))
}

/**
 * Applies a macro on the server (its actions change the ticket) and refreshes what it touched. Returns the
 * rendered reply for the composer.
 */
export async function applyMacro(ticketId: number, macroId: number): Promise<AppliedMacroDto> {
  const applied = await macrosApi.apply(ticketId, macroId)
  queryClient.setQueryData<TicketDto>(keys.ticket(ticketId), applied.ticket)
  void queryClient.invalidateQueries({ queryKey: keys.ticket(ticketId) })
  void queryClient.invalidateQueries({ queryKey: keys.messages(ticketId) })
  void queryClient.invalidateQueries({ queryKey: keys.ticketLists })
  void queryClient.invalidateQueries({ queryKey: keys.views })
  void queryClient.invalidateQueries({ queryKey: macroKeys.all })
  return applied
}

const APPLY = 'allhands:macro-apply'

/** Asks the open composer to apply a macro at its cursor (the command palette); false when no composer listens. */
export function requestMacroApply(macro: Pick<MacroDto, 'id' | 'name'>): boolean {
  const event = new CustomEvent(APPLY, { detail: macro, cancelable: true })
  return !window.dispatchEvent(event)
}

export function onMacroApplyRequest(listener: (macro: Pick<MacroDto, 'id' | 'name'>) => void): () => void {
  const handler = (e: Event) => {
    e.preventDefault()
    listener((e as CustomEvent).detail)
  }
  window.addEventListener(APPLY, handler)
  return () => window.removeEventListener(APPLY, handler)
}

import type { DecisionTreeCondition, DecisionTreeDefinition, DecisionTreeNode, DecisionTreeProblem, DecisionTreeStepDto } from '@allhands/contract'
import { escapeHtml, sanitizeRichText } from '../../platform/sanitize.ts'

/**
 * The pure part of decision trees: validation before publishing and what one step looks like. No database here;
 * the service decides which tree a jump lands in and what an ending does.
 */

const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g
export const placeholdersIn = (s: string) => [...s.matchAll(PLACEHOLDER)].map((m) => m[1]!)
export const isTerminal = (n: Pick<DecisionTreeNode, 'type'>) => n.type === 'action' || n.type === 'end' || n.type === 'jump'

/** Where a node leads inside its own tree (jumps leave the tree, endings lead nowhere). */
export function successors(n: DecisionTreeNode): string[] {
  if (n.type === 'question') return (n.choices ?? []).map((c) => c.next)
  if (n.type === 'info' || n.type === 'input') return n.next ? [n.next] : []
  return []
}

/** The stored form of a definition: node texts sanitized, labels trimmed. */
export function sanitizeDefinition(def: DecisionTreeDefinition): DecisionTreeDefinition {
  return {
    startNodeId: def.startNodeId,
    nodes: def.nodes.map((n) => ({
      ...n,
      title: n.title?.trim() || undefined,
      text: n.text.trim() ? sanitizeRichText(n.text) : '',
      choices: n.choices?.map((c) => ({ ...c, label: c.label.trim() })),
    })),
  }
}

const describe = (n: DecisionTreeNode) => `Node “${n.title || n.id}”`

/**
 * Everything that stops a definition from being published, each naming its node: missing or duplicate nodes,
 * links to nodes that do not exist, cycles, questions without an always-offered choice, jumps to trees that are not
 * published, and variables used (in a condition, a text or a ticket subject) before every path has set them.
 */
export function validateDefinition(def: DecisionTreeDefinition, opts: { selfTreeId?: number; publishedTreeIds: ReadonlySet<number> }): DecisionTreeProblem[] {
  const problems: DecisionTreeProblem[] = []
  const byId = new Map<string, DecisionTreeNode>()
  for (const n of def.nodes) {
    if (byId.has(n.id)) problems.push({ nodeId: n.id, message: `Two nodes have the id “${n.id}”` })
    byId.set(n.id, n)
  }
  if (!byId.has(def.startNodeId)) problems.push({ nodeId: null, message: `The start node “${def.startNodeId}” does not exist` })
  for (const n of def.nodes) {
    const at = (message: string) => problems.push({ nodeId: n.id, message: `${describe(n)}: ${message}` })
    if (n.type === 'question') {
      if (!n.choices?.length) at('a question needs at least one choice')
      else if (n.choices.every((c) => c.condition)) at('at least one choice must be offered without a condition')
    }
    if ((n.type === 'info' || n.type === 'input') && !n.next) at('choose the node that comes next')
    if (n.type === 'input' && !n.variable) at('an input field needs a variable name to store the answer')
    for (const target of successors(n)) {
      if (!target) at('a link does not lead anywhere yet')
      else if (!byId.has(target)) at(`links to “${target}”, which does not exist`)
    }
    const variables = [n.variable, ...(n.choices ?? []).map((c) => c.condition?.variable)].filter((v): v is string => v !== undefined)
    for (const v of variables) if (!VARIABLE.test(v)) at(`“${v}” is not a valid variable name (letters, digits and _, not starting with a digit)`)
    if (n.type === 'action') {
      if (!n.action) at('choose what the action does')
      else if (n.action.kind === 'link_article' && !n.action.articleUrl?.trim()) at('give the address of the article to link')
      else if (n.action.kind === 'link_article' && !/^(https?:\/\/|\/help\/)/.test(n.action.articleUrl!.trim()))
        at('the article address must start with http(s):// or /help/')
    }
    if (n.type === 'jump') {
      if (!n.treeId) at('choose the tree to jump to')
      else if (n.treeId === opts.selfTreeId) at('a tree cannot jump to itself')
      else if (!opts.publishedTreeIds.has(n.treeId)) at(`jumps to tree ${n.treeId}, which does not exist or is not published`)
    }
  }
  if (problems.length) return problems

  // Cycles: depth-first search with grey/black marks; the node closing the loop is named.
  const state = new Map<string, 1 | 2>()
  const order: string[] = []
  const visit = (id: string, trail: string[]): boolean => {
    const s = state.get(id)
    if (s === 2) return true
    if (s === 1) {
      const loop = [...trail.slice(trail.indexOf(id)), id]
      problems.push({ nodeId: id, message: `${describe(byId.get(id)!)}: the path ${loop.join(' → ')} loops back on itself` })
      return false
    }
    state.set(id, 1)
    for (const next of successors(byId.get(id)!)) if (!visit(next, [...trail, id])) return false
    state.set(id, 2)
    order.push(id)
    return true
  }
  if (!visit(def.startNodeId, [])) return problems
  for (const n of def.nodes) if (!state.has(n.id)) problems.push({ nodeId: n.id, message: `${describe(n)}: no path from the start reaches it` })
  if (problems.length) return problems

  // Variables certainly set on arrival at each node: the intersection over every way in, in topological order.
  const setOnArrival = new Map<string, Set<string>>([[def.startNodeId, new Set()]])
  for (const id of order.reverse()) {
    const n = byId.get(id)!
    const here = setOnArrival.get(id) ?? new Set<string>()
    const uses = [
      ...placeholdersIn(n.text),
      ...(n.choices ?? []).flatMap((c) => (c.condition ? [c.condition.variable] : [])),
      ...(n.action?.subject ? placeholdersIn(n.action.subject) : []),
    ]
    for (const v of new Set(uses)) if (!here.has(v)) problems.push({ nodeId: id, message: `${describe(n)}: uses {{${v}}} before every path has set it` })
    const after = new Set(here)
    if ((n.type === 'question' || n.type === 'input') && n.variable) after.add(n.variable)
    for (const next of successors(n)) {
      const prev = setOnArrival.get(next)
      setOnArrival.set(next, prev ? new Set([...prev].filter((v) => after.has(v))) : new Set(after))
    }
  }
  return problems
}

const matches = (c: DecisionTreeCondition, vars: Record<string, string>) => {
  const equal = (vars[c.variable] ?? '').trim().toLowerCase() === c.value.trim().toLowerCase()
  return c.op === 'equals' ? equal : !equal
}

/** Fills {{variable}} placeholders with escaped values (the text itself is already sanitized). */
export const fillHtml = (html: string, vars: Record<string, string>) => html.replace(PLACEHOLDER, (_m, k: string) => escapeHtml(vars[k] ?? ''))
export const fillText = (text: string, vars: Record<string, string>) => text.replace(PLACEHOLDER, (_m, k: string) => vars[k] ?? '')

export const nodeTitle = (n: DecisionTreeNode) => n.title || n.choices?.[0]?.label || n.id

/** The step a person sees at a node: text with variables filled, only the choices whose conditions hold. */
export function stepAt(def: DecisionTreeDefinition, nodeId: string, vars: Record<string, string>, opts: { needsEmail: boolean }): DecisionTreeStepDto {
  const n = def.nodes.find((x) => x.id === nodeId)
  if (!n) throw new Error(`node ${nodeId} missing from a validated definition`)
  const terminal = isTerminal(n)
  return {
    nodeId: n.id,
    type: n.type,
    title: nodeTitle(n),
    html: fillHtml(n.text, vars),
    choices:
      n.type === 'question' ? (n.choices ?? []).flatMap((c, index) => (!c.condition || matches(c.condition, vars) ? [{ index, label: c.label }] : [])) : [],
    input: n.type === 'input' ? { kind: n.inputKind ?? 'text', variable: n.variable ?? 'answer' } : null,
    action: n.action ? { ...n.action, subject: n.action.subject ? fillText(n.action.subject, vars) : undefined } : null,
    terminal,
    needsEmail: terminal && opts.needsEmail && n.action?.kind !== 'resolved',
  }
}

/** Whether the offered choices at this node include `index`. */
export const isOffered = (step: DecisionTreeStepDto, index: number) => step.choices.some((c) => c.index === index)
export const findNode = (def: DecisionTreeDefinition, id: string) => def.nodes.find((n) => n.id === id)

import type { RiskLevel } from '@allhands/contract'
import { Badge, type BadgeProps } from '@mantine/core'
import { RISK_COLOR, RISK_LABEL } from './risk.api.ts'

/** A ticket's risk level as a coloured badge (colour is never the only signal: the label says it). */
export function RiskBadge({ level, ...props }: { level: RiskLevel } & Omit<BadgeProps, 'color' | 'children'>) {
  return (
    <Badge color={RISK_COLOR[level]} variant={level === 'low' ? 'light' : 'filled'} {...props}>
      {RISK_LABEL[level]}
    </Badge>
  )
}

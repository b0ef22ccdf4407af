import type {Config} from '../../config/schema'
import type {AlertState} from '../../rules/state'

export interface Escalation {
  state: AlertState
  /** Index into alerts.escalation.levels. */
  level: number
  recipients: string[]
}

/**
 * The escalations due now: an alert firing for at least a level's threshold
 * (minutes) and not acknowledged goes to that level's recipients, once per
 * level. Pure, clock passed in.
 */
export function dueEscalations(states: Iterable<AlertState>, escalation: Config['alerts']['escalation'], now: number): Escalation[] {
  if (!escalation.enabled) return []
  const due: Escalation[] = []
  for (const state of states) {
    if (state.state !== 'firing' || state.acknowledged || state.firingSince === undefined) continue
    escalation.levels.forEach((level, index) => {
      if (level.recipients.length === 0 || state.escalated.includes(index)) return
      if (now - (state.firingSince as number) >= level.threshold * 60_000) due.push({state, level: index, recipients: level.recipients})
    })
  }
  return due
}

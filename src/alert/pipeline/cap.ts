import type {Batch, Draft, PlanContext} from './types'

/**
 * The hourly cap: a channel sends at most `max_alerts_per_hour` messages in
 * any hour. A message over the cap is held back — its told records are not
 * written, so what still fires is told later — and its alert keys join the
 * channel's held list. As soon as the hour allows, the list goes out, with
 * the channel's next message or on its own: never dropped silently. Escalation
 * comes after this stage: it is never capped.
 */
export function cap(batch: Batch, context: PlanContext): Batch {
  const {snapshot, config} = context
  const held = new Map(batch.held)
  const heldNow = [...batch.heldNow]
  const change = (channel: string) => held.get(channel) ?? {add: [], clear: []}
  const drafts: Draft[] = batch.drafts.filter((draft) => draft.audience !== draft.channel)
  for (const channel of context.channels) {
    const draft = batch.drafts.find((candidate) => candidate.audience === channel.name)
    if (!channel.capped) {
      if (draft) drafts.push(draft)
      continue
    }
    const hour = snapshot.hour.get(channel.name) ?? {sent: 0, held: []}
    const heldKeys = hour.held
    if (hour.sent >= config.alerts.throttling.max_alerts_per_hour) {
      if (!draft) continue
      const keys = [...new Set(draft.events.map((event) => event.key))]
      held.set(channel.name, {...change(channel.name), add: keys})
      heldNow.push({channel: channel.name, keys})
      continue
    }
    if (heldKeys.length === 0) {
      if (draft) drafts.push(draft)
      continue
    }
    const heldBack = {count: heldKeys.length, keys: [...heldKeys]}
    drafts.push(draft ? {...draft, heldBack} : {audience: channel.name, channel: channel.name, kind: 'held', events: [], told: new Map(), heldBack})
    held.set(channel.name, {...change(channel.name), clear: [...heldKeys]})
  }
  return {...batch, drafts, held, heldNow}
}

/**
 * A graceful stop. The first SIGINT or SIGTERM asks every loop to finish the
 * step it is in (a notification being sent, a MULTI being written) and not
 * start another; a second one exits at once (130 / 143).
 */
let requested = false
const listeners: (() => void)[] = []

export const stopRequested = (): boolean => requested

/** Calls `listener` once when a stop is requested (to wake a sleeping loop). */
export function onStop(listener: () => void): void {
  listeners.push(listener)
}

let installed = false
export function installStopHandlers(log: (message: string) => void): void {
  if (installed) return
  installed = true
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (requested) process.exit(signal === 'SIGINT' ? 130 : 143)
      requested = true
      log(`${signal}: finishing the step in progress, then stopping`)
      for (const listener of listeners.splice(0)) listener()
    })
  }
}

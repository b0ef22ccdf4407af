/**
 * The one owner of the alert key, `host/rule/subject` (`web1/disk/disk.used_percent{mount="/"}`).
 * A host name has no `/`; the subject may (a mount point in a series name).
 */

export const alertKey = (host: string, rule: string, subject: string): string => `${host}/${rule}/${subject}`

/** The host an alert key belongs to: its first segment (a host_silent key names the silent host). */
export const hostOfKey = (key: string): string => key.slice(0, Math.max(0, key.indexOf('/')))

/** What an alert key is about: everything after host and rule. */
export const subjectOfKey = (key: string): string => key.split('/').slice(2).join('/')

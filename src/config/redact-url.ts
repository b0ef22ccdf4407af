// Kept apart from redact.ts, which needs the schema: channels import this, and the schema imports the channels.

export const REDACTED = '***'

/**
 * Hides the secret parts of a URL: the password, the query string, and with
 * `hidePath` the path too (Slack webhook and ntfy topic URLs carry their token
 * in the path). Something that does not parse as a URL is hidden whole.
 */
export function redactUrl(value: string, {hidePath = false} = {}): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return REDACTED
  }
  if (url.password) url.password = REDACTED
  if (url.search) url.search = `?${REDACTED}`
  if (hidePath && url.pathname !== '/' && url.pathname !== '') url.pathname = `/${REDACTED}`
  return url.toString().replaceAll('%2A', '*')
}

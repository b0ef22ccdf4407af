import {type Config, configSchema} from './schema'
import {type SecretKind, walkSecrets} from './schema-dsl'
import {redactUrl, REDACTED} from './redact-url'

export {REDACTED, redactUrl} from './redact-url'

const redactByKind = (kind: SecretKind, value: string): string =>
  kind === 'token' ? REDACTED : redactUrl(value, {hidePath: kind === 'url-path'})

/** A deep copy of the configuration with every secret hidden; for `config show`, logs and reports. */
export function redactConfig(config: Config): Config {
  return walkSecrets(configSchema, config, (kind, value) => redactByKind(kind, value)) as Config
}

/** Every secret string of the configuration, to scrub from free text such as error messages. */
export function secretsOf(config: Config): string[] {
  const found: string[] = []
  walkSecrets(configSchema, config, (kind, value) => {
    if (kind === 'token') found.push(value)
    else {
      try {
        const url = new URL(value)
        if (url.password) found.push(decodeURIComponent(url.password))
        if (kind === 'url-path' && url.pathname.length > 1) found.push(url.pathname)
      } catch {
        found.push(value)
      }
    }
    return value
  })
  return found.filter((secret) => secret.length >= 4)
}

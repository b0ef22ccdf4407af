import {durationSeconds} from '../cli/duration'

/**
 * A small strict schema language: the one place that says which keys exist,
 * of which type, and which hold secrets. `Infer<typeof schema>` gives the
 * TypeScript type, so the configuration's shape is written once.
 */
export type SecretKind = 'token' | 'url' | 'url-path'

export type Node =
  | {kind: 'number'; min?: number; max?: number; integer?: boolean}
  /** Seconds: a number, or a string such as "90s", "5m", "1h" (normalize() turns it into the number). */
  | {kind: 'duration'; min?: number; max?: number; integer?: boolean}
  | {kind: 'boolean'}
  | {kind: 'string'; secret?: SecretKind; pattern?: RegExp; patternHint?: string; allowEmpty?: boolean}
  | {kind: 'enum'; values: readonly string[]}
  | {kind: 'array'; of: Node}
  | {kind: 'object'; fields: Record<string, Node>}
  | {kind: 'map'; of: Node}
  | {kind: 'optional'; of: Node}
  /** A map whose entries take the shape of their `type` (default: the entry's own name): named channels. */
  | {kind: 'tagged'; variants: Record<string, Extract<Node, {kind: 'object'}>>}

type NumberNode = Extract<Node, {kind: 'number'}>
type DurationNode = Extract<Node, {kind: 'duration'}>
type StringNode = Extract<Node, {kind: 'string'}>

export const num = (options: Omit<NumberNode, 'kind'> = {}) => ({kind: 'number', ...options}) as const
export const int = (options: Omit<NumberNode, 'kind' | 'integer'> = {}) => ({kind: 'number', integer: true, ...options}) as const
export const duration = (options: Omit<DurationNode, 'kind'> = {}) => ({kind: 'duration', ...options}) as const
export const bool = () => ({kind: 'boolean'}) as const
export const str = (options: Omit<StringNode, 'kind'> = {}) => ({kind: 'string', ...options}) as const
export const oneOf = <const V extends readonly string[]>(values: V) => ({kind: 'enum', values}) as const
export const list = <const N extends Node>(of: N) => ({kind: 'array', of}) as const
export const obj = <const F extends Record<string, Node>>(fields: F) => ({kind: 'object', fields}) as const
export const map = <const N extends Node>(of: N) => ({kind: 'map', of}) as const
export const optional = <const N extends Node>(of: N) => ({kind: 'optional', of}) as const
export const tagged = (variants: Record<string, Extract<Node, {kind: 'object'}>>) => ({kind: 'tagged', variants}) as const

/** The variant of a tagged entry: its `type`, or its name. */
const variantOf = (node: Extract<Node, {kind: 'tagged'}>, name: string, entry: unknown): Extract<Node, {kind: 'object'}> | undefined => {
  const type = typeof entry === 'object' && entry !== null && typeof (entry as {type?: unknown}).type === 'string' ? (entry as {type: string}).type : name
  return node.variants[type]
}

/**
 * Gives a node a TypeScript type that the schema cannot spell itself (the
 * channel settings, whose fields come from the channel registry).
 */
export const typed = <T>() => <const N extends Node>(node: N) => node as N & {readonly __infer: T}

export type Infer<N> = N extends {readonly __infer: infer T}
  ? T
  : N extends {kind: 'number' | 'duration'}
  ? number
  : N extends {kind: 'boolean'}
    ? boolean
    : N extends {kind: 'string'}
      ? string
      : N extends {kind: 'enum'; values: readonly (infer V)[]}
        ? V
        : N extends {kind: 'array'; of: infer O}
          ? Infer<O>[]
          : N extends {kind: 'map'; of: infer O}
            ? Record<string, Infer<O>>
            : N extends {kind: 'optional'; of: infer O}
              ? Infer<O> | undefined
              : N extends {kind: 'object'; fields: infer F}
                ? {[K in keyof F]: Infer<F[K]>}
                : never

const typeName = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'a mapping' : `a ${typeof value}`

const joinPath = (path: string, key: string | number): string =>
  typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key

/**
 * Checks `value` against `node`. Returns one message per problem, each starting
 * with the dotted key path (`thresholds.cpu.warnin: unknown key`). Never throws.
 */
export function validate(node: Node, value: unknown, path = ''): string[] {
  const at = path || '(top level)'
  switch (node.kind) {
    case 'optional':
      return value === undefined || value === null ? [] : validate(node.of, value, path)
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return [`${at}: expected a number, got ${typeName(value)}`]
      if (node.integer && !Number.isInteger(value)) return [`${at}: expected a whole number, got ${value}`]
      if (node.min !== undefined && value < node.min) return [`${at}: must be at least ${node.min}, got ${value}`]
      if (node.max !== undefined && value > node.max) return [`${at}: must be at most ${node.max}, got ${value}`]
      return []
    case 'duration': {
      const seconds = typeof value === 'string' ? durationSeconds(value) : value
      if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return [`${at}: expected a duration such as 90, "90s", "5m" or "1h", got ${typeof value === 'string' ? JSON.stringify(value) : typeName(value)}`]
      const shown = typeof value === 'string' ? `${JSON.stringify(value)} (${seconds} s)` : `${seconds}`
      if (node.integer !== false && !Number.isInteger(seconds)) return [`${at}: expected whole seconds, got ${shown}`]
      if (node.min !== undefined && seconds < node.min) return [`${at}: must be at least ${node.min} s, got ${shown}`]
      if (node.max !== undefined && seconds > node.max) return [`${at}: must be at most ${node.max} s, got ${shown}`]
      return []
    }
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${at}: expected true or false, got ${typeName(value)}`]
    case 'string':
      if (typeof value !== 'string') return [`${at}: expected a string, got ${typeName(value)}`]
      if (node.pattern && value !== '' && !node.pattern.test(value)) return [`${at}: ${node.patternHint ?? `does not match ${node.pattern}`}`]
      return []
    case 'enum':
      return typeof value === 'string' && node.values.includes(value)
        ? []
        : [`${at}: expected one of ${node.values.join(', ')}, got ${JSON.stringify(value)}`]
    case 'array':
      if (!Array.isArray(value)) return [`${at}: expected a list, got ${typeName(value)}`]
      return value.flatMap((item, index) => validate(node.of, item, joinPath(path, index)))
    case 'tagged': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${at}: expected a mapping, got ${typeName(value)}`]
      const types = Object.keys(node.variants).join(', ')
      return Object.entries(value).flatMap(([name, entry]) => {
        const where = joinPath(path, name)
        if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return [`${where}: expected a mapping, got ${typeName(entry)}`]
        const {type, ...rest} = entry as Record<string, unknown>
        if (type !== undefined && (typeof type !== 'string' || !node.variants[type])) return [`${where}.type: expected one of ${types}, got ${JSON.stringify(type)}`]
        const variant = variantOf(node, name, entry)
        if (!variant) return [`${where}: ${JSON.stringify(name)} is not a channel type: give it a type (${types})`]
        return validate(variant, rest, where)
      })
    }
    case 'map':
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${at}: expected a mapping, got ${typeName(value)}`]
      return Object.entries(value).flatMap(([key, child]) => {
        const childNode = node.kind === 'map' ? node.of : node.fields[key]
        if (!childNode) return [`${joinPath(path, key)}: unknown key`]
        return validate(childNode, child, joinPath(path, key))
      })
    }
  }
}

/** `value` with every duration string turned into its seconds; call after validate(). Pure. */
export function normalize(node: Node, value: unknown): unknown {
  switch (node.kind) {
    case 'optional':
      return value === undefined || value === null ? value : normalize(node.of, value)
    case 'duration':
      return typeof value === 'string' ? durationSeconds(value) : value
    case 'tagged':
      if (typeof value !== 'object' || value === null) return value
      return Object.fromEntries(Object.entries(value).map(([name, entry]) => {
        const variant = variantOf(node, name, entry)
        return [name, variant ? normalize(variant, entry) : entry]
      }))
    case 'array':
      return Array.isArray(value) ? value.map((item) => normalize(node.of, item)) : value
    case 'map':
    case 'object':
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return value
      return Object.fromEntries(Object.entries(value).map(([key, child]) => {
        const childNode = node.kind === 'map' ? node.of : node.fields[key]
        return [key, childNode ? normalize(childNode, child) : child]
      }))
    default:
      return value
  }
}

/** The node of `key` under `node`, for the value `child` found there (a tagged entry's variant by its type), or undefined. */
export function childNode(node: Node | undefined, key: string, child: unknown): Node | undefined {
  let current = node
  while (current?.kind === 'optional') current = current.of
  if (current?.kind === 'object') return current.fields[key]
  if (current?.kind === 'map' || current?.kind === 'array') return current.of
  if (current?.kind === 'tagged') return variantOf(current, key, child)
  return undefined
}

/** The kind of secret a node holds, or undefined. */
export function secretOf(node: Node | undefined): SecretKind | undefined {
  let current = node
  while (current?.kind === 'optional') current = current.of
  return current?.kind === 'string' ? current.secret : undefined
}

/** Calls `visit` for every string in `value` that the schema marks as a secret. */
export function walkSecrets(node: Node, value: unknown, visit: (kind: SecretKind, secret: string, path: string) => string, path = ''): unknown {
  const kind = secretOf(node)
  if (kind && typeof value === 'string' && value !== '') return visit(kind, value, path)
  const walk = (key: string | number, child: unknown): unknown => {
    const below = childNode(node, String(key), child)
    return below ? walkSecrets(below, child, visit, joinPath(path, key)) : child
  }
  if (Array.isArray(value)) return value.map((item, index) => walk(index, item))
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, walk(key, child)]))
  return value
}

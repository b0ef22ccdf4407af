import {globToRegExp} from '../alert/pipeline/silence'
import {parseSeriesName} from '../collect/series'

/**
 * Whether a series name matches a selector: an exact name
 * (`disk.used_percent{mount="/"}`), a metric without labels (all its label
 * sets: `disk.used_percent`), a metric with some labels (those must match),
 * or a glob: over metric names when it has no labels (`net.*_bytes_per_sec`
 * takes every interface), over whole names when it has (`*{iface="eth0"}`). Pure.
 */
export function matches(selector: string, series: string): boolean {
  if (selector === series) return true
  if (selector.includes('*') || selector.includes('?')) return globToRegExp(selector).test(selector.includes('{') ? series : parseSeriesName(series).metric)
  const wanted = parseSeriesName(selector)
  const actual = parseSeriesName(series)
  if (wanted.metric !== actual.metric) return false
  return Object.entries(wanted.labels).every(([key, value]) => actual.labels[key] === value)
}

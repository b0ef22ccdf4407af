import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'

import type {Redis} from 'ioredis'

import {packDoc, unpackDoc} from '../../src/store/doc'
import {type Keys, keysFor} from '../../src/store/keys'
import {contentId, decodeEntry, encodeSample, readColumns, readLatestSample, readSamples, schemaId} from '../../src/store/samples'
import {testRedis} from '../helpers/redis'
import {writeSample} from '../helpers/seed'

describe('sample encoding', () => {
  it('packs the values in schema order and names the schema by a stable id', () => {
    const {fields, dictionary} = encodeSample({series: {'cpu.percent': 12.3456, 'disk.used_percent{mount="/"}': 50}, doc: {}})
    const id = schemaId(['cpu.percent', 'disk.used_percent{mount="/"}'])
    assert.equal(id.length, 12)
    assert.deepEqual(fields, ['s', id, 'v', '12.346,50'])
    assert.deepEqual([...dictionary], [[id, '["cpu.percent","disk.used_percent{mount=\\"/\\"}"]']])
    // The same names in another order are another schema.
    assert.notEqual(schemaId(['disk.used_percent{mount="/"}', 'cpu.percent']), id)
  })

  it('round-trips series and doc through the stored entry, long texts by id', () => {
    const cmdline = '/usr/bin/python3 -m http.server --bind 127.0.0.1 8080'
    const doc = {processes: [{pid: 1, name: 'init', cmdline: ''}, {pid: 42, name: 'python3', cmdline}, {pid: 43, name: 'python3', cmdline}], services: {failed: ['a.service']}}
    const {fields, dictionary} = encodeSample({series: {'cpu.percent': 12.3456, 'memory.percent': 40}, doc})
    const textId = contentId(JSON.stringify(cmdline))
    // The command line is stored once, however many processes share it; the entry names it in `r`.
    assert.equal(dictionary.get(textId), JSON.stringify(cmdline))
    assert.deepEqual(fields.slice(4, 6), ['r', textId])
    // Each process's cell refers to position 0 of `r`; the short names stay inline.
    assert.match(fields[7] as string, /\[42,"python3",\[0\]\],\[43,"python3",\[0\]\]/)
    const known = new Map([...dictionary].map(([id, json]) => [id, JSON.parse(json) as string[] | string]))
    const {sample, problems} = decodeEntry('web1', 'basic', '1700000000000-0', fields, known)
    assert.deepEqual(sample, {host: 'web1', tier: 'basic', atMs: 1_700_000_000_000, series: {'cpu.percent': 12.346, 'memory.percent': 40}, doc})
    assert.deepEqual(problems, [])
    // Without the text: the command line is null and the entry says which text is missing.
    const lost = decodeEntry('web1', 'basic', '1-0', fields, new Map([...known].filter(([id]) => id !== textId)))
    assert.equal((lost.sample.doc.processes as {cmdline: string | null}[])[1]?.cmdline, null)
    assert.deepEqual(lost.problems, [{field: 'doc', reason: `unknown text "${textId}"`}])
  })

  it('stores a list of same-shaped records as a table: keys once, then values', () => {
    const processes = [{pid: 1, name: 'init', cpu_percent: 0.5}, {pid: 42, name: 'nginx', cpu_percent: null}]
    const packed = packDoc({processes, top_cpu: [1, 42], one: [{pid: 7}], mixed: [{a: 1}, {b: 2}]})
    assert.deepEqual(packed, {processes: {'~table': [['pid', 'name', 'cpu_percent'], [1, 'init', 0.5], [42, 'nginx', null]]}, top_cpu: [1, 42], one: [{pid: 7}], mixed: [{a: 1}, {b: 2}]})
    assert.deepEqual(unpackDoc(JSON.parse(JSON.stringify(packed)) as Record<string, unknown>).doc, {processes, top_cpu: [1, 42], one: [{pid: 7}], mixed: [{a: 1}, {b: 2}]})
  })

  it('still reads flat entries (one field per series), as written by hand', () => {
    const {sample, problems} = decodeEntry('web1', 'basic', '1-0', ['cpu.percent', '7.5', 'memory.percent', '40'])
    assert.deepEqual(sample.series, {'cpu.percent': 7.5, 'memory.percent': 40})
    assert.deepEqual(problems, [])
  })

  it('skips a non-numeric value, an unknown schema, a short value list and broken doc JSON, reporting each', () => {
    const schemas = new Map([['abc', ['cpu.percent', 'memory.percent']]])
    const bad = decodeEntry('web1', 'basic', '1-0', ['s', 'abc', 'v', 'lots,40', 'doc', '{broken'], schemas)
    assert.deepEqual(bad.sample.series, {'memory.percent': 40})
    assert.deepEqual(bad.sample.doc, {})
    assert.deepEqual(bad.problems, [{field: 'doc', reason: 'not valid JSON'}, {field: 'cpu.percent', reason: 'not a number: "lots"'}])
    assert.deepEqual(decodeEntry('web1', 'basic', '1-0', ['s', 'zzz', 'v', '1,2'], schemas).problems, [{field: 'v', reason: 'unknown schema "zzz"'}])
    assert.deepEqual(decodeEntry('web1', 'basic', '1-0', ['s', 'abc', 'v', '1'], schemas).problems, [{field: 'v', reason: '1 values for 2 series of schema abc'}])
  })

  it('keeps every key of one host in one Redis Cluster slot (hash tag)', () => {
    const keys = keysFor('monitor')
    assert.equal(keys.samples('web1', 'basic'), 'monitor:{web1}:samples:basic')
    assert.equal(keys.counters('web1'), 'monitor:{web1}:counters')
    for (const key of [keys.meta('web1'), keys.alerts('web1'), keys.alertLog('web1'), keys.analysis('web1'), keys.schemas('web1'), keys.schemasUsed('web1')]) assert.match(key, /^monitor:\{web1\}:/)
  })
})

describe('sample storage in Redis', () => {
  let redis: Redis
  let keys: Keys
  let cleanup: () => Promise<void>

  before(async () => {
    let prefix: string
    ;({redis, prefix, cleanup} = await testRedis())
    keys = keysFor(prefix)
  })
  after(() => cleanup())

  it('stores each list of names once, and reads samples whose series come and go', async () => {
    await writeSample(redis, keys, 'nas', 'basic', 1000, {'cpu.percent': 1, 'memory.percent': 10})
    await writeSample(redis, keys, 'nas', 'basic', 2000, {'cpu.percent': 2, 'memory.percent': 20})
    await writeSample(redis, keys, 'nas', 'basic', 3000, {'memory.percent': 30, 'disk.used_percent{mount="/usb"}': 5})
    await writeSample(redis, keys, 'nas', 'basic', 4000, {'cpu.percent': 4, 'memory.percent': 40})
    assert.equal(await redis.hlen(keys.schemas('nas')), 2)
    // When each schema was last used: what prune goes by.
    assert.deepEqual(await redis.zrange(keys.schemasUsed('nas'), 0, -1, 'WITHSCORES'), [schemaId(['memory.percent', 'disk.used_percent{mount="/usb"}']), '3000', schemaId(['cpu.percent', 'memory.percent']), '4000'])

    const samples = await readSamples(redis, keys, 'nas', 'basic', 2000, 3000)
    assert.deepEqual(samples.map((sample) => [sample.atMs, sample.series]), [[2000, {'cpu.percent': 2, 'memory.percent': 20}], [3000, {'memory.percent': 30, 'disk.used_percent{mount="/usb"}': 5}]])

    const columns = await readColumns(redis, keys, 'nas', 'basic', 0, {keep: (series) => series !== 'memory.percent'})
    assert.deepEqual([...columns.times], [1000, 2000, 3000, 4000])
    assert.deepEqual([...columns.series.keys()], ['cpu.percent', 'disk.used_percent{mount="/usb"}'])
    assert.deepEqual([...(columns.series.get('cpu.percent') as Float64Array)], [1, 2, Number.NaN, 4])
    assert.deepEqual([...(columns.series.get('disk.used_percent{mount="/usb"}') as Float64Array)], [Number.NaN, Number.NaN, 5, Number.NaN])
  })

  it('stores a command line once however many snapshots carry it, and reads it back', async () => {
    const cmdline = 'java -Xmx2g -jar /opt/app/server.jar --config /etc/app/app.yaml'
    const doc = (cpu: number) => ({processes: [{pid: 7, name: 'java', cmdline, cpu_percent: cpu}, {pid: 8, name: 'sshd', cmdline: 'sshd: /usr/sbin/sshd -D', cpu_percent: 0}]})
    for (let index = 0; index < 5; index++) await writeSample(redis, keys, 'app', 'extended', 1000 * (index + 1), {'proc.count': 100 + index}, doc(index))
    // One schema and the long command line, once each; the short one (23 characters) stays inline.
    assert.equal(await redis.hlen(keys.schemas('app')), 2)
    assert.equal(await redis.hget(keys.schemas('app'), contentId(JSON.stringify(cmdline))), JSON.stringify(cmdline))
    const newest = await readLatestSample(redis, keys, 'app', 'extended')
    assert.deepEqual(newest?.doc, doc(4))
  })

  it('reports a packed entry whose schema is missing and carries on', async () => {
    await writeSample(redis, keys, 'lost', 'basic', 1000, {'cpu.percent': 1})
    await redis.xadd(keys.samples('lost', 'basic'), '2000-0', 's', 'nope', 'v', '9')
    await writeSample(redis, keys, 'lost', 'basic', 3000, {'cpu.percent': 3})
    const problems: string[] = []
    const samples = await readSamples(redis, keys, 'lost', 'basic', 0, '+', {onProblem: (key, id, problem) => problems.push(`${key} ${id} ${problem.reason}`)})
    assert.deepEqual(samples.map((sample) => sample.series['cpu.percent']), [1, undefined, 3])
    assert.deepEqual(problems, [`${keys.samples('lost', 'basic')} 2000-0 unknown schema "nope"`])
  })
})

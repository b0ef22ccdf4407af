import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import services, {parseListUnits} from '../../../src/collect/collectors/services'
import {context, fixture} from './fixtures'

describe('services collector', () => {
  const units = parseListUnits(fixture('systemctl-list-units.txt'))

  it('parses systemctl list-units, with or without the failure bullet', () => {
    assert.equal(units.length, 6)
    assert.deepEqual(units.find((unit) => unit.unit === 'backup@nightly.service'), {unit: 'backup@nightly.service', load: 'loaded', active: 'failed', sub: 'failed'})
  })

  it('counts states and names the failed units', () => {
    const {series, doc} = services.toSeries(units, context('extended'))
    assert.equal(series['services.total'], 6)
    assert.equal(series['services.active'], 3)
    assert.equal(series['services.failed'], 2)
    assert.deepEqual(doc, {services: {failed: ['nginx.service', 'backup@nightly.service']}})
  })
})

import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {ntfyTarget} from '../../src/alert/channels/ntfy'
import {slackEscape} from '../../src/alert/channels/slack'

describe('channel text', () => {
  it('Slack: &, < and > escaped', () => assert.equal(slackEscape('<!channel> a&b <https://x|y>'), '&lt;!channel&gt; a&amp;b &lt;https://x|y&gt;'))
  const targets: [string, string, string][] = [
    ['https://ntfy.sh/alerts', 'https://ntfy.sh/', 'alerts'],
    ['https://push.example/ntfy/home-alerts', 'https://push.example/ntfy/', 'home-alerts'],
    ['http://127.0.0.1:8080/a%20b', 'http://127.0.0.1:8080/', 'a b'],
  ]
  for (const [url, root, topic] of targets) it(`ntfy: ${url} → ${root} + ${topic}`, () => assert.deepEqual(ntfyTarget(url), {root, topic}))
})

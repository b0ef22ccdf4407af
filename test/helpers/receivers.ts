import {createServer, type IncomingHttpHeaders, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'

import {simpleParser} from 'mailparser'
import {SMTPServer} from 'smtp-server'

export interface ReceivedMail {
  from: string
  to: string[]
  raw: string
  /** Decoded as a mail client shows them. */
  subject: string
  messageId: string
  text: string
  html: string
}

/**
 * A real SMTP server on 127.0.0.1 that keeps what it receives. `refuse`
 * makes it answer 451 (a temporary failure) to every message.
 */
export async function startSmtp(port = 0): Promise<{port: number; mails: ReceivedMail[]; refuse: (yes: boolean) => void; close: () => Promise<void>}> {
  const mails: ReceivedMail[] = []
  let refusing = false
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth: (_auth, _session, callback) => callback(null, {user: 'monitor'}),
    onData(stream, session, callback) {
      let raw = ''
      stream.on('data', (chunk: Buffer) => (raw += chunk.toString()))
      stream.on('end', () => {
        if (refusing) return callback(Object.assign(new Error('try again later'), {responseCode: 451}))
        simpleParser(raw).then((parsed) => {
          mails.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((recipient) => recipient.address),
            raw, subject: parsed.subject ?? '', messageId: parsed.messageId ?? '', text: parsed.text ?? '', html: typeof parsed.html === 'string' ? parsed.html : '',
          })
          callback()
        }, callback)
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  return {
    port: (server.server.address() as AddressInfo).port,
    mails,
    refuse: (yes) => (refusing = yes),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

export interface ReceivedRequest {
  path: string
  headers: IncomingHttpHeaders
  body: string
}

/** A real HTTP server on 127.0.0.1 recording every request; `status` sets the answer. */
export async function startHttp(): Promise<{url: string; requests: ReceivedRequest[]; status: (code: number, headers?: Record<string, string>) => void; on: (path: string) => ReceivedRequest[]; close: () => Promise<void>; server: Server}> {
  const requests: ReceivedRequest[] = []
  let answer = 200
  let answerHeaders: Record<string, string> = {}
  const server = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => (body += chunk.toString()))
    request.on('end', () => {
      requests.push({path: request.url ?? '', headers: request.headers, body})
      response.writeHead(answer, answerHeaders)
      response.end('ok')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    status: (code, headers = {}) => {
      answer = code
      answerHeaders = headers
    },
    on: (path) => requests.filter((request) => request.path.startsWith(path)),
    close: () => new Promise((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    }),
    server,
  }
}

/** A port nothing listens on (for "the server is down"). */
export async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

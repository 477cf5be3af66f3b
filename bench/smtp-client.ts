import net from 'node:net'

/**
 * A lean SMTP client for the ingest benchmark, as an MTA relays: mail already in wire form (CRLF lines, dot-stuffed,
 * see `toSmtpWire`), the envelope commands pipelined (RFC 2920) and the connection kept for the next message. The
 * client runs on the server's machine: nodemailer's pooled transport spent about three times the CPU per message
 * (it converts and dot-stuffs each message through streams), which the server then did not have.
 */
export class SmtpRelay {
  private buffered = ''
  private readonly waiting: { resolve: (reply: string) => void; reject: (err: Error) => void }[] = []
  private lines: string[] = []

  private constructor(private readonly socket: net.Socket) {
    socket.setEncoding('latin1')
    socket.on('data', (chunk: string) => this.receive(chunk))
    socket.on('error', (err) => this.fail(err))
    socket.on('close', () => this.fail(new Error('The SMTP connection closed')))
  }

  /** Connects and greets the server; its replies must offer PIPELINING. */
  static async open(host: string, port: number): Promise<SmtpRelay> {
    const socket = net.connect(port, host)
    const relay = new SmtpRelay(socket)
    await relay.expect('220')
    socket.write('EHLO bench.allhands.test\r\n')
    const ehlo = await relay.expect('250')
    if (!/PIPELINING/i.test(ehlo)) throw new Error('The SMTP server does not offer PIPELINING')
    return relay
  }

  /** Delivers one message (`wire` from toSmtpWire): resolves on the server's 250 for its data. */
  async send(from: string, to: string, wire: Buffer): Promise<void> {
    const replies = [this.expect('250'), this.expect('250'), this.expect('354')]
    this.socket.write(`MAIL FROM:<${from}>\r\nRCPT TO:<${to}>\r\nDATA\r\n`)
    await Promise.all(replies)
    const accepted = this.expect('250')
    this.socket.write(wire)
    await accepted
  }

  async close(): Promise<void> {
    const bye = this.expect('221')
    this.socket.write('QUIT\r\n')
    await bye.catch(() => {})
    this.socket.destroy()
  }

  /** The next reply, whole (every line); rejects unless it has the expected code. */
  private expect(code: string): Promise<string> {
    return new Promise<string>((resolve, reject) => this.waiting.push({ resolve, reject })).then((reply) => {
      if (!reply.startsWith(code)) throw new Error(`SMTP: expected ${code}, got ${reply.trim()}`)
      return reply
    })
  }

  private receive(chunk: string): void {
    this.buffered += chunk
    let end = this.buffered.indexOf('\r\n')
    while (end >= 0) {
      const line = this.buffered.slice(0, end)
      this.buffered = this.buffered.slice(end + 2)
      this.lines.push(line)
      // "250-…" continues a reply, "250 …" ends it.
      if (line[3] !== '-') {
        const reply = this.lines.join('\n')
        this.lines = []
        this.waiting.shift()?.resolve(reply)
      }
      end = this.buffered.indexOf('\r\n')
    }
  }

  private fail(err: Error): void {
    for (const w of this.waiting.splice(0)) w.reject(err)
  }
}

/** A message as it goes over the wire after DATA: CRLF line ends, lines starting with a dot doubled, the final dot line. */
export function toSmtpWire(raw: Buffer): Buffer {
  const text = raw.toString('latin1').replace(/\r?\n/g, '\r\n').replace(/^\./gm, '..')
  return Buffer.from(`${text}${text.endsWith('\r\n') ? '' : '\r\n'}.\r\n`, 'latin1')
}

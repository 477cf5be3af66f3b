import net from 'node:net'

/**
 * A lean HTTP/1.1 client for the ingest benchmark: one kept-alive connection, one request at a time, each request
 * written whole (head and body) and the answer read by its Content-Length. The client runs on the server's machine:
 * node:http spent about twice the CPU per delivery of the SMTP relay (smtp-client.ts), which the server then lacked.
 */
export class HttpRelay {
  private buffered: Buffer = Buffer.alloc(0)
  private waiting: { resolve: (r: { status: number; body: string }) => void; reject: (err: Error) => void } | null = null

  private constructor(
    private readonly socket: net.Socket,
    private readonly host: string,
  ) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk))
    socket.on('error', (err) => this.fail(err))
    socket.on('close', () => this.fail(new Error('The HTTP connection closed')))
  }

  static open(url: URL): Promise<HttpRelay> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(Number(url.port), url.hostname, () => resolve(new HttpRelay(socket, url.host)))
      socket.once('error', reject)
    })
  }

  /** POSTs `body` to `path`; resolves with the status and the answer's body. */
  post(path: string, headers: Record<string, string>, body: Buffer): Promise<{ status: number; body: string }> {
    const head = [`POST ${path} HTTP/1.1`, `host: ${this.host}`, `content-length: ${body.length}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)]
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject }
      this.socket.write(Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'), body]))
    })
  }

  close(): void {
    this.socket.destroy()
  }

  private receive(chunk: Buffer): void {
    this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk
    const end = this.buffered.indexOf('\r\n\r\n')
    if (end < 0) return
    const head = this.buffered.subarray(0, end).toString('latin1')
    const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0)
    if (this.buffered.length < end + 4 + length) return
    const body = this.buffered.subarray(end + 4, end + 4 + length).toString()
    this.buffered = this.buffered.subarray(end + 4 + length)
    const waiting = this.waiting
    this.waiting = null
    waiting?.resolve({ status: Number(head.slice(9, 12)), body })
  }

  private fail(err: Error): void {
    this.waiting?.reject(err)
    this.waiting = null
  }
}

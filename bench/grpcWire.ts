import http2 from 'node:http2';
import type { ServiceClientConstructor } from '@grpc/grpc-js';

/**
 * A unary gRPC caller as a proxy is one: requests encoded once, ahead of time, and sent over one
 * HTTP/2 connection as length-prefixed frames, with the answer's `grpc-status` read from the
 * trailers. Envoy's C++ client spends next to nothing per call; grpc-js's client spends tens of
 * microseconds of JavaScript on each side of every call, which would be counted against the
 * sidecar in a bench timed at the client.
 */
export class GrpcWire {
  private readonly session: http2.ClientHttp2Session;

  constructor(
    port: number,
    private readonly method: { path: string; requestSerialize: (value: unknown) => Buffer; responseDeserialize: (bytes: Buffer) => unknown },
  ) {
    this.session = http2.connect(`http://127.0.0.1:${port}`);
    this.session.on('error', () => undefined);
  }

  static forCheck(port: number, service: ServiceClientConstructor): GrpcWire {
    const check = service.service.Check;
    return new GrpcWire(port, {
      path: check.path,
      requestSerialize: check.requestSerialize as (value: unknown) => Buffer,
      responseDeserialize: check.responseDeserialize as (bytes: Buffer) => unknown,
    });
  }

  /** The request as it goes on the wire: a flag byte (not compressed), the length, the message. */
  frame(request: unknown): Buffer {
    const message = this.method.requestSerialize(request);
    const framed = Buffer.alloc(5 + message.length);
    framed.writeUInt32BE(message.length, 1);
    message.copy(framed, 5);
    return framed;
  }

  call(framed: Buffer): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const stream = this.session.request({
        ':method': 'POST',
        ':path': this.method.path,
        'content-type': 'application/grpc',
        te: 'trailers',
      });
      const chunks: Buffer[] = [];
      let grpcStatus: string | undefined;
      stream.on('response', (headers) => {
        // a call that fails at once answers with its status in the headers alone
        if (headers['grpc-status'] !== undefined) grpcStatus = String(headers['grpc-status']);
      });
      stream.on('trailers', (trailers) => (grpcStatus = String(trailers['grpc-status'])));
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', reject);
      stream.on('end', () => {
        if (grpcStatus !== '0') return reject(new Error(`grpc-status ${grpcStatus}`));
        const body = Buffer.concat(chunks);
        resolve(this.method.responseDeserialize(body.subarray(5, 5 + body.readUInt32BE(1))));
      });
      stream.end(framed);
    });
  }

  close(): void {
    this.session.close();
  }
}

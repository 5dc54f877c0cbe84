import { readFileSync } from "node:fs";
import * as grpc from "@grpc/grpc-js";

export interface ServerTlsFiles {
  certFile: string;
  keyFile: string;
  /** When set, clients must present a certificate signed by this CA (mutual TLS). */
  clientCaFile?: string;
}

/** TLS when a certificate and key are given, plaintext otherwise (e.g. behind a mesh). */
export function serverCredentials(tls: ServerTlsFiles | undefined): grpc.ServerCredentials {
  if (!tls) return grpc.ServerCredentials.createInsecure();
  const clientCa = tls.clientCaFile ? readFileSync(tls.clientCaFile) : null;
  return grpc.ServerCredentials.createSsl(
    clientCa,
    [{ cert_chain: readFileSync(tls.certFile), private_key: readFileSync(tls.keyFile) }],
    clientCa !== null,
  );
}

export interface ClientTlsOptions {
  /** Verify the server with this CA instead of the system roots. */
  caFile?: string;
  /** Present this client certificate (for servers that require mutual TLS). */
  certFile?: string;
  keyFile?: string;
}

export function clientCredentials(tls: ClientTlsOptions | undefined): grpc.ChannelCredentials {
  if (!tls) return grpc.credentials.createInsecure();
  const read = (file: string | undefined) => (file ? readFileSync(file) : null);
  return grpc.credentials.createSsl(read(tls.caFile), read(tls.keyFile), read(tls.certFile));
}

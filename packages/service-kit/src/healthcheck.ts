// Container health check without a shell: `node /app/healthcheck.mjs` exits 0 when the
// service's liveness endpoint answers 200 within 2 s. The build defines the default port.
const port = process.env.HEALTHCHECK_PORT ?? process.env.PORT ?? process.env.FLOTILLA_DEFAULT_PORT ?? "8080";
const path = process.env.HEALTHCHECK_PATH ?? "/healthz";

try {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(2_000) });
  process.exitCode = response.ok ? 0 : 1;
} catch {
  process.exitCode = 1;
}

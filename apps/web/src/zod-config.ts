// The page's CSP allows no eval: zod must not even probe for its eval-compiled fast path (the
// probe alone is a CSP violation report). Imported first by main.tsx: zod probes when a schema is
// built, which the shared contracts do as they are imported.
import * as z from "zod/mini";

z.config({ jitless: true });

// The hello service's messages, while it is reachable.

import { Fragment } from "react";
import type { HelloView } from "../use-hello.ts";

export function HelloPanel({ view }: { view: HelloView }) {
  return (
    <section className="card panel hello" aria-labelledby="hello-label">
      <h2 id="hello-label" className="card-title">
        Messages from hello
      </h2>
      {view.state === "loading" && <p className="muted">Loading…</p>}
      {view.state === "unreachable" && <p className="muted">The hello service is not reachable right now.</p>}
      {view.state === "ok" && (
        <>
          {view.info.messages.length === 0 ? (
            <p className="muted">No messages configured.</p>
          ) : (
            <ul className="messages" data-testid="hello-messages">
              {view.info.messages.map((m, i) => (
                // Messages may repeat; their order is their identity.
                <li key={i}>{m}</li>
              ))}
            </ul>
          )}
          {view.info.servedBy.length > 0 && (
            <dl className="facts served-by">
              {view.info.servedBy.map(([k, v]) => (
                <Fragment key={k}>
                  <dt>{k}</dt>
                  <dd>{v}</dd>
                </Fragment>
              ))}
            </dl>
          )}
        </>
      )}
    </section>
  );
}
